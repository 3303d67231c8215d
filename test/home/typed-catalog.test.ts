import { describe, expect, it } from 'vitest';
import {
  appliancesFromData,
  createHomeExtension,
  isApplianceType,
  isLocationCode,
  type ActionOfType,
  type Appliance,
  type ApplianceData,
  type HomeDriver,
} from 'cekit/home';
import { buildDiscoverAppliancesRequest } from 'cekit/testing';
import { send, warningLogger } from './helpers.js';

const base = { id: 'a', name: 'A', manufacturer: 'm', model: 'x' } as const;

/**
 * Compile-time checks: each `@ts-expect-error` must be needed (`npm run typecheck` fails on an unused
 * one), so these lines prove the mistake is a type error. They are never called.
 */
export function typeErrors() {
  // @ts-expect-error an appliance type that does not exist (§6.2)
  const misspelled: Appliance = { ...base, type: 'LIGTH' };
  // @ts-expect-error a location code that does not exist (§6.6)
  const nowhere: Appliance = { ...base, type: 'LIGHT', location: 'LIVINGROOM' };
  // @ts-expect-error an action name that does not exist (§4.3)
  const typo: Appliance = { ...base, type: 'LIGHT', actions: ['TrunOff'] };
  const several: Appliance = { ...base, type: ['LIGHT', 'SWITCH'], location: '' };
  createHomeExtension({
    authenticate: () => undefined,
    drivers: {
      // @ts-expect-error LIGHT does not allow SetTargetTemperature (§6.2): dead code
      LIGHT: { TurnOn: () => {}, SetTargetTemperature: () => {} },
    },
  });
  createHomeExtension({
    authenticate: () => undefined,
    // TypeScript reports one excess property per object literal: this one gets its own.
    // @ts-expect-error not an appliance type
    drivers: { LIGTH: {} },
  });
  createHomeExtension({
    authenticate: () => undefined,
    actions: {
      // @ts-expect-error a query handler must return the reply payload
      GetCurrentTemperature: () => {},
      // @ts-expect-error HealthCheck is a query too
      HealthCheck: async () => {},
      // A control handler may return nothing (an empty confirmation).
      TurnOn: () => {},
      GetHumidity: () => ({ humidity: { value: 40 } }),
    },
  });
  const lightDriver: HomeDriver<'LIGHT', unknown> = {
    TurnOn: () => {},
    // @ts-expect-error a driver typed for LIGHT refuses actions LIGHT does not allow
    SetTargetTemperature: () => {},
  };
  const action: ActionOfType<'LIGHT'> = 'SetBrightness';
  // @ts-expect-error not a LIGHT action
  const notLight: ActionOfType<'LIGHT'> = 'SetTargetTemperature';
  return [misspelled, nowhere, typo, several, lightDriver, action, notLight];
}

describe('typed appliance types, locations and drivers (§6.2, §6.6)', () => {
  it('type guards narrow strings from data', () => {
    const row: string = 'LIGHT';
    expect(isApplianceType(row)).toBe(true);
    expect(isApplianceType('LIGTH')).toBe(false);
    expect(isLocationCode('LIVING_ROOM')).toBe(true);
    expect(isLocationCode('LIVINGROOM')).toBe(false);
  });

  it('warns at construction about drivers that never run, with a did-you-mean', () => {
    const logger = warningLogger();
    const drivers: Record<string, Record<string, () => void>> = {
      LIGTH: { TurnOn: () => {} },
      LIGHT: { SetTargetTemperature: () => {}, TrunOn: () => {}, TurnOn: () => {} },
    };
    createHomeExtension({
      logger,
      authenticate: () => undefined,
      drivers,
      actions: { TurnOnn: () => {} } as never,
    });
    expect(logger.warnings).toHaveLength(4);
    const text = logger.warnings.join('\n');
    expect(text).toContain('actions.TurnOnn is not a Clova Home action');
    expect(text).toContain(
      'drivers.LIGTH: "LIGTH" is not an appliance type (spec §6.2), so this driver never runs. Did you mean "LIGHT"?',
    );
    expect(text).toContain(
      'drivers.LIGHT.SetTargetTemperature is dead code: type LIGHT does not allow SetTargetTemperature',
    );
    expect(text).toContain(
      'drivers.LIGHT.TrunOn is not a Clova Home action (spec §4.3), so it never runs. Did you mean "TurnOn"?',
    );
  });

  it('warns at the first discovery about appliance data mistakes, once per distinct mistake', async () => {
    const logger = warningLogger();
    const rows: ApplianceData[] = [
      { ...base, id: 'l1', type: 'LIGTH', location: 'LIVINGROOM' },
      { ...base, id: 'l2', type: 'LIGTH' },
      {
        ...base,
        id: 'l3',
        type: 'LIGHT',
        actions: ['TurnOn', 'SetTargetTemperature', 'TrunOff'],
        confirm: ['TurnOff', 'GetDeviceState', 'Opne'],
      },
    ];
    const home = createHomeExtension({
      logger,
      // Fresh objects per request, as a database would return: still one warning per mistake.
      authenticate: () => ({ user: {}, appliances: appliancesFromData(structuredClone(rows)) }),
      actions: { TurnOn: () => {}, TurnOff: () => {} },
      validateReplies: false,
    });
    expect(logger.warnings).toEqual([]);
    await send(home, buildDiscoverAppliancesRequest());
    await send(home, buildDiscoverAppliancesRequest());
    const text = logger.warnings.join('\n');
    expect(logger.warnings).toHaveLength(6);
    expect(text).toContain('unknown type "LIGTH" (spec §6.2)');
    expect(text).toContain('Did you mean "LIGHT"?');
    expect(text).toContain('unknown location code "LIVINGROOM" (spec §6.6)');
    expect(text).toContain('Did you mean "LIVING_ROOM"?');
    expect(text).toContain('actions lists SetTargetTemperature, which type LIGHT does not allow');
    expect(text).toContain('actions lists "TrunOff", which is not a Clova Home action (spec §4.3)');
    expect(text).toContain('Did you mean "TurnOff"?');
    expect(text).toContain('confirm lists GetDeviceState: CLOVA ignores actionsNeededUserConfirmation');
    expect(text).toContain('confirm lists "Opne"');
  });
});
