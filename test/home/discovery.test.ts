import { describe, expect, it } from 'vitest';
import { silentLogger } from 'cekit';
import { createHomeExtension, validateHomeMessage, type Appliance, type HomeCustomCommand } from 'cekit/home';
import { buildDiscoverAppliancesRequest, buildHomeControlRequest } from 'cekit/testing';
import { readFixture } from '../helpers/fixtures.js';
import { send, warningLogger } from './helpers.js';

const base = { name: 'Light', manufacturer: 'ACME', model: 'L1' } as const;

type Discovered = {
  discoveredAppliances: Record<string, unknown>[];
  customCommands?: unknown;
};

async function discover(appliances: readonly Appliance[], customCommands?: readonly HomeCustomCommand[]) {
  const home = createHomeExtension({
    logger: silentLogger,
    authenticate: () => ({ user: {}, appliances, ...(customCommands ? { customCommands } : {}) }),
    actions: { TurnOn: () => {}, TurnOff: () => {}, SetBrightness: () => {} },
  });
  const reply = await send(home, buildDiscoverAppliancesRequest());
  expect(reply.header.name).toBe('DiscoverAppliancesResponse');
  expect(validateHomeMessage(reply)).toEqual([]);
  return reply.payload as Discovered;
}

describe('discovery carries the documented fields (§3, §6.1)', () => {
  it('customCommands[] from the account (CustomCommandInfoObject, §6.3)', async () => {
    const payload = await discover(
      [{ id: 'light-1', type: 'LIGHT', ...base }],
      [{ name: 'おはよう', actions: [{ applianceId: 'light-1', action: 'TurnOn' }] }],
    );
    expect(payload.customCommands).toEqual([
      { name: 'おはよう', actions: [{ applianceId: 'light-1', action: 'TurnOn' }] },
    ]);
  });

  it('omits customCommands when the account has none (most examples do, §8 #6)', async () => {
    const payload = await discover([{ id: 'light-1', type: 'LIGHT', ...base }]);
    expect('customCommands' in payload).toBe(false);
  });

  it('JP actionsNeededUserConfirmation from `confirm`', async () => {
    const payload = await discover([{ id: 'light-1', type: 'LIGHT', ...base, confirm: ['TurnOff'] }]);
    expect(payload.discoveredAppliances[0]!.actionsNeededUserConfirmation).toEqual(['TurnOff']);
  });

  it('several applianceTypes; the actions and drivers of each type apply', async () => {
    const home = createHomeExtension({
      logger: silentLogger,
      authenticate: () => ({
        user: {},
        appliances: [{ id: 'combo', type: ['LIGHT', 'AIRPURIFIER'], ...base }],
      }),
      drivers: {
        LIGHT: { TurnOn: () => {} },
        AIRPURIFIER: { SetFanSpeed: ({ request }) => ({ fanSpeed: request.fanSpeed }) },
      },
    });
    const reply = await send(home, buildDiscoverAppliancesRequest());
    expect(validateHomeMessage(reply)).toEqual([]);
    const [info] = (reply.payload as Discovered).discoveredAppliances;
    expect(info!.applianceTypes).toEqual(['LIGHT', 'AIRPURIFIER']);
    expect(info!.actions).toEqual(['HealthCheck', 'SetFanSpeed', 'TurnOn']);
    const fan = await send(home, buildHomeControlRequest('SetFanSpeed', 'combo', { fanSpeed: { value: 2 } }));
    expect(fan.header.name).toBe('SetFanSpeedConfirmation');
    expect(fan.payload).toEqual({ fanSpeed: { value: 2 } });
  });

  it('KR actionDetails typed, emitted under additionalApplianceDetails next to free-form details', async () => {
    const payload = await discover([
      {
        id: 'light-1',
        type: 'LIGHT',
        ...base,
        details: { bridgeId: 'b-1' },
        actionDetails: [
          { action: 'SetMode', allowableValue: { type: 'string', enumValues: ['sleep', 'rest'] } },
          { action: 'SetBrightness', allowableValue: { type: 'boundedNumber', minValue: 30, maxValue: 100 } },
        ],
      },
    ]);
    const fixture = readFixture<{ payload: Discovered }>(
      'home/discover-appliances-response-action-details.json',
    );
    const documented = (
      fixture.payload.discoveredAppliances[0]!.additionalApplianceDetails as { actionDetails: unknown }
    ).actionDetails;
    expect(payload.discoveredAppliances[0]!.additionalApplianceDetails).toEqual({
      bridgeId: 'b-1',
      actionDetails: documented,
    });
  });

  it('validateHomeMessage checks actionDetails against §6.1', () => {
    const fixture = readFixture('home/discover-appliances-response-action-details.json');
    expect(validateHomeMessage(fixture)).toEqual([]);
    const bad = structuredClone(fixture) as { payload: Discovered };
    (
      bad.payload.discoveredAppliances[0]!.additionalApplianceDetails as { actionDetails: unknown[] }
    ).actionDetails = [{ action: 'SetBrigthness', allowableValue: { type: 'range' } }];
    const paths = validateHomeMessage(bad).map((issue) => issue.path.join('.'));
    expect(paths).toEqual([
      'payload.discoveredAppliances.0.additionalApplianceDetails.actionDetails.0.action',
      'payload.discoveredAppliances.0.additionalApplianceDetails.actionDetails.0.allowableValue.type',
    ]);
  });
});

describe('default advertised actions (§2: list only what the device supports)', () => {
  it('are the actions the type allows that have a handler, plus HealthCheck', async () => {
    const payload = await discover([{ id: 'light-1', type: 'LIGHT', ...base }]);
    // LIGHT allows SetColor, IncrementBrightness…: no handler, so not advertised.
    expect(payload.discoveredAppliances[0]!.actions).toEqual([
      'HealthCheck',
      'SetBrightness',
      'TurnOff',
      'TurnOn',
    ]);
  });

  it('leave HealthCheck out for a type that does not allow it', async () => {
    const home = createHomeExtension({
      logger: silentLogger,
      authenticate: () => ({
        user: {},
        appliances: [{ id: 'lift', type: 'BUILDING_ELEVATOR_CALLER', ...base }],
      }),
      drivers: { BUILDING_ELEVATOR_CALLER: { CallElevator: () => {} } },
    });
    const reply = await send(home, buildDiscoverAppliancesRequest());
    expect((reply.payload as Discovered).discoveredAppliances[0]!.actions).toEqual(['CallElevator']);
  });

  it('an explicit list is kept, with one warning for each listed action nothing handles', async () => {
    const logger = warningLogger();
    const home = createHomeExtension({
      logger,
      authenticate: () => ({
        user: {},
        appliances: [
          { id: 'l1', type: 'LIGHT', ...base, actions: ['TurnOn', 'SetColor', 'HealthCheck'] },
          { id: 'l2', type: 'LIGHT', ...base, actions: ['SetColor'] },
        ],
      }),
      actions: { TurnOn: () => {} },
    });
    const reply = await send(home, buildDiscoverAppliancesRequest());
    expect((reply.payload as Discovered).discoveredAppliances.map((a) => a.actions)).toEqual([
      ['TurnOn', 'SetColor', 'HealthCheck'],
      ['SetColor'],
    ]);
    await send(home, buildDiscoverAppliancesRequest());
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain('SetColor');
    expect(logger.warnings[0]).toContain('UnsupportedOperationError');
    expect(logger.warnings[0]).toContain('drivers.LIGHT.SetColor');
  });
});
