import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { audio, checkCustomRequest, ResponseBuilder, text, validateCustomResponse } from 'cekit';
import {
  buildEventRequest,
  buildIntentRequest,
  buildLaunchRequest,
  buildSessionEndedRequest,
  EVENT_NAMES,
} from 'cekit/testing';
import { SCHEMA_DIR } from '../../scripts/generate-schemas.js';
import { listFixtures, readFixture } from '../helpers/fixtures.js';
import type { Json } from './harness.js';

// One corpus of messages, two readers: cekit's runtime validator and the published JSON Schema
// (schema/custom-*.json) read by ajv. Every case states the expected verdict and both readers must
// give it. Hand-written cases name every refinement and the enum/required/nullable/strict rules; a
// mutation sweep over valid messages then checks that the two agree on thousands of variants.

const ajv = new Ajv2020({ strict: false, allErrors: true });
const load = (name: string) => JSON.parse(readFileSync(join(SCHEMA_DIR, name), 'utf8')) as object;
const jsonSchema = {
  request: ajv.compile(load('custom-request.json')),
  response: ajv.compile(load('custom-response.json')),
};
const runtime = {
  request: (value: unknown) => checkCustomRequest(value).length === 0,
  response: (value: unknown) => validateCustomResponse(value).ok,
};
type Kind = keyof typeof runtime;

const clone = <T>(value: T): T => structuredClone(value);

// ---- valid bases --------------------------------------------------------------------------------

const STREAM = 'https://example.com/ep1.mp3';
const build = (make: (b: ResponseBuilder) => ResponseBuilder): Json =>
  clone(make(new ResponseBuilder('ja', { audioSource: { name: 'Radio' } })).build('1.0', {}));

const playerInfo = {
  displayType: 'list' as const,
  controls: [{ type: 'BUTTON' as const, name: 'NEXT' as const, enabled: true, selected: false }],
  playableItems: [
    {
      token: 'tk-1',
      titleText: 'Song',
      titleSubText1: 'Artist',
      titleSubText2: 'Album',
      headerText: 'Playlist',
      artImageUrl: 'https://example.com/a.png',
      isLive: false,
      showAdultIcon: false,
      lyrics: [{ format: 'LRC' as const, data: '[00:01]la', url: null }],
      controls: [{ type: 'BUTTON' as const, name: 'LIKE_DISLIKE' as const, enabled: true, selected: false }],
    },
  ],
  provider: {
    name: 'Radio',
    logoUrl: 'https://example.com/l.png',
    smallLogoUrl: 'https://example.com/s.png',
  },
};

const responses: Record<string, Json> = {
  simple: build((b) => b.say('こんにちは')),
  list: build((b) =>
    b.say(['a', audio(STREAM, { token: 't', contentType: 'application/vnd.apple.mpegurl' })]),
  ),
  set: build((b) => b.speechSet(text('晴れ', 'ja', { token: 't' }), ['今日は晴れ', '明日も晴れ'])),
  reprompt: build((b) => b.ask('何枚?', ['枚数を', '教えてください'])),
  card: build((b) => b.say('見て').card({ type: 'SimpleText', title: { type: 'string', value: 'x' } })),
  play: build((b) =>
    b.play({
      titleText: 't',
      titleSubText1: 's',
      titleSubText2: 'u',
      headerText: 'h',
      artImageUrl: 'https://example.com/a.png',
      playBehavior: 'ENQUEUE',
      stream: {
        url: STREAM,
        durationInMilliseconds: 1000,
        customData: 'c',
        format: 'audio/mpeg',
        progressReport: {
          progressReportDelayInMilliseconds: 1,
          progressReportIntervalInMilliseconds: null,
          progressReportPositionInMilliseconds: 3,
        },
      },
    }),
  ),
  deliver: build((b) =>
    b.streamDeliver({
      audioItemId: 'a',
      audioStream: { url: STREAM, token: 't', beginAtInMilliseconds: null },
    }),
  ),
  pause: build((b) => b.pause()),
  resume: build((b) => b.resume()),
  stop: build((b) => b.stop()),
  playerInfo: build((b) => b.renderPlayerInfo(playerInfo)),
};
const validFixtures = listFixtures('custom')
  .filter((name) => name.startsWith('response'))
  .map((name) => [name, readFixture<Json>(`custom/${name}`)] as const)
  .filter(([, value]) => runtime.response(value));

const requests: Record<string, Json> = {
  launch: buildLaunchRequest(),
  intent: buildIntentRequest('OrderPizza', {
    pizzaType: 'ペパロニ',
    amount: { value: '2', unit: '枚' },
    when: { value: '19:00:00/19:30:00', valueType: 'TIME.INTERVAL' },
  }),
  ended: buildSessionEndedRequest(),
  ...Object.fromEntries(EVENT_NAMES.map((name) => [name, buildEventRequest(name)])),
};
const requestFixtures = listFixtures('custom')
  .filter((name) => !name.startsWith('response'))
  .map((name) => [name, readFixture<Json>(`custom/${name}`)] as const);

// ---- hand-written corpus ------------------------------------------------------------------------

type Case = [label: string, kind: Kind, base: Json, change: (m: Json) => unknown, accepted: boolean];
const speech = (m: Json) => m.response.outputSpeech;
const firstDirective = (m: Json) => m.response.directives[0];
const item = (m: Json) => m.response.directives[0].payload.playableItems[0];
const lyrics = (m: Json) => item(m).lyrics[0];
const r = responses;

const responseCases: Case[] = [
  // Refinements (s.refine): each has a JSON Schema form.
  [
    'a SpeechSet that also carries values',
    'response',
    r.set,
    (m) => (speech(m).values = speech(m).brief),
    false,
  ],
  [
    'a SpeechSet in a reprompt with values',
    'response',
    r.reprompt,
    (m) => {
      m.response.reprompt.outputSpeech = clone(r.set.response.outputSpeech);
      m.response.reprompt.outputSpeech.values = [];
    },
    false,
  ],
  [
    'a SpeechSet in a reprompt without values',
    'response',
    r.reprompt,
    (m) => {
      m.response.reprompt.outputSpeech = clone(r.set.response.outputSpeech);
    },
    true,
  ],
  [
    'a SimpleSpeech that also carries brief',
    'response',
    r.simple,
    (m) => (speech(m).brief = speech(m).values),
    true,
  ],
  [
    'lyrics with neither data nor url',
    'response',
    r.playerInfo,
    (m) => (item(m).lyrics = [{ format: 'PLAIN' }]),
    false,
  ],
  [
    'lyrics with data and url both null',
    'response',
    r.playerInfo,
    (m) => (item(m).lyrics = [{ format: 'PLAIN', data: null, url: null }]),
    false,
  ],
  [
    'lyrics with only a url',
    'response',
    r.playerInfo,
    (m) => (item(m).lyrics = [{ format: 'LRC', url: 'https://example.com/l.lrc' }]),
    true,
  ],
  [
    'lyrics with a null data and a url',
    'response',
    r.playerInfo,
    (m) => (item(m).lyrics = [{ format: 'LRC', data: null, url: 'u' }]),
    true,
  ],
  ['lyrics with data and url', 'response', r.playerInfo, (m) => (lyrics(m).url = 'u'), true],
  ['lyrics with an empty data', 'response', r.playerInfo, (m) => (lyrics(m).data = ''), true],
  ['lyrics with a numeric data', 'response', r.playerInfo, (m) => (lyrics(m).data = 3), false],
  // Enums.
  ['an unknown speech type', 'response', r.simple, (m) => (speech(m).type = 'Speech'), false],
  ['a PlainText in French', 'response', r.simple, (m) => (speech(m).values.lang = 'fr'), false],
  ['a PlainText with lang ""', 'response', r.simple, (m) => (speech(m).values.lang = ''), false],
  ['a URL with lang "ja"', 'response', r.list, (m) => (speech(m).values[1].lang = 'ja'), false],
  ['an unknown SpeechInfo type', 'response', r.simple, (m) => (speech(m).values.type = 'SSML'), false],
  [
    'a SpeechSet as verbose of a SpeechSet',
    'response',
    r.set,
    (m) => (speech(m).verbose = clone(speech(m))),
    false,
  ],
  [
    'playBehavior SHUFFLE',
    'response',
    r.play,
    (m) => (firstDirective(m).payload.playBehavior = 'SHUFFLE'),
    false,
  ],
  [
    'stream format audio/ogg',
    'response',
    r.play,
    (m) => (firstDirective(m).payload.audioItem.stream.format = 'audio/ogg'),
    false,
  ],
  [
    'stream format HLS',
    'response',
    r.play,
    (m) => (firstDirective(m).payload.audioItem.stream.format = 'application/vnd.apple.mpegurl'),
    true,
  ],
  [
    'displayType grid',
    'response',
    r.playerInfo,
    (m) => (firstDirective(m).payload.displayType = 'grid'),
    false,
  ],
  [
    'a player control LIKE_DISLIKE (items only)',
    'response',
    r.playerInfo,
    (m) => (firstDirective(m).payload.controls[0].name = 'LIKE_DISLIKE'),
    false,
  ],
  ['an item control REPEAT', 'response', r.playerInfo, (m) => (item(m).controls[0].name = 'REPEAT'), true],
  ['an item control SHUFFLE', 'response', r.playerInfo, (m) => (item(m).controls[0].name = 'SHUFFLE'), false],
  ['a control of type LINK', 'response', r.playerInfo, (m) => (item(m).controls[0].type = 'LINK'), false],
  ['lyrics format TXT', 'response', r.playerInfo, (m) => (lyrics(m).format = 'TXT'), false],
  ['an unknown directive', 'response', r.pause, (m) => (firstDirective(m).header.name = 'Dance'), false],
  [
    'an undeclared partner directive',
    'response',
    r.pause,
    (m) => (m.response.directives = [{ header: { namespace: 'Partner', name: 'Show' }, payload: {} }]),
    false,
  ],
  [
    'a directive in the CIC wrapper',
    'response',
    r.pause,
    (m) => (m.response.directives = [{ directive: firstDirective(m) }]),
    false,
  ],
  // Required fields.
  ...(['version', 'sessionAttributes', 'response'] as const).map((key): Case => [
    `no ${key}`,
    'response',
    r.simple,
    (m) => delete m[key],
    false,
  ]),
  ...(['outputSpeech', 'card', 'shouldEndSession'] as const).map((key): Case => [
    `no response.${key}`,
    'response',
    r.simple,
    (m) => delete m.response[key],
    false,
  ]),
  [
    'no response.directives (JP reprompt example)',
    'response',
    r.simple,
    (m) => delete m.response.directives,
    true,
  ],
  ['no reprompt.outputSpeech', 'response', r.reprompt, (m) => delete m.response.reprompt.outputSpeech, false],
  ['a SimpleSpeech without values', 'response', r.simple, (m) => delete speech(m).values, false],
  ['a SpeechSet without brief', 'response', r.set, (m) => delete speech(m).brief, false],
  ['a SpeechSet without verbose', 'response', r.set, (m) => delete speech(m).verbose, false],
  ['a SpeechInfo without value', 'response', r.simple, (m) => delete speech(m).values.value, false],
  ['a SpeechInfo without lang', 'response', r.simple, (m) => delete speech(m).values.lang, false],
  ['a directive without payload', 'response', r.pause, (m) => delete firstDirective(m).payload, false],
  [
    'a directive without messageId',
    'response',
    r.pause,
    (m) => delete firstDirective(m).header.messageId,
    true,
  ],
  ...(['audioItemId', 'stream', 'titleText', 'titleSubText1'] as const).map((key): Case => [
    `a Play without audioItem.${key}`,
    'response',
    r.play,
    (m) => delete firstDirective(m).payload.audioItem[key],
    false,
  ]),
  ...(['token', 'url', 'urlPlayable', 'beginAtInMilliseconds'] as const).map((key): Case => [
    `a Play stream without ${key}`,
    'response',
    r.play,
    (m) => delete firstDirective(m).payload.audioItem.stream[key],
    false,
  ]),
  [
    'a Play without source.name',
    'response',
    r.play,
    (m) => delete firstDirective(m).payload.source.name,
    false,
  ],
  [
    'a Play without playBehavior',
    'response',
    r.play,
    (m) => delete firstDirective(m).payload.playBehavior,
    false,
  ],
  [
    'a StreamDeliver without audioStream.url',
    'response',
    r.deliver,
    (m) => delete firstDirective(m).payload.audioStream.url,
    false,
  ],
  [
    'a StreamDeliver with only audioStream.url',
    'response',
    r.deliver,
    (m) => (firstDirective(m).payload.audioStream = { url: STREAM }),
    true,
  ],
  [
    'a StreamDeliver without audioItemId',
    'response',
    r.deliver,
    (m) => delete firstDirective(m).payload.audioItemId,
    false,
  ],
  ['an item without showAdultIcon', 'response', r.playerInfo, (m) => delete item(m).showAdultIcon, false],
  ['an item without token', 'response', r.playerInfo, (m) => delete item(m).token, false],
  [
    'a provider without name',
    'response',
    r.playerInfo,
    (m) => delete firstDirective(m).payload.provider.name,
    false,
  ],
  [
    'RenderPlayerInfo without controls',
    'response',
    r.playerInfo,
    (m) => delete firstDirective(m).payload.controls,
    false,
  ],
  ['lyrics without format', 'response', r.playerInfo, (m) => delete lyrics(m).format, false],
  // Nullable and numbers.
  [
    'a Play stream with beginAt null',
    'response',
    r.play,
    (m) => (firstDirective(m).payload.audioItem.stream.beginAtInMilliseconds = null),
    false,
  ],
  [
    'a Play stream with a negative beginAt',
    'response',
    r.play,
    (m) => (firstDirective(m).payload.audioItem.stream.beginAtInMilliseconds = -1),
    false,
  ],
  [
    'a null progress report delay',
    'response',
    r.play,
    (m) =>
      (firstDirective(m).payload.audioItem.stream.progressReport.progressReportDelayInMilliseconds = null),
    true,
  ],
  [
    'a negative progress report interval',
    'response',
    r.play,
    (m) =>
      (firstDirective(m).payload.audioItem.stream.progressReport.progressReportIntervalInMilliseconds = -5),
    false,
  ],
  [
    'a StreamDeliver with null offsets',
    'response',
    r.deliver,
    (m) => (firstDirective(m).payload.audioStream.durationInMilliseconds = null),
    true,
  ],
  ['null sessionAttributes', 'response', r.simple, (m) => (m.sessionAttributes = null), false],
  ['a null card', 'response', r.simple, (m) => (m.response.card = null), false],
  ['a card array', 'response', r.simple, (m) => (m.response.card = []), false],
  ['a content-template card', 'response', r.card, () => undefined, true],
  ['shouldEndSession "true"', 'response', r.simple, (m) => (m.response.shouldEndSession = 'true'), false],
  ['a null outputSpeech', 'response', r.simple, (m) => (m.response.outputSpeech = null), false],
  ['directives as an object', 'response', r.pause, (m) => (m.response.directives = firstDirective(m)), false],
  // Strict objects: only the empty outputSpeech is strict.
  ['an empty outputSpeech', 'response', r.pause, (m) => (m.response.outputSpeech = {}), true],
  [
    'an outputSpeech {} with an unknown key',
    'response',
    r.pause,
    (m) => (m.response.outputSpeech = { lang: 'ja' }),
    false,
  ],
  [
    'unknown keys elsewhere',
    'response',
    r.play,
    (m) => {
      m.extra = 1;
      m.response.extra = 1;
      firstDirective(m).payload.audioItem.album = { title: 'x' };
      firstDirective(m).payload.audioItem.stream.playType = 'NONE';
    },
    true,
  ],
  [
    'a Pause with a non-empty payload',
    'response',
    r.pause,
    (m) => (firstDirective(m).payload = { now: true }),
    true,
  ],
  ['a SpeechList of nothing', 'response', r.list, (m) => (speech(m).values = []), true],
  ['a SimpleSpeech with an array', 'response', r.list, (m) => (speech(m).type = 'SimpleSpeech'), false],
  ['a SpeechList with one object', 'response', r.simple, (m) => (speech(m).type = 'SpeechList'), false],
];

const q = requests;
const requestCases: Case[] = [
  [
    'an event outside the catalogue',
    'request',
    q['ClovaSkill.SkillEnabled'],
    (m) => (m.request.event = { namespace: 'Future', name: 'Thing', payload: { a: 1 } }),
    true,
  ],
  [
    'an unknown event without payload',
    'request',
    q['ClovaSkill.SkillEnabled'],
    (m) => (m.request.event = { namespace: 'Future', name: 'Thing' }),
    true,
  ],
  [
    'an unknown event with an array payload',
    'request',
    q['ClovaSkill.SkillEnabled'],
    (m) => (m.request.event = { namespace: 'Future', name: 'Thing', payload: [] }),
    false,
  ],
  [
    'an event without namespace',
    'request',
    q['AudioPlayer.PlayStarted'],
    (m) => delete m.request.event.namespace,
    false,
  ],
  [
    'a PlayFinished without token',
    'request',
    q['AudioPlayer.PlayFinished'],
    (m) => delete m.request.event.payload.token,
    false,
  ],
  [
    'a PlayStopped with an empty payload (§8 #8)',
    'request',
    q['AudioPlayer.PlayStopped'],
    (m) => (m.request.event.payload = {}),
    true,
  ],
  [
    'a SkillEnabled with a string payload',
    'request',
    q['ClovaSkill.SkillEnabled'],
    (m) => (m.request.event.payload = 'x'),
    false,
  ],
  [
    'a SkillEnabled with an object payload',
    'request',
    q['ClovaSkill.SkillEnabled'],
    (m) => (m.request.event.payload = {}),
    true,
  ],
  [
    'a StreamRequested without audioItemId',
    'request',
    q['AudioPlayer.StreamRequested'],
    (m) => delete m.request.event.payload.audioItemId,
    false,
  ],
  [
    'a SpeechFinished without token',
    'request',
    q['SpeechSynthesizer.SpeechFinished'],
    (m) => (m.request.event.payload = {}),
    false,
  ],
  [
    'a RequestPlayerInfo with a string range',
    'request',
    q['TemplateRuntime.RequestPlayerInfo'],
    (m) => (m.request.event.payload.range = 'x'),
    false,
  ],
  ['an unknown request type', 'request', q.launch, (m) => (m.request.type = 'Nope'), false],
  ['no request.type', 'request', q.launch, (m) => delete m.request.type, false],
  ['no version', 'request', q.launch, (m) => delete m.version, false],
  ['no context', 'request', q.launch, (m) => delete m.context, false],
  ['an empty context', 'request', q.launch, (m) => (m.context = {}), true],
  ['a null session (store SkillEnabled)', 'request', q.launch, (m) => (m.session = null), true],
  ['a session without id', 'request', q.launch, (m) => delete m.session.sessionId, false],
  [
    'a session without sessionAttributes',
    'request',
    q.launch,
    (m) => delete m.session.sessionAttributes,
    true,
  ],
  ['null sessionAttributes', 'request', q.launch, (m) => (m.session.sessionAttributes = null), true],
  ['a string session.new', 'request', q.launch, (m) => (m.session.new = 'yes'), false],
  ['a user without userId', 'request', q.launch, (m) => delete m.session.user.userId, false],
  [
    'display size huge',
    'request',
    q.launch,
    (m) => (m.context.System.device.display = { size: 'huge' }),
    false,
  ],
  [
    'display size none without the rest',
    'request',
    q.launch,
    (m) => (m.context.System.device.display = { size: 'none' }),
    true,
  ],
  [
    'a diagonal orientation',
    'request',
    q.launch,
    (m) => (m.context.System.device.display = { size: 'l100', orientation: 'diagonal' }),
    false,
  ],
  [
    'a contentLayer without width',
    'request',
    q.launch,
    (m) => (m.context.System.device.display = { size: 'l100', contentLayer: { height: 1 } }),
    false,
  ],
  [
    'player activity BUFFERING',
    'request',
    q['AudioPlayer.PlayStarted'],
    (m) => (m.context.AudioPlayer = { playerActivity: 'BUFFERING' }),
    false,
  ],
  [
    'an IDLE player with nothing else',
    'request',
    q['AudioPlayer.PlayStarted'],
    (m) => (m.context.AudioPlayer = { playerActivity: 'IDLE' }),
    true,
  ],
  ['an IntentRequest without intent', 'request', q.intent, (m) => delete m.request.intent, false],
  ['an empty intent name', 'request', q.intent, (m) => (m.request.intent.name = ''), false],
  ['null slots', 'request', q.intent, (m) => (m.request.intent.slots = null), true],
  ['a numeric slot value', 'request', q.intent, (m) => (m.request.intent.slots.amount.value = 2), true],
  ['a null slot value', 'request', q.intent, (m) => (m.request.intent.slots.amount.value = null), true],
  ['a boolean slot value', 'request', q.intent, (m) => (m.request.intent.slots.amount.value = true), false],
  ['valueType WEEK', 'request', q.intent, (m) => (m.request.intent.slots.when.valueType = 'WEEK'), false],
  ['a slot without name', 'request', q.intent, (m) => delete m.request.intent.slots.amount.name, false],
  ['a numeric requestId', 'request', q.launch, (m) => (m.request.requestId = 1), false],
  [
    'undocumented fields everywhere (§2.5)',
    'request',
    q.launch,
    (m) => {
      m.request.intent = { intent: '', name: '', slots: null };
      m.request.event = { namespace: '', name: '', payload: null };
      m.context.System.extra = true;
    },
    true,
  ],
];

describe('runtime validator and published JSON Schema: one verdict per message', () => {
  it.each([...responseCases, ...requestCases])('%s (%s)', (_label, kind, base, change, accepted) => {
    const message = clone(base);
    change(message);
    expect({ runtime: runtime[kind](message), jsonSchema: jsonSchema[kind](message) }).toEqual({
      runtime: accepted,
      jsonSchema: accepted,
    });
  });

  it.each([
    ...Object.entries(responses).map(([name, value]) => [name, 'response', value] as const),
    ...validFixtures.map(([name, value]) => [name, 'response', value] as const),
    ...Object.entries(requests).map(([name, value]) => [name, 'request', value] as const),
    ...requestFixtures.map(([name, value]) => [name, 'request', value] as const),
  ])('every variant of %s gets the same verdict', (_name, kind, base) => {
    expect(runtime[kind](base)).toBe(true);
    const disagreements: string[] = [];
    for (const [label, variant] of mutations(base)) {
      const ours = runtime[kind](variant);
      if (ours !== jsonSchema[kind](variant))
        disagreements.push(`${label}: runtime ${ours ? 'accepts' : 'refuses'}`);
    }
    expect(disagreements).toEqual([]);
  });
});

/**
 * Every single-point change of `base`: each key deleted, each value replaced by null, a string, a
 * number, a boolean, an object and an array, and an unknown key added to each object.
 */
function* mutations(base: Json): Generator<[string, Json]> {
  const replacements: unknown[] = [null, 'x', '', -1, 1.5, true, {}, [], [{}]];
  const paths: (string | number)[][] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(value)) value.forEach((child, i) => walk(child, [...path, i]));
    else if (value !== null && typeof value === 'object')
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
  };
  walk(base, []);
  const at = (root: Json, path: (string | number)[]) => path.reduce((node, key) => node[key], root);
  for (const path of paths) {
    const where = path.join('.') || '(root)';
    const parentPath = path.slice(0, -1);
    const key = path[path.length - 1];
    if (key !== undefined && !Array.isArray(at(base, parentPath))) {
      const variant = clone(base);
      delete at(variant, parentPath)[key];
      yield [`${where} deleted`, variant];
    }
    for (const replacement of replacements) {
      if (key === undefined) continue;
      const variant = clone(base);
      at(variant, parentPath)[key] = clone(replacement);
      yield [`${where} = ${JSON.stringify(replacement)}`, variant];
    }
    const node = at(base, path);
    if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
      const variant = clone(base);
      at(variant, path).unknownKey = 1;
      yield [`${where}.unknownKey added`, variant];
    }
  }
}
