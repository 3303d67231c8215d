// Derived from the spec tables (spec clova-home-extension.md §6.3). Data only: edit here, then run
// `npm run generate:home`.

import type { ValueObjectEntry } from './types.js';

export const VALUE_OBJECTS: readonly ValueObjectEntry[] = [
  {
    name: 'ActionInfoObject',
    fields: [
      { name: 'applianceId', type: 'string', presence: 'R' },
      { name: 'action', type: 'string', presence: 'R' },
    ],
  },
  {
    name: 'AirQualityInfoObject',
    fields: [{ name: 'index', type: 'string', presence: 'R', enum: ['good', 'normal', 'bad', 'verybad'] }],
  },
  {
    name: 'BatteryInfoObject',
    fields: [{ name: 'value', type: 'number', presence: 'R' }],
  },
  {
    name: 'BillInfoObject',
    fields: [
      { name: 'value', type: 'number', presence: 'R' },
      { name: 'currency', type: 'string', presence: 'R' },
    ],
  },
  {
    name: 'BrightnessInfoObject',
    fields: [{ name: 'value', type: 'number', presence: 'R' }],
  },
  {
    name: 'ColorInfoObject',
    fields: [
      { name: 'hue', type: 'number', presence: 'R' },
      { name: 'saturation', type: 'number', presence: 'R' },
      { name: 'brightness', type: 'number', presence: 'O' },
    ],
  },
  {
    name: 'ColorTemperatureInfoObject',
    fields: [{ name: 'value', type: 'number', presence: 'R' }],
  },
  {
    name: 'ConsumptionInfoObject',
    fields: [
      { name: 'name', type: 'string', presence: 'R' },
      { name: 'value', type: 'number', presence: 'R' },
      { name: 'unit', type: 'string', presence: 'R' },
    ],
  },
  {
    name: 'CountInfoObject',
    fields: [{ name: 'value', type: 'number', presence: 'R' }],
  },
  {
    name: 'CustomCommandInfoObject',
    fields: [
      { name: 'name', type: 'string', presence: 'R' },
      { name: 'actions', type: 'ActionInfoObject', presence: 'R', array: true },
    ],
  },
  {
    name: 'CustomInfoObject',
    fields: [
      { name: 'name', type: 'string', presence: 'R' },
      { name: 'value', type: 'number|string', presence: 'R' },
      { name: 'unit', type: 'string', presence: 'O' },
    ],
  },
  {
    name: 'DetectionCountInfoObject',
    fields: [{ name: 'value', type: 'string', presence: 'R' }],
  },
  {
    name: 'DirectionInfoObject',
    fields: [{ name: 'value', type: 'string', presence: 'R', enum: ['horizontal', 'vertical'] }],
  },
  {
    name: 'EndpointInfoObject',
    fields: [{ name: 'value', type: 'string', presence: 'R' }],
  },
  {
    name: 'ExpendableInfoObject',
    fields: [
      { name: 'name', type: 'string', presence: 'R' },
      { name: 'remainingTime', type: 'string', presence: 'O' },
      // Spec §6.3: usage is a CustomInfoObject whose example omits the required `name`; accept any object.
      { name: 'usage', type: 'object', presence: 'O' },
    ],
  },
  {
    name: 'FineDustInfoObject',
    fields: [
      { name: 'value', type: 'number', presence: 'O' },
      { name: 'index', type: 'string', presence: 'R', enum: ['good', 'normal', 'bad', 'verybad'] },
    ],
  },
  {
    name: 'HumidityInfoObject',
    fields: [{ name: 'value', type: 'number', presence: 'R' }],
  },
  {
    name: 'IndexInfoObject',
    fields: [{ name: 'value', type: 'number', presence: 'O' }],
  },
  {
    name: 'IntensityLevelInfoObject',
    fields: [{ name: 'value', type: 'number', presence: 'O' }],
  },
  {
    name: 'ModeInfoObject',
    fields: [{ name: 'value', type: 'string', presence: 'R' }],
  },
  {
    name: 'PercentageInfoObject',
    fields: [{ name: 'value', type: 'number', presence: 'R' }],
  },
  {
    name: 'PeriodInfoObject',
    fields: [
      { name: 'start', type: 'string', presence: 'R' },
      { name: 'end', type: 'string', presence: 'R' },
    ],
  },
  {
    name: 'PhaseInfoObject',
    fields: [{ name: 'value', type: 'string', presence: 'R' }],
  },
  {
    name: 'PowerStateInfoObject',
    fields: [{ name: 'value', type: 'string', presence: 'R' }],
  },
  {
    name: 'ProgressiveTaxBracketInfoObject',
    fields: [{ name: 'value', type: 'number', presence: 'R' }],
  },
  {
    name: 'RatioInfoObject',
    fields: [{ name: 'value', type: 'number', presence: 'R' }],
  },
  {
    name: 'SceneInfoObject',
    fields: [
      { name: 'sceneId', type: 'string', presence: 'R' },
      { name: 'sceneName', type: 'string', presence: 'R' },
      { name: 'needsUserConfirmation', type: 'boolean', presence: 'O' },
      { name: 'additionalSceneDetails', type: 'object', presence: 'O' },
    ],
  },
  {
    name: 'ScoreInfoObject',
    fields: [{ name: 'value', type: 'number', presence: 'R' }],
  },
  {
    name: 'SittingStateInfoObject',
    fields: [{ name: 'value', type: 'boolean', presence: 'R' }],
  },
  {
    name: 'SleepScoreInfoObject',
    fields: [{ name: 'value', type: 'number', presence: 'R' }],
  },
  {
    name: 'SpeedInfoObject',
    fields: [{ name: 'value', type: 'number', presence: 'R' }],
  },
  {
    name: 'TemperatureInfoObject',
    fields: [{ name: 'value', type: 'number', presence: 'R' }],
  },
  {
    name: 'TVChannelInfoObject',
    fields: [{ name: 'value', type: 'number', presence: 'R' }],
  },
  {
    name: 'TVChannelNameInfoObject',
    fields: [{ name: 'value', type: 'string', presence: 'R' }],
  },
  {
    name: 'TVInputSourceNameInfoObject',
    fields: [{ name: 'value', type: 'string', presence: 'R' }],
  },
  {
    name: 'UltraFineDustInfoObject',
    fields: [
      { name: 'value', type: 'number', presence: 'O' },
      { name: 'index', type: 'string', presence: 'R', enum: ['good', 'normal', 'bad', 'verybad'] },
    ],
  },
  {
    name: 'VolumeInfoObject',
    fields: [{ name: 'value', type: 'number', presence: 'R' }],
  },
  {
    name: 'WeightInfoObject',
    fields: [{ name: 'value', type: 'number', presence: 'O' }],
  },
];
