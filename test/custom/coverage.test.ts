import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  audio,
  text,
  validateCustomResponse,
  type DirectiveName,
  type EventName,
  type Extension,
  type IntentContext,
  type RenderPlayerInfoDirective,
} from 'cekit';
import {
  buildEventRequest,
  buildIntentRequest,
  buildLaunchRequest,
  buildSessionEndedRequest,
  DEFAULT_EXTENSION_ID,
} from 'cekit/testing';
import { SCHEMA_DIR } from '../../scripts/generate-schemas.js';
import { keys, send, testExtension as harnessExtension, type Json } from './harness.js';

// The cekit/testing builders address their requests to DEFAULT_EXTENSION_ID.
const testExtension = (options: { audioSource?: { name: string } } = {}) =>
  harnessExtension({ extensionId: DEFAULT_EXTENSION_ID, ...options });

// Protocol coverage: every request type, event, directive, speech form and the card of the Custom
// protocol can be RECEIVED by a handler and PRODUCED by the context's methods, through the public
// API only (createExtension, the cekit/testing builders, a signed request through the endpoint).
// The lists are read from the published JSON Schemas, which are generated from the protocol
// definitions: a new request type, event or directive added there fails this test until it is
// handled here. The spec's tables (a copy of the protocol reference in test/fixtures/spec) are
// checked against the same lists.

// A directive the spec does not list (§4.2), declared the way users declare theirs.
declare module 'cekit' {
  interface CustomDirectives {
    'CoverageTest.Show': { message: string };
  }
}

type JsonSchema = { [key: string]: Json };
const load = (name: string) => JSON.parse(readFileSync(join(SCHEMA_DIR, name), 'utf8')) as JsonSchema;
const requestSchema = load('custom-request.json');
const responseSchema = load('custom-response.json');

const requestMembers: JsonSchema[] = requestSchema.properties.request.oneOf;
const REQUEST_TYPES: string[] = requestMembers.map((member) => member.properties.type.const);
const eventMember = requestMembers.find((member) => member.properties.type.const === 'EventRequest')!;
const EVENT_NAMES: string[] = eventMember.properties.event.allOf.map(
  (rule: JsonSchema) => `${rule.if.properties.namespace.const}.${rule.if.properties.name.const}`,
);
const body: JsonSchema = responseSchema.properties.response;
const DIRECTIVE_NAMES: string[] = body.properties.directives.items.anyOf.map(
  (member: JsonSchema) =>
    `${member.properties.header.properties.namespace.const}.${member.properties.header.properties.name.const}`,
);
// outputSpeech: anyOf [speech (SimpleSpeech | SpeechList | SpeechSet), {} ].
const speechMembers: JsonSchema[] = body.properties.outputSpeech.anyOf[0].oneOf;
const SPEECH_TYPES: string[] = speechMembers.map((member) => member.properties.type.const);
const speechSet = speechMembers.find((member) => member.properties.type.const === 'SpeechSet')!;
const SPEECH_INFO_TYPES: string[] = speechSet.properties.brief.oneOf.map(
  (member: JsonSchema) => member.properties.type.const,
);
const RESPONSE_FIELDS: string[] = Object.keys(body.properties);

// ---- receiving ----------------------------------------------------------------------------------

/** How a request of each type is built and which registration receives it. Receive-only: CEK sends them. */
const receivers: Record<
  string,
  { build: () => Json; register: (app: Extension, seen: (what: string) => void) => void }
> = {
  LaunchRequest: {
    build: () => buildLaunchRequest(),
    register: (app, seen) => app.launch((ctx) => void seen(ctx.type)),
  },
  IntentRequest: {
    build: () => buildIntentRequest('OrderPizza', { pizzaType: 'ペパロニ' }),
    register: (app, seen) =>
      app.intent(
        'OrderPizza',
        (ctx) => void seen(`${ctx.type} ${ctx.intent.name} ${ctx.slot('pizzaType')?.value}`),
      ),
  },
  SessionEndedRequest: {
    build: () => buildSessionEndedRequest(),
    register: (app, seen) => app.sessionEnded((ctx) => void seen(ctx.type)),
  },
  EventRequest: {
    build: () => buildEventRequest('ClovaSkill.SkillEnabled'),
    register: (app, seen) => app.event('ClovaSkill.SkillEnabled', (ctx) => void seen(ctx.type)),
  },
};
const expectedSeen: Record<string, string> = {
  LaunchRequest: 'LaunchRequest',
  IntentRequest: 'IntentRequest OrderPizza ペパロニ',
  SessionEndedRequest: 'SessionEndedRequest',
  EventRequest: 'EventRequest',
};

describe('every request type can be received by a handler', () => {
  it('the schema lists the four documented request types (§1)', () => {
    expect(REQUEST_TYPES.sort()).toEqual(Object.keys(receivers).sort());
  });

  it.each(REQUEST_TYPES)('%s', async (type) => {
    const receiver = receivers[type];
    expect(receiver, `no receiver for request type ${type}: add one to this test`).toBeDefined();
    const app = testExtension();
    const seen: string[] = [];
    receiver!.register(app, (what) => seen.push(what));
    const { status } = await send(app, receiver!.build());
    expect(status).toBe(200);
    expect(seen).toEqual([expectedSeen[type]]);
  });
});

describe('every event of the catalogue (§3.4.1) can be received by its own handler', () => {
  it('the schema lists the 15 catalogue events', () => {
    expect(EVENT_NAMES).toHaveLength(15);
  });

  it.each(EVENT_NAMES)('%s', async (name) => {
    const app = testExtension();
    const seen: string[] = [];
    // Events are receive-only: the extension never sends one (it answers with speech and directives).
    app.event(name as EventName, (ctx) => {
      seen.push(`${ctx.event.namespace}.${ctx.event.name}`);
    });
    const { status } = await send(app, buildEventRequest(name as EventName));
    expect(status).toBe(200);
    expect(seen).toEqual([name]);
  });

  it('an event outside the catalogue reaches a handler too (routed by name)', async () => {
    const app = testExtension();
    const seen: string[] = [];
    app.event('Future.Thing', (ctx) => void seen.push(`${ctx.event?.namespace}.${ctx.event?.name}`));
    await send(app, buildEventRequest('Future.Thing', { a: 1 }));
    expect(seen).toEqual(['Future.Thing']);
  });
});

// ---- producing ----------------------------------------------------------------------------------

const STREAM = 'https://example.com/ep1.mp3';
const playerInfo: RenderPlayerInfoDirective['payload'] = {
  displayType: 'single',
  controls: [{ type: 'BUTTON', name: 'PLAY_PAUSE', enabled: true, selected: false }],
  playableItems: [
    {
      token: 'tk',
      titleText: 'Song',
      titleSubText1: 'Artist',
      showAdultIcon: false,
      lyrics: [{ format: 'PLAIN', data: 'la la' }],
    },
  ],
};

/** Directives are produce-only: CEK never sends one to the extension. Typed: a new name fails to compile. */
const producers: Record<DirectiveName, (ctx: IntentContext) => unknown> = {
  'AudioPlayer.Play': (ctx) => ctx.play({ titleText: 't', titleSubText1: 's', stream: { url: STREAM } }),
  'AudioPlayer.StreamDeliver': (ctx) =>
    ctx.streamDeliver({ audioItemId: 'a', audioStream: { url: STREAM, token: 't' } }),
  'PlaybackController.Pause': (ctx) => ctx.pause(),
  'PlaybackController.Resume': (ctx) => ctx.resume(),
  'PlaybackController.Stop': (ctx) => ctx.stop(),
  'TemplateRuntime.RenderPlayerInfo': (ctx) => ctx.response.renderPlayerInfo(playerInfo),
};

/** Runs `handler` on an intent request through the endpoint; `send` checks the answer validates. */
async function produce(handler: (ctx: IntentContext) => unknown): Promise<Json> {
  const app = testExtension({ audioSource: { name: 'Radio' } });
  app.intent('Produce', (ctx) => void handler(ctx));
  const { status, json } = await send(app, buildIntentRequest('Produce'));
  expect(status).toBe(200);
  return json;
}

const namesOf = (json: Json): string[] =>
  json.response.directives.map((d: Json) => `${d.header.namespace}.${d.header.name}`);

describe('every directive (§5) can be produced and validates', () => {
  it.each(DIRECTIVE_NAMES)('%s', async (name) => {
    const producer = producers[name as DirectiveName];
    expect(producer, `no producer for directive ${name}: add one to this test`).toBeDefined();
    const json = await produce(producer);
    expect(namesOf(json)).toEqual([name]);
    expect(json.response.directives[0].header.messageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each(DIRECTIVE_NAMES)('%s through ctx.directive(name, payload)', async (name) => {
    const reference = await produce(producers[name as DirectiveName]);
    const payload = reference.response.directives[0].payload;
    const json = await produce((ctx) => ctx.directive(name as DirectiveName, payload));
    expect(namesOf(json)).toEqual([name]);
    expect(json.response.directives[0].payload).toEqual(payload);
  });

  it('RenderPlayerInfo answers TemplateRuntime.RequestPlayerInfo (KR)', async () => {
    const app = testExtension();
    app.event('TemplateRuntime.RequestPlayerInfo', (ctx) => void ctx.response.renderPlayerInfo(playerInfo));
    const { json } = await send(app, buildEventRequest('TemplateRuntime.RequestPlayerInfo'));
    expect(namesOf(json)).toEqual(['TemplateRuntime.RenderPlayerInfo']);
  });

  it('a directive the spec does not list, declared in CustomDirectives (§4.2)', async () => {
    const app = testExtension();
    app.intent('Produce', (ctx) => void ctx.directive('CoverageTest.Show', { message: 'hi' }).say('ok'));
    // Answered (not the error fallback): the extension's own response check accepted the directive
    // because ctx.directive() built it. Once serialised, the name has to be allowed explicitly.
    const raw = JSON.stringify(buildIntentRequest('Produce'));
    const res = await app.endpoint.handle({
      method: 'POST',
      headers: { 'content-type': 'application/json', signaturecek: keys.sign(raw) },
      body: Buffer.from(raw),
    });
    const json = JSON.parse(res.body) as Json;
    expect(namesOf(json)).toEqual(['CoverageTest.Show']);
    expect(json.response.directives[0].payload).toEqual({ message: 'hi' });
    expect(json.response.outputSpeech.values.value).toBe('ok');
    expect(validateCustomResponse(json).ok).toBe(false);
    expect(validateCustomResponse(json, { directives: ['CoverageTest.Show'] }).ok).toBe(true);
  });
});

describe('every speech form (§4.3-4.4) can be produced and validates', () => {
  const speechOf = (json: Json) => json.response.outputSpeech;
  const forms: Record<string, () => Promise<Json>> = {
    SimpleSpeech: async () => speechOf(await produce((ctx) => ctx.say('こんにちは'))),
    SpeechList: async () => speechOf(await produce((ctx) => ctx.say(['一', '二']))),
    SpeechSet: async () => speechOf(await produce((ctx) => ctx.speechSet('晴れ', ['今日は晴れ', '明日も']))),
  };

  it('the schema lists the three speech types', () => {
    expect(SPEECH_TYPES.sort()).toEqual(Object.keys(forms).sort());
  });

  it.each(SPEECH_TYPES)('%s', async (type) => {
    const form = forms[type];
    expect(form, `no producer for speech type ${type}`).toBeDefined();
    expect((await form!()).type).toBe(type);
  });

  it('SpeechSet verbose can be a SimpleSpeech or a SpeechList', async () => {
    const single = speechOf(await produce((ctx) => ctx.speechSet('晴れ', '今日は晴れ')));
    const list = speechOf(await produce((ctx) => ctx.speechSet('晴れ', ['今日は晴れ', '明日も'])));
    expect([single.verbose.type, list.verbose.type]).toEqual(['SimpleSpeech', 'SpeechList']);
  });

  const items: Record<string, (ctx: IntentContext) => unknown> = {
    PlainText: (ctx) => ctx.say(text('Hello', 'en', { token: '0f6f1a4e-0d2e-4b5c-9f4b-3b7b8e9f6a01' })),
    URL: (ctx) => ctx.say(audio(STREAM, { token: 't', contentType: 'application/vnd.apple.mpegurl' })),
  };

  it.each(SPEECH_INFO_TYPES)('SpeechInfoObject %s (with the KR token and contentType)', async (type) => {
    const item = items[type];
    expect(item, `no producer for SpeechInfoObject ${type}`).toBeDefined();
    const values = speechOf(await produce(item!)).values;
    expect(values.type).toBe(type);
    expect(values.token).toBeDefined();
    expect(values.lang).toBe(type === 'URL' ? '' : 'en');
  });

  it('each language of PlainText: ja, ko, en', async () => {
    const json = await produce((ctx) => ctx.say([text('はい', 'ja'), text('네', 'ko'), text('yes', 'en')]));
    expect(speechOf(json).values.map((v: Json) => v.lang)).toEqual(['ja', 'ko', 'en']);
  });

  it('no speech: {} with directives only', async () => {
    expect(speechOf(await produce((ctx) => ctx.pause()))).toEqual({});
  });

  it('reprompt as SimpleSpeech and SpeechList', async () => {
    // A SpeechSet reprompt is allowed by the spec but not produced: the spec recommends a
    // SimpleSpeech for reprompts (§4.2), and `reprompt()` takes the same input as `say()`.
    const simple = await produce((ctx) => ctx.ask('何枚?', '枚数を教えてください'));
    const list = await produce((ctx) => ctx.ask('何枚?', ['枚数を', audio(STREAM)]));
    expect(simple.response.reprompt.outputSpeech.type).toBe('SimpleSpeech');
    expect(list.response.reprompt.outputSpeech.type).toBe('SpeechList');
    expect(simple.response.shouldEndSession).toBe(false);
  });
});

describe('every response field (§4.2) can be produced', () => {
  const fields: Record<string, (json: Json) => void> = {
    outputSpeech: (json) => expect(json.response.outputSpeech.type).toBe('SimpleSpeech'),
    reprompt: (json) => expect(json.response.reprompt.outputSpeech.type).toBe('SimpleSpeech'),
    card: (json) => expect(json.response.card).toEqual({ type: 'SimpleText', title: 'x' }),
    directives: (json) => expect(namesOf(json)).toEqual(['PlaybackController.Stop']),
    shouldEndSession: (json) => expect(json.response.shouldEndSession).toBe(false),
  };

  it('the schema lists the response fields this test checks', () => {
    expect(RESPONSE_FIELDS.sort()).toEqual(Object.keys(fields).sort());
  });

  it('one response with every field, sessionAttributes included', async () => {
    const json = await produce((ctx) => {
      ctx.session.step = 2;
      ctx.ask('見て', 'どうぞ').card({ type: 'SimpleText', title: 'x' }).stop();
    });
    for (const field of RESPONSE_FIELDS) fields[field]!(json);
    expect(json.sessionAttributes).toEqual({ step: 2 });
  });

  it('the card is {} unless set (JP: cards are not supported for Custom extensions)', async () => {
    expect((await produce((ctx) => ctx.say('x'))).response.card).toEqual({});
  });
});

// ---- the spec text ------------------------------------------------------------------------------

const SPEC = fileURLToPath(new URL('../fixtures/spec/custom-extension.md', import.meta.url));

describe('the spec tables match the lists above', () => {
  const spec = readFileSync(SPEC, 'utf8');
  const section = (from: string, to: string) => spec.slice(spec.indexOf(from), spec.indexOf(to));

  it('§1 request types', () => {
    const rows = [...section('## 1.', '## 2.').matchAll(/^\| `(\w+Request)` \|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual([...REQUEST_TYPES].sort());
  });

  it('§3.4.1 events', () => {
    const rows = [...section('#### 3.4.1', '## 4.').matchAll(/^\| `([A-Z]\w+)` \| `(\w+)` \|/gm)].map(
      (m) => `${m[1]}.${m[2]}`,
    );
    expect(rows.sort()).toEqual([...EVENT_NAMES].sort());
  });

  it('§5 directives', () => {
    const rows = [...section('## 5.', '### 5.1').matchAll(/^\| `(\w+\.\w+)` \|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual([...DIRECTIVE_NAMES].sort());
  });

  it('§4.3 speech types and §4.4 SpeechInfoObject types', () => {
    const speechTypes = section('### 4.3', '### 4.4');
    for (const type of SPEECH_TYPES) expect(speechTypes).toContain(`"${type}"`);
    expect([...speechTypes.matchAll(/"(Simple\w+|Speech\w+)"/g)].map((m) => m[1])).toEqual(
      expect.arrayContaining(SPEECH_TYPES),
    );
    const infoTypes = section('### 4.4', '### 4.5');
    for (const type of SPEECH_INFO_TYPES) expect(infoTypes).toContain(`"${type}"`);
  });

  it('§6 built-in intents are received by app.intent()', async () => {
    const names = [...section('## 6.', '## 7.').matchAll(/^\| `(Clova\.\w+)` \|/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThanOrEqual(10);
    const app = testExtension();
    const seen: string[] = [];
    app.intent(names, (ctx) => void seen.push(ctx.intent.name));
    for (const name of names) await send(app, buildIntentRequest(name));
    expect(seen).toEqual(names);
  });
});
