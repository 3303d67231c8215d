import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createEndpoint,
  createExtension,
  silentLogger,
  validateCustomResponse,
  type Dispatcher,
} from 'cekit';
import { appliancesFromData, createHomeExtension, validateHomeMessage } from 'cekit/home';
import { generateTestKeyPair } from 'cekit/testing';
import { readFixture } from '../helpers/fixtures.js';

// CEK must never receive an invalid reply: whatever a dispatcher returns is checked before it is
// sent, in production too, and a reply that fails is logged and replaced by the valid fallback.

const keys = generateTestKeyPair();
const verify = { keys: [keys.publicKeyPem], bundledKey: false, keyUrl: false } as const;
const EXTENSION_ID = 'com.example.replies';

const launch = readFixture<Record<string, Record<string, unknown>>>('custom/launch-request.json');
(launch.context!.System as { application: unknown }).application = { applicationId: EXTENSION_ID };
const turnOn = readFixture('home/turn-on-request.json');

function signed(message: unknown, receivedAt?: number) {
  const body = Buffer.from(JSON.stringify(message));
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', signaturecek: keys.sign(body) },
    body,
    receivedAt,
  };
}

function rawEndpoint(
  dispatcher: Partial<Dispatcher> & Pick<Dispatcher, 'dispatch'>,
  kind: 'custom' | 'home',
) {
  const error = vi.fn();
  const endpoint = createEndpoint({
    dispatcher: { kinds: [kind], ...dispatcher },
    verify,
    ...(kind === 'custom' ? { extensionId: EXTENSION_ID } : {}),
    logger: { ...silentLogger, error },
  });
  return { endpoint, error };
}

const savedEnv = process.env.NODE_ENV;
afterEach(() => {
  process.env.NODE_ENV = savedEnv;
});

describe('replies that are not CEK replies are replaced by the fallback', () => {
  const notCustom: [string, unknown][] = [
    ['a string', 'hello'],
    ['an array', [1, 2]],
    ['an object that is not a reply', { ok: true }],
    ['a reply without response', { version: '1.0', sessionAttributes: {} }],
    [
      'a reply without shouldEndSession',
      { version: '1.0', sessionAttributes: {}, response: { outputSpeech: {}, card: {}, directives: [] } },
    ],
    [
      'directives that are not a list',
      {
        version: '1.0',
        sessionAttributes: {},
        response: { outputSpeech: {}, card: {}, directives: {}, shouldEndSession: true },
      },
    ],
  ];
  for (const [what, reply] of notCustom) {
    for (const mode of ['sync', 'async'] as const) {
      it(`Custom: ${what} (${mode})`, async () => {
        const { endpoint, error } = rawEndpoint(
          { dispatch: () => (mode === 'sync' ? reply : Promise.resolve(reply)) },
          'custom',
        );
        const res = await endpoint.handle(signed(launch));
        expect(res.status).toBe(200);
        const json = JSON.parse(res.body) as Record<string, unknown>;
        expect(validateCustomResponse(json).ok).toBe(true);
        expect((json.response as { shouldEndSession: boolean }).shouldEndSession).toBe(true);
        expect(error).toHaveBeenCalledWith(
          'cekit: handler failed; sent the fallback',
          expect.objectContaining({ error: expect.stringContaining('Invalid reply') as unknown }),
        );
      });
    }
  }

  it('Clova Home: a header without messageId becomes DriverInternalError', async () => {
    const { endpoint, error } = rawEndpoint(
      { dispatch: () => ({ header: { namespace: 'ClovaHome', name: 'TurnOnConfirmation' }, payload: {} }) },
      'home',
    );
    const res = await endpoint.handle(signed(turnOn));
    const json = JSON.parse(res.body) as { header: { name: string } };
    expect(json.header.name).toBe('DriverInternalError');
    expect(validateHomeMessage(json)).toEqual([]);
    expect(error).toHaveBeenCalled();
  });

  it('a fallback that is not a valid reply gives way to the built-in one', async () => {
    const { endpoint, error } = rawEndpoint(
      { dispatch: () => ({ nope: 1 }), fallback: () => ({ still: 'no' }) },
      'custom',
    );
    const json = JSON.parse((await endpoint.handle(signed(launch))).body) as Record<string, unknown>;
    expect(validateCustomResponse(json).ok).toBe(true);
    expect(error).toHaveBeenCalledWith('cekit: the fallback is not a valid reply; sent the built-in one', {
      problem: 'version: expected a string',
    });
  });
});

describe('replies are validated in production too', () => {
  it('Custom: an invalid directive under NODE_ENV=production is never sent', async () => {
    process.env.NODE_ENV = 'production';
    const error = vi.fn();
    const app = createExtension({ extensionId: EXTENSION_ID, verify, logger: { ...silentLogger, error } });
    app.launch((ctx) => {
      // Bypasses the typed API on purpose, as untyped JavaScript could.
      ctx.response.renderPlayerInfo({ displayType: 'grid' } as never);
      ctx.say('hello');
    });
    const res = await app.endpoint.handle(signed(launch));
    const json = JSON.parse(res.body) as { response: { directives: unknown[] } };
    expect(res.status).toBe(200);
    expect(validateCustomResponse(json).ok).toBe(true);
    expect(json.response.directives).toEqual([]);
    expect(error).toHaveBeenCalled();
  });

  it('Clova Home: an invalid reply under NODE_ENV=production becomes DriverInternalError', async () => {
    process.env.NODE_ENV = 'production';
    const error = vi.fn();
    const home = createHomeExtension({
      verify,
      logger: { ...silentLogger, error },
      // An untyped appliance list naming an action that does not exist (§4.3): discovery is invalid.
      authenticate: () => ({
        user: {},
        appliances: appliancesFromData([
          { id: 'device-001', type: 'LIGHT', name: 'L', manufacturer: 'm', model: 'x', actions: ['TrunOff'] },
        ]),
      }),
    });
    const discover = {
      header: { ...(turnOn.header as object), name: 'DiscoverAppliancesRequest' },
      payload: { accessToken: 't' },
    };
    const json = JSON.parse((await home.endpoint.handle(signed(discover))).body) as {
      header: { name: string };
    };
    expect(json.header.name).toBe('DriverInternalError');
    expect(error).toHaveBeenCalled();
  });
});

describe('the response budget counts from the request’s arrival', () => {
  it('a request that waited before handle() gets the fallback when the budget since arrival is spent', async () => {
    const { endpoint } = rawEndpoint({ dispatch: () => new Promise(() => {}) }, 'custom');
    const started = performance.now();
    // Arrived 6.3 s ago (a slow body, a queue): only the last 200 ms of the 6.5 s budget are left.
    const res = await endpoint.handle(signed(launch, performance.now() - 6300));
    const waited = performance.now() - started;
    expect(res.status).toBe(200);
    expect(waited).toBeGreaterThanOrEqual(150);
    expect(waited).toBeLessThan(2000);
  });
});

describe('the request log carries message strings capped and escaped', () => {
  it('a huge header name with a forged line break is cut and escaped', async () => {
    // A signed message cekit refuses is logged at warn (a genuine request was refused).
    const warn = vi.fn();
    const home = createHomeExtension({
      verify,
      logger: { ...silentLogger, warn },
      authenticate: () => undefined,
      actions: {},
    });
    const hostile = `${'X'.repeat(5000)}\n{"level":"info","msg":"forged"}\u202e`;
    const message = { header: { ...(turnOn.header as object), name: hostile }, payload: turnOn.payload };
    const res = await home.endpoint.handle(signed(message));
    expect(res.status).toBe(400);
    const fields = warn.mock.calls.find(([line]) => line === 'cekit: rejected')?.[1] as Record<
      string,
      string
    >;
    const logged = Object.values(fields)
      .filter((value) => typeof value === 'string')
      .join(' ');
    expect(logged.length).toBeLessThan(400);
    expect(logged).not.toMatch(/[\n\u202e]/);
    expect(logged).toContain(`(${hostile.length} chars)`);
  });
});

describe('a refused message of any shape is described without breaking the answer', () => {
  const custom = createExtension({ extensionId: EXTENSION_ID, verify, logger: silentLogger });
  const home = createHomeExtension({ verify, logger: silentLogger, authenticate: () => undefined });
  const shapes = [{ hello: 'world' }, { request: null }, { request: 'text' }, { header: null, payload: {} }];

  it.each(shapes)('signed %j gets a 4xx JSON error from both frameworks', async (message) => {
    for (const app of [custom, home]) {
      const answer = await app.endpoint.handle(signed(message));
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(JSON.parse(answer.body).error.code).toMatch(/^[A-Z_]+$/);
    }
  });

  it('a raw dispatcher whose describe() throws still answers', async () => {
    const { endpoint } = rawEndpoint(
      {
        dispatch: () => undefined,
        describe: () => {
          throw new Error('describe bug');
        },
      },
      'custom',
    );
    const answer = await endpoint.handle(signed({ hello: 'world' }));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error.code).toBe('INVALID_MESSAGE');
  });
});
