import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, type Endpoint } from 'cekit';
import { createHomeExtension } from 'cekit/home';
import { generateTestKeyPair } from 'cekit/testing';
import { EXTENSION_ID, intentRequest, keys, testExtension, type Json } from '../custom/harness.js';
import { readFixture } from '../helpers/fixtures.js';

// A `__proto__` key can be spelled in JSON with any of its nine characters written as a `\u` escape
// (in upper or lower case hex). JSON.parse turns every spelling into the same own key, and assigning
// that key to an object makes the value its prototype. Each spelling must be refused wherever it
// appears, before any handler runs.
const KEY = '__proto__';
const escape = (c: string, upper: boolean) => {
  const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
  return `\\u${upper ? hex.toUpperCase() : hex}`;
};

/** All 512 ways to spell the key with some characters escaped (lower-case hex), plus upper-case hex. */
function allSpellings(): string[] {
  const spellings: string[] = [];
  for (let mask = 0; mask < 1 << KEY.length; mask++) {
    spellings.push([...KEY].map((c, i) => (mask & (1 << i) ? escape(c, false) : c)).join(''));
  }
  spellings.push([...KEY].map((c) => escape(c, true)).join(''));
  return spellings;
}
const SPELLINGS = allSpellings();
/** A few telling spellings for the placement matrix: plain, fully escaped, half escaped, only one letter. */
const SAMPLES = [
  KEY,
  [...KEY].map((c) => escape(c, false)).join(''),
  `${escape('_', false)}_proto__`,
  `__${escape('p', true)}roto__`,
  `__proto_${escape('_', false)}`,
];

const MARK = '"cekit-placeholder-key"';
/** JSON text of `message` with the placeholder key replaced by `spelling` (as raw JSON source). */
const withKey = (message: unknown, spelling: string) =>
  JSON.stringify(message).replace(MARK, `"${spelling}"`);
const payload = { isAdmin: true };
const at = (depth: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { 'cekit-placeholder-key': payload };
  for (let i = 0; i < depth; i++) value = i % 2 ? { level: value } : { list: [1, value] };
  return value;
};

let handled = 0;
const custom = testExtension();
custom.intent('Probe', (ctx) => {
  handled++;
  return ctx.say('ok');
});
custom.on(
  () => true,
  (ctx) => {
    handled++;
    return ctx.say('ok');
  },
);

const homeKeys = generateTestKeyPair();
const home = createHomeExtension({
  verify: { keys: [homeKeys.publicKeyPem], bundledKey: false, keyUrl: false },
  logger: silentLogger,
  authenticate: () => {
    handled++;
    return {
      user: {},
      appliances: [{ id: 'device-001', type: 'LIGHT', name: 'L', manufacturer: 'm', model: 'x' }],
    };
  },
  actions: { TurnOn: () => void handled++ },
});

async function post(endpoint: Endpoint, sign: (body: string) => string, text: string) {
  const res = await endpoint.handle({
    method: 'POST',
    headers: { 'content-type': 'application/json', signaturecek: sign(text) },
    body: Buffer.from(text, 'utf8'),
  });
  return { status: res.status, json: JSON.parse(res.body) as Json };
}
const sendCustom = (text: string) => post(custom.endpoint, keys.sign, text);
const sendHome = (text: string) => post(home.endpoint, homeKeys.sign, text);

function customMessage(place: (message: Json, value: Record<string, unknown>) => void, depth: number) {
  const message = intentRequest('Probe', { item: { value: 'x' } });
  place(message, at(depth));
  return message;
}

const CUSTOM_PLACES: [string, (message: Json, value: Record<string, unknown>) => void][] = [
  ['session attributes', (m, v) => (m.session.sessionAttributes = v)],
  ['a slot map', (m, v) => Object.assign(m.request.intent.slots, v)],
  ['a slot', (m, v) => (m.request.intent.slots.item = { name: 'item', value: 'x', ...v })],
  ['the device context', (m, v) => (m.context.System.device.display = v)],
  ['the top level', (m, v) => Object.assign(m, v)],
];

afterEach(() => {
  // Nothing may have reached Object.prototype, whatever happened.
  expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
});

describe('the __proto__ key, whatever its spelling', () => {
  it('is refused in session attributes in all 513 spellings', async () => {
    for (const spelling of SPELLINGS) {
      const res = await sendCustom(withKey(customMessage(CUSTOM_PLACES[0]![1], 0), spelling));
      expect([spelling, res.status, res.json.error?.code]).toEqual([spelling, 400, 'JSON_FORBIDDEN_KEY']);
    }
    expect(handled).toBe(0);
  });

  for (const [where, place] of CUSTOM_PLACES) {
    it(`is refused in ${where} at every depth`, async () => {
      for (const spelling of SAMPLES) {
        for (const depth of [0, 1, 2, 5, 20]) {
          const res = await sendCustom(withKey(customMessage(place, depth), spelling));
          expect([spelling, depth, res.status, res.json.error?.code]).toEqual([
            spelling,
            depth,
            400,
            'JSON_FORBIDDEN_KEY',
          ]);
        }
      }
      expect(handled).toBe(0);
    });
  }

  it('is refused in an event payload', async () => {
    const message = readFixture<Json>('custom/event-audioplayer-play-finished.json');
    message.context.System.application = { applicationId: EXTENSION_ID };
    message.request.event.payload = at(3);
    for (const spelling of SAMPLES) {
      const res = await sendCustom(withKey(message, spelling));
      expect(res.json.error?.code).toBe('JSON_FORBIDDEN_KEY');
    }
    expect(handled).toBe(0);
  });

  it('is refused anywhere in a Clova Home message', async () => {
    const places: ((message: Json, value: Record<string, unknown>) => void)[] = [
      (m, v) => Object.assign(m.payload, v),
      (m, v) => Object.assign(m.payload.appliance, v),
      (m, v) => (m.payload.appliance.additionalApplianceDetails = v),
      (m, v) => Object.assign(m.header, v),
    ];
    for (const place of places) {
      for (const spelling of SAMPLES) {
        for (const depth of [0, 3]) {
          const message = readFixture<Json>('home/turn-on-request.json');
          place(message, at(depth));
          const res = await sendHome(withKey(message, spelling));
          expect([spelling, depth, res.status, res.json.error?.code]).toEqual([
            spelling,
            depth,
            400,
            'JSON_FORBIDDEN_KEY',
          ]);
        }
      }
    }
    expect(handled).toBe(0);
  });

  it('lets escapes elsewhere through: an escaped key that is not __proto__ is an ordinary attribute', async () => {
    let seen: unknown;
    const app = testExtension();
    app.intent('Probe', (ctx) => {
      seen = { ...ctx.session };
      return ctx.say('ok');
    });
    const text = withKey(customMessage(CUSTOM_PLACES[0]![1], 0), '\\u005f\\u005fprotox\\u005f\\u005f');
    const res = await post(
      app.endpoint,
      keys.sign,
      text.replace('"isAdmin":true', '"name":"\\u30df\\u30ab"'),
    );
    expect(res.status).toBe(200);
    expect(seen).toEqual({ __protox__: { name: 'ミカ' } });
  });

  it('never becomes a prototype of the session, even when it comes from elsewhere than a request', async () => {
    // A raw dispatcher can hand the framework any object; the session copy must not take its prototype.
    const hostile = JSON.parse('{"__proto__":{"isAdmin":true},"plain":1}') as Record<string, unknown>;
    let session: Record<string, unknown> | undefined;
    const app = testExtension();
    app.use((ctx, next) => {
      session = ctx.session as Record<string, unknown>;
      return next();
    });
    app.intent('Probe', (ctx) => ctx.say(String((ctx.session as Record<string, unknown>).isAdmin)));
    const message = intentRequest('Probe');
    const dispatched = app.dispatch(
      { ...message, session: { ...message.session, sessionAttributes: hostile } },
      {
        kind: 'custom',
        receivedAt: 0,
        signal: new AbortController().signal,
      },
    );
    const answer = (await dispatched) as Json;
    expect(session?.isAdmin).toBeUndefined();
    expect(Object.getPrototypeOf(session)).toBe(Object.prototype);
    expect(answer.response.outputSpeech.values.value).toBe('undefined');
  });
});
