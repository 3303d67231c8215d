import { afterAll, describe, expect, it } from 'vitest';
import { createEndpoint, silentLogger, type Dispatcher, type Logger } from 'cekit';
import {
  appliancesFromData,
  createHomeExtension,
  homeRequest,
  validateHomeMessage,
  type HomeMessage,
} from 'cekit/home';
import { serve } from 'cekit/node';
import { generateTestKeyPair } from 'cekit/testing';
import { createSmartHome } from '../../examples/smart-home/home.js';

const keys = generateTestKeyPair();
const verify = { keys: [keys.publicKeyPem], bundledKey: false, keyUrl: false } as const;
const TOKEN = 'token-123';

function build(logger: Logger = silentLogger) {
  return createSmartHome({ accessToken: TOKEN, verify, logger });
}

async function send(home: { endpoint: ReturnType<typeof createEndpoint> }, message: unknown) {
  const body = JSON.stringify(message);
  const res = await home.endpoint.handle({
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=UTF-8', signaturecek: keys.sign(body) },
    body: Buffer.from(body),
  });
  const text = String(res.body);
  return {
    status: res.status,
    json: JSON.parse(text) as HomeMessage & { error?: { code: string; message: string } },
  };
}

/** Every reply the framework produces must validate against the generated schemas. */
function expectValid(reply: HomeMessage) {
  expect(validateHomeMessage(reply)).toEqual([]);
  expect(reply.header.messageId).toMatch(/^[0-9a-f-]{36}$/);
}

const target = (applianceId: string) => ({ accessToken: TOKEN, appliance: { applianceId } });

describe('smart-home example over the signed endpoint', () => {
  it('answers discovery from the registered appliances with allowed actions from the type', async () => {
    const { home } = build();
    const { status, json } = await send(
      home,
      homeRequest('DiscoverAppliances' as never, { accessToken: TOKEN } as never),
    );
    expect(status).toBe(200);
    expectValid(json);
    expect(json.header.name).toBe('DiscoverAppliancesResponse');
    const found = (json.payload as { discoveredAppliances: { applianceId: string; actions: string[] }[] })
      .discoveredAppliances;
    expect(found.map((a) => a.applianceId)).toEqual(['light-1', 'aircon-1', 'tv-1', 'lock-1']);
    expect(found[1]!.actions).toContain('SetTargetTemperature'); // computed from AIRCONDITIONER (§6.2)
    expect(found[0]!.actions).not.toContain('SetColorTemperature'); // overridden by the appliance
  });

  it('routes control and query actions to the type driver and builds typed confirmations', async () => {
    const { home, state } = build();
    let r = await send(
      home,
      homeRequest('SetTargetTemperature', { ...target('aircon-1'), targetTemperature: { value: 22 } }),
    );
    expectValid(r.json);
    expect(r.json.header.name).toBe('SetTargetTemperatureConfirmation');
    expect(r.json.payload).toEqual({
      targetTemperature: { value: 22 },
      previousState: { targetTemperature: { value: 26 } },
    });
    expect(state.aircon.targetTemperature).toBe(22);
    r = await send(home, homeRequest('GetTargetTemperature', target('aircon-1')));
    expectValid(r.json);
    expect(r.json.payload).toEqual({ targetTemperature: { value: 22 } });
    r = await send(
      home,
      homeRequest('SetColor', { ...target('light-1'), color: { hue: 120, saturation: 50 } }),
    );
    expectValid(r.json);
    expect(state.light.color).toEqual({ hue: 120, saturation: 50 });
    r = await send(home, homeRequest('IncrementVolume', { ...target('tv-1'), deltaVolume: { value: 3 } }));
    expectValid(r.json);
    expect(state.tv.volume).toBe(15);
    r = await send(home, homeRequest('SetLockState', { ...target('lock-1'), lockState: 'UNLOCKED' }));
    expectValid(r.json);
    expect(r.json.payload).toEqual({ lockState: 'UNLOCKED' });
    r = await send(home, homeRequest('TurnOn', target('tv-1')));
    expect(r.json.header.name).toBe('TurnOnConfirmation');
    expect(state.tv.on).toBe(true);
  });

  it('answers the spec errors as HTTP 200 replies', async () => {
    const { home } = build();
    const cases: [unknown, string][] = [
      [homeRequest('TurnOn', target('nope')), 'NoSuchTargetError'],
      [
        homeRequest('SetColorTemperature', { ...target('light-1'), colorTemperature: { value: 3000 } }),
        'UnsupportedOperationError',
      ],
      [
        homeRequest('SetMode', { ...target('aircon-1'), mode: { value: 'sleep' } }),
        'UnsupportedOperationError',
      ],
      [
        homeRequest('SetBrightness', { ...target('light-1'), brightness: { value: 140 } }),
        'ValueOutOfRangeError',
      ],
      [
        homeRequest('SetTargetTemperature', { ...target('aircon-1'), targetTemperature: { value: 35 } }),
        'ValueOutOfRangeError',
      ],
      [
        homeRequest('TurnOn', { accessToken: 'wrong', appliance: { applianceId: 'tv-1' } }),
        'InvalidAccessTokenError',
      ],
      [homeRequest('SetLockState', { ...target('lock-1'), lockState: 'AJAR' }), 'ValueNotSupportedError'],
    ];
    for (const [request, expected] of cases) {
      const { status, json } = await send(home, request);
      expect(status).toBe(200);
      expect(json.header.name).toBe(expected);
      expectValid(json);
    }
    const range = await send(
      home,
      homeRequest('SetTargetTemperature', { ...target('aircon-1'), targetTemperature: { value: 35 } }),
    );
    expect(range.json.payload).toEqual({ minimumValue: 18, maximumValue: 30 });
  });

  it('answers HealthCheck automatically and TargetOfflineError for an unreachable device', async () => {
    const home = createHomeExtension({
      verify,
      logger: silentLogger,
      authenticate: () => ({
        user: {},
        appliances: [
          { id: 'fan', type: 'FAN', name: 'Fan', manufacturer: 'm', model: 'f' },
          { id: 'off', type: 'FAN', name: 'Fan 2', manufacturer: 'm', model: 'f', reachable: false },
        ],
      }),
      actions: { TurnOn: () => {} },
    });
    const health = await send(home, homeRequest('HealthCheck', target('fan')));
    expectValid(health.json);
    expect(health.json.payload).toEqual({ isReachable: true, isTurnOn: false });
    const offline = await send(home, homeRequest('TurnOn', target('off')));
    expect(offline.json.header.name).toBe('TargetOfflineError');
  });

  it('turns an expired token and a thrown exception into error replies, without logging the token', async () => {
    const lines: string[] = [];
    const capture: Logger = {
      debug: (m, f) => lines.push(m + JSON.stringify(f ?? {})),
      info: (m, f) => lines.push(m + JSON.stringify(f ?? {})),
      warn: (m, f) => lines.push(m + JSON.stringify(f ?? {})),
      error: (m, f) => lines.push(m + JSON.stringify(f ?? {})),
    };
    const { HomeError } = await import('cekit/home');
    const home = createHomeExtension({
      verify,
      logger: capture,
      authenticate: (token) => {
        if (token === 'old') throw new HomeError('ExpiredAccessTokenError');
        return {
          user: {},
          appliances: [{ id: 'l', type: 'LIGHT', name: 'L', manufacturer: 'm', model: 'x' }],
        };
      },
      actions: {
        TurnOn: () => {
          throw new Error('bridge unreachable');
        },
      },
    });
    const expired = await send(
      home,
      homeRequest('TurnOn', { accessToken: 'old', appliance: { applianceId: 'l' } }),
    );
    expect(expired.json.header.name).toBe('ExpiredAccessTokenError');
    const failed = await send(
      home,
      homeRequest('TurnOn', { accessToken: 'secret-token-xyz', appliance: { applianceId: 'l' } }),
    );
    expect(failed.status).toBe(200);
    expect(failed.json.header.name).toBe('DriverInternalError');
    expect(lines.join('\n')).toContain('bridge unreachable');
    expect(lines.join('\n')).not.toContain('secret-token-xyz');
  });

  it('reply validation catches a misspelled action in discovery (§6.1: names of §4.3 only)', async () => {
    const lines: string[] = [];
    const capture: Logger = { ...silentLogger, error: (m, f) => lines.push(m + JSON.stringify(f ?? {})) };
    const home = createHomeExtension({
      verify,
      logger: capture,
      validateReplies: true,
      // Data-driven appliances: names are plain strings, checked at run time only.
      authenticate: () => ({
        user: {},
        appliances: appliancesFromData([
          {
            id: 'l',
            type: 'LIGHT',
            name: 'L',
            manufacturer: 'm',
            model: 'x',
            actions: ['TurnOn', 'TrunOff'],
          },
        ]),
      }),
    });
    const { status, json } = await send(
      home,
      homeRequest('DiscoverAppliances' as never, { accessToken: TOKEN } as never),
    );
    expect(status).toBe(200);
    expect(json.header.name).toBe('DriverInternalError');
    expect(lines.join('\n')).toContain('payload.discoveredAppliances[0].actions[1]');
    expect(lines.join('\n')).toContain('TrunOff');
  });

  it('refuses a message that is not a valid Clova Home request with 400 INVALID_MESSAGE naming the field', async () => {
    const { home } = build();
    const bad = homeRequest('SetBrightness', {
      ...target('light-1'),
      brightness: { value: 10 },
    }) as unknown as {
      payload: { brightness: unknown };
    };
    bad.payload.brightness = 'ten';
    const { status, json } = await send(home, bad);
    expect(status).toBe(400);
    expect(json.error?.code).toBe('INVALID_MESSAGE');
    expect(json.error?.message).toContain('payload.brightness');
  });

  it('shares one endpoint with a Custom extension dispatcher', async () => {
    const { home } = build();
    const custom: Dispatcher = {
      kinds: ['custom'],
      dispatch: () => ({
        version: '0.1.0',
        sessionAttributes: {},
        response: {
          outputSpeech: { type: 'SimpleSpeech', values: { type: 'PlainText', lang: 'ja', value: 'hi' } },
          card: {},
          directives: [],
          shouldEndSession: true,
        },
      }),
    };
    const endpoint = createEndpoint({
      dispatcher: [custom, home],
      verify,
      logger: silentLogger,
      allowAnyExtensionId: true,
    });
    const homeReply = await send({ endpoint }, homeRequest('GetLockState', target('lock-1')));
    expect(homeReply.json.header.name).toBe('GetLockStateResponse');
    const customReply = await send(
      { endpoint },
      {
        version: '0.1.0',
        session: { new: true, sessionAttributes: {}, sessionId: 's', user: { userId: 'u' } },
        context: {
          System: {
            application: { applicationId: 'app' },
            device: {
              deviceId: 'd',
              display: { contentLayer: { width: 0, height: 0 }, orientation: 'landscape', size: 'none' },
            },
            user: { userId: 'u' },
          },
        },
        request: { type: 'LaunchRequest' },
      },
    );
    expect(customReply.status).toBe(200);
    expect((customReply.json as unknown as { version: string }).version).toBe('0.1.0');
  });
});

describe('smart-home example over real HTTP', () => {
  const running: { close(): Promise<void> }[] = [];
  afterAll(async () => Promise.all(running.map((server) => server.close())));

  it('serve(home) answers a signed SetTargetTemperatureRequest', async () => {
    const { home } = build();
    const server = await serve(home, { port: 0, host: '127.0.0.1' });
    running.push(server);
    const body = JSON.stringify(
      homeRequest('SetTargetTemperature', { ...target('aircon-1'), targetTemperature: { value: 24 } }),
    );
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=UTF-8', signaturecek: keys.sign(body) },
      body,
    });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as HomeMessage;
    expectValid(reply);
    expect(reply.header.name).toBe('SetTargetTemperatureConfirmation');
  });
});
