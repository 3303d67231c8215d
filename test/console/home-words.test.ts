import { describe, expect, it } from 'vitest';
import { appliancesOf, describeHomeReply } from '../../src/console/home-words.js';

describe('Clova Home replies in words', () => {
  it('explains errors with the catalog, and says confirmations, counts and simple values plainly', () => {
    expect(describeHomeReply('TargetOfflineError', {})).toBe('The device cannot be reached (offline).');
    expect(describeHomeReply('MadeUpError', {})).toBe('The extension answered MadeUpError.');
    expect(describeHomeReply('ValueOutOfRangeError', { minimumValue: 18, maximumValue: 30 })).toBe(
      "The requested value is outside the device's range. It accepts 18 to 30.",
    );
    expect(describeHomeReply('TurnOnConfirmation', {})).toBe('TurnOn confirmed.');
    expect(describeHomeReply('DiscoverAppliancesResponse', { discoveredAppliances: [{}] })).toBe(
      '1 appliance found.',
    );
    expect(describeHomeReply('DiscoverScenesResponse', { discoveredScenes: [] })).toBe('0 scenes found.');
    expect(describeHomeReply('GetCurrentTemperatureResponse', { currentTemperature: { value: 24 } })).toBe(
      'Current temperature: 24 °C',
    );
    expect(describeHomeReply('GetLockStateResponse', { lockState: 'LOCKED' })).toBe('Lock state: LOCKED');
    expect(
      describeHomeReply('GetConsumptionResponse', { consumption: [{ name: 'x', value: 1, unit: 'kWh' }] }),
    ).toBe('GetConsumptionResponse.');
  });

  it('reads appliances tolerantly, skipping malformed entries', () => {
    expect(
      appliancesOf({
        discoveredAppliances: [
          { applianceId: 'a', applianceTypes: ['LIGHT'], actions: ['TurnOn', 3], location: '' },
          { friendlyName: 'no id' },
          'junk',
        ],
      }),
    ).toEqual([
      {
        applianceId: 'a',
        friendlyName: 'a',
        applianceType: 'LIGHT',
        manufacturerName: '',
        location: null,
        isReachable: null,
        actions: ['TurnOn'],
      },
    ]);
    expect(appliancesOf({})).toEqual([]);
  });
});
