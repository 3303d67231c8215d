import { describe, expect, it } from 'vitest';
import { silentLogger } from 'cekit';
import {
  APPLIANCE_TYPE_ACTIONS,
  ERRORS,
  HomeError,
  INTERFACES,
  applianceInfo,
  createHomeExtension,
  discoveryPayloads,
  homePayloads,
  validateHomeMessage,
  type Appliance,
  type ApplianceTypeName,
  type HomeActionHandlers,
  type HomeErrorName,
  type HomeMessageName,
  type HomeScene,
} from 'cekit/home';
import {
  buildActionSceneRequest,
  buildDiscoverAppliancesRequest,
  buildDiscoverScenesRequest,
  buildHomeControlRequest,
} from 'cekit/testing';
import { send } from './helpers.js';

/**
 * Everything the spec-derived catalog (src/home/catalog) names can go through the public API: every
 * request is RECEIVED by a handler that sees its typed payload, every reply and error is PRODUCED by the
 * framework as a message that validates. Directions that do not exist in the protocol are noted where
 * they are skipped: CEK only sends requests, an extension only sends replies and errors (§1).
 */

type Json = {
  anyOf?: Json[];
  enum?: unknown[];
  const?: unknown;
  type?: string;
  properties?: Record<string, Json>;
  items?: Json;
};

/** A value for a JSON Schema with every property, optional ones included, so every field is exercised. */
function sample(schema: Json): unknown {
  if (schema.anyOf) return sample(schema.anyOf[0]!); // The documented form comes first (acceptBoth).
  if (schema.enum) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([key, value]) => [key, sample(value)]),
      );
    case 'array':
      return [sample(schema.items ?? {})];
    case 'string':
      return 'x';
    case 'number':
    case 'integer':
      return 1; // Inside every range the spec defines (brightness, hue, fan speed 1–3).
    case 'boolean':
      return true;
    default:
      return { any: 'value' };
  }
}

const samplePayload = (name: string) =>
  sample(homePayloads[name as HomeMessageName].toJSONSchema() as Json) as Record<string, unknown>;

const applianceInterfaces = INTERFACES.filter((entry) => entry.action !== 'ActionScene');
const typeFor = (action: string) =>
  (Object.keys(APPLIANCE_TYPE_ACTIONS) as ApplianceTypeName[]).find((type) =>
    (APPLIANCE_TYPE_ACTIONS[type] as readonly string[]).includes(action),
  )!;
const ECHOED = { bridgeId: 'bridge-1', index: 1 };

/** One appliance per action (of a type that allows it) and a handler per action that records its request. */
function everyActionHome(fail?: () => never) {
  const received = new Map<string, unknown>();
  const handlers = Object.fromEntries(
    applianceInterfaces.map((entry) => [
      entry.action,
      ({ request }: { request: unknown }) => {
        received.set(entry.action, request);
        if (fail) fail();
        return samplePayload(entry.reply);
      },
    ]),
  ) as HomeActionHandlers<unknown>;
  const appliances: Appliance[] = applianceInterfaces.map((entry) => ({
    id: `id-${entry.action}`,
    type: typeFor(entry.action),
    name: entry.action,
    manufacturer: 'm',
    model: 'x',
    details: ECHOED,
  }));
  const home = createHomeExtension({
    logger: silentLogger,
    authenticate: () => ({ user: {}, appliances }),
    actions: handlers,
  });
  return { home, received };
}

function requestFor(action: string) {
  const { accessToken: _token, appliance: _appliance, ...fields } = samplePayload(`${action}Request`);
  return buildHomeControlRequest(action, `id-${action}`, fields, { additionalApplianceDetails: ECHOED });
}

describe('every Clova Home interface (§4.3) is received by a handler and answered', () => {
  it('covers the 87 interfaces of the catalog (86 appliance actions + ActionScene)', () => {
    expect(INTERFACES).toHaveLength(87);
    expect(applianceInterfaces).toHaveLength(86);
    for (const entry of applianceInterfaces) expect(typeFor(entry.action), entry.action).toBeDefined();
  });

  const { home, received } = everyActionHome();
  for (const entry of applianceInterfaces) {
    it(`${entry.request} → ${entry.reply}`, async () => {
      const request = requestFor(entry.action);
      const reply = await send(home, request);
      // RECEIVED: the handler saw the whole typed payload, every documented field and the echoed details.
      expect(received.get(entry.action)).toEqual(request.payload);
      expect(
        (request.payload.appliance as { additionalApplianceDetails: unknown }).additionalApplianceDetails,
      ).toEqual(ECHOED);
      // PRODUCED: the handler's payload, with every documented reply field, under the right name.
      expect(reply.header.name).toBe(entry.reply);
      expect(reply.payload).toEqual(samplePayload(entry.reply));
      expect(validateHomeMessage(reply)).toEqual([]);
    });
  }
});

describe('every error (§5) is produced from a thrown HomeError', () => {
  // Produce-only: CEK never sends an error to an extension; errors answer requests (§1, §5).
  it('covers the 14 errors', () => expect(ERRORS).toHaveLength(14));
  for (const error of ERRORS) {
    it(error.name, async () => {
      const payload = samplePayload(error.name);
      const { home } = everyActionHome(() => {
        // Any name at run time; typed as one that takes a payload so the sample can be passed.
        throw new HomeError(error.name as HomeErrorName & 'ValueOutOfRangeError', payload as never);
      });
      const reply = await send(home, requestFor('TurnOn'));
      expect(reply.header.name).toBe(error.name);
      expect(reply.payload).toEqual(payload);
      expect(validateHomeMessage(reply)).toEqual([]);
    });
  }
});

describe('discovery (§3, §6.1) and scenes (§3, §6.3)', () => {
  it('DiscoverAppliancesRequest is received by authenticate; every response field is produced', async () => {
    const tokens: string[] = [];
    const home = createHomeExtension({
      logger: silentLogger,
      authenticate: (token) => {
        tokens.push(token);
        return {
          user: {},
          appliances: [
            {
              id: 'light-1',
              type: ['LIGHT', 'SWITCH'],
              name: 'Light',
              manufacturer: 'ACME',
              model: 'L1',
              location: 'LIVING_ROOM',
              description: 'Ceiling light',
              version: '2.1',
              reachable: true,
              isIr: false,
              tags: ['family'],
              actions: ['TurnOn', 'TurnOff', 'HealthCheck'],
              confirm: ['TurnOff'],
              actionDetails: [
                { action: 'SetBrightness', allowableValue: { type: 'number', enumValues: [10, 50] } },
              ],
              details: ECHOED,
            },
          ],
          customCommands: [{ name: 'おやすみ', actions: [{ applianceId: 'light-1', action: 'TurnOff' }] }],
        };
      },
      actions: { TurnOn: () => {}, TurnOff: () => {} },
    });
    const reply = await send(home, buildDiscoverAppliancesRequest({ accessToken: 'token-1' }));
    expect(tokens).toEqual(['token-1']);
    expect(validateHomeMessage(reply)).toEqual([]);
    const payload = reply.payload as { discoveredAppliances: Record<string, unknown>[] };
    // Every member of the response and of ApplianceInfoObject (§6.1) is there, none invented.
    expect(Object.keys(payload).sort()).toEqual(
      Object.keys(discoveryPayloads.DiscoverAppliancesResponse.shape).sort(),
    );
    expect(Object.keys(payload.discoveredAppliances[0]!).sort()).toEqual(
      Object.keys(applianceInfo.shape).sort(),
    );
    expect(payload.discoveredAppliances[0]).toMatchObject({
      applianceTypes: ['LIGHT', 'SWITCH'],
      actionsNeededUserConfirmation: ['TurnOff'],
      additionalApplianceDetails: {
        ...ECHOED,
        actionDetails: [
          { action: 'SetBrightness', allowableValue: { type: 'number', enumValues: [10, 50] } },
        ],
      },
    });
    // Receive side of discovery fields: only additionalApplianceDetails comes back, echoed in every
    // control request (§4.2); the interface loop above shows handlers receive it. The other fields are
    // produce-only: CEK keeps them and never sends them to the extension.
  });

  it('DiscoverScenesRequest reaches scenes(user); every SceneInfoObject field is produced; ActionScene receives it', async () => {
    const scene = sample(homePayloads.DiscoverScenesResponse.toJSONSchema() as Json) as {
      discoveredScenes: HomeScene[];
    };
    const users: string[] = [];
    const ran: unknown[] = [];
    const home = createHomeExtension({
      logger: silentLogger,
      authenticate: () => ({ user: 'alice', appliances: [] }),
      scenes: (user) => {
        users.push(user);
        return scene.discoveredScenes;
      },
      actionScene: ({ request }) => void ran.push(request),
    });
    const discovered = await send(home, buildDiscoverScenesRequest());
    expect(users).toEqual(['alice']);
    expect(discovered.payload).toEqual(scene);
    expect(validateHomeMessage(discovered)).toEqual([]);
    const request = buildActionSceneRequest(scene.discoveredScenes[0]!);
    const reply = await send(home, request);
    expect(ran).toEqual([request.payload]);
    expect(reply.header.name).toBe('ActionSceneConfirmation');
    expect(validateHomeMessage(reply)).toEqual([]);
  });
});
