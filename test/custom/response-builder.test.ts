import { describe, expect, it } from 'vitest';
import {
  audio,
  Context,
  formatIssue,
  ResponseBuilder,
  ResponseError,
  text,
  validateCustomResponse,
  type CustomResponse,
} from 'cekit';
import { buildIntentRequest, DEFAULT_EXTENSION_ID } from 'cekit/testing';
import { recordingLogger, send, testExtension } from './harness.js';

// A partner directive (spec §4.2: needs LINE's prior agreement), declared as users declare theirs.
declare module 'cekit' {
  interface CustomDirectives {
    'BuilderTest.Coupon': { couponId: string; expires?: string };
  }
}

/** Builds and asserts the result is a valid response by the protocol schema. */
function built(builder: ResponseBuilder, attributes: Record<string, unknown> = {}): CustomResponse {
  const response = builder.build('1.0', attributes);
  const result = validateCustomResponse(response);
  expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([]);
  return response;
}

const SOURCE = { name: 'Example Radio', logoUrl: 'https://example.com/logo.png' };

function errorOf(action: () => unknown): ResponseError {
  try {
    action();
  } catch (error) {
    if (error instanceof ResponseError) return error;
    throw error;
  }
  throw new Error('expected a ResponseError');
}

describe('ResponseBuilder speech', () => {
  it('one say() is a SimpleSpeech in the builder language, ending the session by default', () => {
    const response = built(new ResponseBuilder('ko').say('안녕하세요'));
    expect(response.response.outputSpeech).toEqual({
      type: 'SimpleSpeech',
      values: { type: 'PlainText', lang: 'ko', value: '안녕하세요' },
    });
    expect(response.response.shouldEndSession).toBe(true);
  });

  it('mixes text, other languages and audio in a SpeechList, across calls', () => {
    const response = built(
      new ResponseBuilder('ja')
        .say(['サイコロを振ります', audio('https://example.com/dice.mp3')])
        .say(text('Four!', 'en', { token: 'a1b2' })),
    );
    expect(response.response.outputSpeech).toEqual({
      type: 'SpeechList',
      values: [
        { type: 'PlainText', lang: 'ja', value: 'サイコロを振ります' },
        { type: 'URL', lang: '', value: 'https://example.com/dice.mp3' },
        { type: 'PlainText', lang: 'en', value: 'Four!', token: 'a1b2' },
      ],
    });
  });

  it('builds a brief/verbose SpeechSet', () => {
    const response = built(new ResponseBuilder('ja').speechSet('晴れ', ['今日は晴れです', '明日も晴れです']));
    expect(response.response.outputSpeech).toEqual({
      type: 'SpeechSet',
      brief: { type: 'PlainText', lang: 'ja', value: '晴れ' },
      verbose: {
        type: 'SpeechList',
        values: [
          { type: 'PlainText', lang: 'ja', value: '今日は晴れです' },
          { type: 'PlainText', lang: 'ja', value: '明日も晴れです' },
        ],
      },
    });
  });

  it('ask() keeps the session with a reprompt and carries session attributes', () => {
    const response = built(new ResponseBuilder('ja').ask('何枚?', 'ピザは何枚にしますか?'), { pizza: 'L' });
    expect(response.sessionAttributes).toEqual({ pizza: 'L' });
    expect(response.response.shouldEndSession).toBe(false);
    expect(response.response.reprompt?.outputSpeech).toEqual({
      type: 'SimpleSpeech',
      values: { type: 'PlainText', lang: 'ja', value: 'ピザは何枚にしますか?' },
    });
  });

  it('a closing response sends no session attributes', () => {
    expect(built(new ResponseBuilder('ja').say('bye'), { pizza: 'L' }).sessionAttributes).toEqual({});
  });

  it('an empty builder is a valid empty response', () => {
    expect(built(new ResponseBuilder('ja')).response.outputSpeech).toEqual({});
  });
});

describe('ResponseBuilder refuses invalid combinations at build time', () => {
  it.each([
    [
      'reprompt then endSession',
      () => new ResponseBuilder('ja').reprompt('x').endSession(),
      'REPROMPT_ENDS_SESSION',
    ],
    [
      'endSession then reprompt',
      () => new ResponseBuilder('ja').endSession().reprompt('x'),
      'REPROMPT_ENDS_SESSION',
    ],
    ['say after speechSet', () => new ResponseBuilder('ja').speechSet('a', 'b').say('c'), 'SPEECH_SET_MIXED'],
    ['speechSet after say', () => new ResponseBuilder('ja').say('c').speechSet('a', 'b'), 'SPEECH_SET_MIXED'],
    ['a two-item brief', () => new ResponseBuilder('ja').speechSet(['a', 'b'], 'c'), 'SPEECH_SET_MIXED'],
    ['empty speech', () => new ResponseBuilder('ja').say([]), 'EMPTY_SPEECH'],
    [
      'http audio',
      () => new ResponseBuilder('ja').say(audio('http://example.com/a.mp3')),
      'INSECURE_AUDIO_URL',
    ],
    ['pause and resume', () => new ResponseBuilder('ja').pause().resume(), 'CONFLICTING_PLAYBACK'],
    [
      'stop and play',
      () =>
        new ResponseBuilder('ja', { audioSource: SOURCE })
          .stop()
          .play({ titleText: 't', titleSubText1: 'a', stream: { url: 'https://e.com/a.mp3' } }),
      'CONFLICTING_PLAYBACK',
    ],
    [
      'play without a source',
      () =>
        new ResponseBuilder('ja').play({
          titleText: 't',
          titleSubText1: 'a',
          stream: { url: 'https://e.com/a.mp3' },
        }),
      'INVALID_AUDIO_ITEM',
    ],
  ] as const)('%s', (_label, action, code) => {
    expect(errorOf(action).code).toBe(code);
  });
});

describe('ResponseBuilder audio directives', () => {
  it('play() fills ids, token, offset and source, with progress reports', () => {
    const response = built(
      new ResponseBuilder('ja', { audioSource: SOURCE, dialogRequestId: 'req-1' }).play({
        audioItemId: 'item-1',
        titleText: 'Episode 1',
        titleSubText1: 'Example Radio',
        stream: {
          url: 'https://example.com/ep1.mp3',
          progressReport: { progressReportIntervalInMilliseconds: 60000 },
        },
      }),
    );
    const [directive] = response.response.directives!;
    expect(directive!.header).toMatchObject({
      namespace: 'AudioPlayer',
      name: 'Play',
      dialogRequestId: 'req-1',
    });
    expect(directive!.header.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(directive!.payload).toEqual({
      audioItem: {
        audioItemId: 'item-1',
        titleText: 'Episode 1',
        titleSubText1: 'Example Radio',
        stream: {
          url: 'https://example.com/ep1.mp3',
          progressReport: { progressReportIntervalInMilliseconds: 60000 },
          token: 'item-1',
          urlPlayable: true,
          beginAtInMilliseconds: 0,
        },
      },
      playBehavior: 'REPLACE_ALL',
      source: SOURCE,
    });
  });

  it('a deferred stream (urlPlayable false) may use a placeholder url; streamDeliver() answers it', () => {
    built(
      new ResponseBuilder('ja', { audioSource: SOURCE })
        .play({
          titleText: 't',
          titleSubText1: 'a',
          stream: { url: 'clova:TR-1', token: 'TR-1', urlPlayable: false },
        })
        .play({
          titleText: 't2',
          titleSubText1: 'a',
          playBehavior: 'ENQUEUE',
          stream: { url: 'https://e.com/2.mp3' },
        }),
    );
    const deliver = built(
      new ResponseBuilder('ja').streamDeliver({
        audioItemId: 'x',
        audioStream: { url: 'https://e.com/1.mp3', token: 'TR-1' },
      }),
    );
    expect(deliver.response.directives![0]!.header.name).toBe('StreamDeliver');
  });

  it.each(['pause', 'resume', 'stop'] as const)('%s() is a PlaybackController directive with {}', (name) => {
    const response = built(new ResponseBuilder('ja')[name]());
    expect(response.response.directives![0]).toMatchObject({
      header: { namespace: 'PlaybackController', name: name[0]!.toUpperCase() + name.slice(1) },
      payload: {},
    });
  });

  it('renderPlayerInfo() sends a KR player template', () => {
    built(
      new ResponseBuilder('ko').renderPlayerInfo({
        displayType: 'single',
        controls: [{ type: 'BUTTON', name: 'PLAY_PAUSE', enabled: true, selected: false }],
        playableItems: [{ token: 't', titleText: 'Song', titleSubText1: 'Artist', showAdultIcon: false }],
      }),
    );
  });
});

describe('ResponseBuilder card (spec §4.2 response.card)', () => {
  it('is {} unless set', () => {
    expect(built(new ResponseBuilder('ko').say('x')).response.card).toEqual({});
  });

  it('card() sends a KR content template as given, and validates', () => {
    const template = { type: 'SimpleText', text: { type: 'string', value: '안녕하세요' } };
    const response = built(new ResponseBuilder('ko').say('안녕하세요').card(template));
    expect(response.response.card).toEqual(template);
  });

  it('a later card() replaces the first; a card alone makes the response non-empty', () => {
    const builder = new ResponseBuilder('ko').card({ type: 'A' }).card({ type: 'B' });
    expect(builder.isEmpty).toBe(false);
    expect(built(builder).response.card).toEqual({ type: 'B' });
  });

  it.each([null, [], 'card'])('refuses %j with INVALID_CARD', (value) => {
    expect(errorOf(() => new ResponseBuilder('ko').card(value as never)).code).toBe('INVALID_CARD');
  });
});

describe('ResponseBuilder directive(): documented and declared directives (spec §4.2, §5)', () => {
  it('sends a directive declared in CustomDirectives, with a generated header, and it validates', () => {
    const builder = new ResponseBuilder('ja', { dialogRequestId: 'req-1' });
    const response = built(builder.directive('BuilderTest.Coupon', { couponId: 'C-1' }));
    expect(response.response.directives).toEqual([
      {
        header: {
          namespace: 'BuilderTest',
          name: 'Coupon',
          messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          dialogRequestId: 'req-1',
        },
        payload: { couponId: 'C-1' },
      },
    ]);
  });

  it('a declared name is accepted only when built by directive(), or named in the validator options', () => {
    const response = new ResponseBuilder('ja')
      .directive('BuilderTest.Coupon', { couponId: 'C-1' })
      .build('1.0', {});
    const serialised = JSON.parse(JSON.stringify(response)) as unknown;
    expect(validateCustomResponse(response).ok).toBe(true);
    expect(validateCustomResponse(serialised).ok).toBe(false);
    expect(validateCustomResponse(serialised, { directives: ['BuilderTest.Coupon'] }).ok).toBe(true);
    expect(validateCustomResponse(serialised, { directives: ['Other.Name'] }).ok).toBe(false);
  });

  it('the envelope of a declared directive is still checked', () => {
    const response = new ResponseBuilder('ja')
      .directive('BuilderTest.Coupon', { couponId: 'C-1' })
      .build('1.0', {});
    response.response.directives![0]!.header.messageId = 3 as never;
    const result = validateCustomResponse(response);
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([
      'response.directives[0].header.messageId: expected a string, got number',
    ]);
  });

  it('takes documented names too, checking their payload now', () => {
    const response = built(new ResponseBuilder('ja').directive('PlaybackController.Pause', {}));
    expect(response.response.directives![0]!.header).toMatchObject({
      namespace: 'PlaybackController',
      name: 'Pause',
    });
    const error = errorOf(() =>
      new ResponseBuilder('ja').directive('AudioPlayer.StreamDeliver', { audioItemId: 'a' } as never),
    );
    expect(error.code).toBe('INVALID_DIRECTIVE');
    expect(error.message).toBe('directive(AudioPlayer.StreamDeliver): payload.audioStream: is required');
  });

  it('conflicts with playback directives like the dedicated methods', () => {
    expect(
      errorOf(() => new ResponseBuilder('ja').pause().directive('PlaybackController.Stop', {})).code,
    ).toBe('CONFLICTING_PLAYBACK');
  });

  it('refuses undeclared names at compile time, and malformed names or payloads at run time', () => {
    // @ts-expect-error -- not declared in CustomDirectives
    new ResponseBuilder('ja').directive('Nobody.Declared', {});
    // @ts-expect-error -- the declared payload type is checked
    new ResponseBuilder('ja').directive('BuilderTest.Coupon', { coupon: 1 });
    for (const name of ['NoDot', '.Name', 'Namespace.', '']) {
      expect(errorOf(() => new ResponseBuilder('ja').directive(name as never, {} as never)).code).toBe(
        'INVALID_DIRECTIVE',
      );
    }
    expect(errorOf(() => new ResponseBuilder('ja').directive('BuilderTest.Coupon', null as never)).code).toBe(
      'INVALID_DIRECTIVE',
    );
  });
});

describe('Context.seal(): no response mutation after the answer', () => {
  const request = () => buildIntentRequest('Order');

  /** A context whose dispatch context counts how often its AbortSignal is asked for. */
  function context(dispatch: { aborted?: boolean; signal?: AbortSignal } = {}) {
    const log = recordingLogger();
    let signalReads = 0;
    const dispatchContext = {
      ...(dispatch.aborted !== undefined ? { aborted: dispatch.aborted } : {}),
      get signal() {
        signalReads++;
        return dispatch.signal ?? new AbortController().signal;
      },
    };
    const ctx = new Context(request(), 'ja', dispatchContext, log, undefined, { name: 'Radio' });
    return { ctx, log, signalReads: () => signalReads };
  }
  const warnings = (log: ReturnType<typeof recordingLogger>) =>
    log.entries.filter((entry) => entry.level === 'warn').map((entry) => entry.message);

  it('ignores every ctx.* and ctx.response.* mutation after seal(), with one warning naming the call', () => {
    const { ctx, log } = context();
    ctx.say('answer');
    const before = JSON.stringify(ctx.response.build('1.0', {}));
    ctx.seal();
    expect(ctx.isSealed).toBe(true);
    ctx.say('late');
    ctx.ask('late?', 'late!');
    ctx.speechSet('a', 'b');
    ctx.play({ titleText: 't', titleSubText1: 's', stream: { url: 'https://example.com/a.mp3' } });
    ctx.streamDeliver({ audioItemId: 'a', audioStream: { url: 'https://example.com/a.mp3' } });
    ctx.pause();
    ctx.resume();
    ctx.stop();
    ctx.endSession();
    ctx.card({ type: 'X' });
    ctx.directive('BuilderTest.Coupon', { couponId: 'C' });
    ctx.response
      .say('late')
      .reprompt('r')
      .keepSession()
      .renderPlayerInfo({ displayType: 'list', controls: [], playableItems: [] });
    expect(JSON.stringify(ctx.response.build('1.0', {}))).toBe(before);
    expect(warnings(log)).toEqual([
      'cekit: ctx.say() after the answer was sent: await the promise, or return it from the handler',
    ]);
    expect(log.entries.find((entry) => entry.level === 'warn')!.fields).toEqual({
      method: 'ctx.say()',
      type: 'IntentRequest',
      intent: 'Order',
    });
  });

  it('names ctx.response.* calls too, and never throws (a detached promise would crash the process)', () => {
    const { ctx, log } = context();
    ctx.seal();
    // These would throw ResponseError on an open response (empty speech, insecure URL).
    expect(() =>
      ctx.response.say([]).play({ titleText: 't', titleSubText1: 's', stream: { url: 'http://x' } }),
    ).not.toThrow();
    expect(warnings(log)).toEqual([
      'cekit: ctx.response.say() after the answer was sent: await the promise, or return it from the handler',
    ]);
  });

  it('resetResponse() starts a new answer (the error path) and lifts the seal', () => {
    const { ctx, log } = context();
    ctx.say('first');
    ctx.seal();
    ctx.resetResponse().say('error fallback');
    expect(ctx.isSealed).toBe(false);
    expect(ctx.response.build('1.0', {}).response.outputSpeech).toMatchObject({
      values: { value: 'error fallback' },
    });
    expect(warnings(log)).toEqual([]);
  });

  it('treats a spent budget as sealed: an aborted signal the handler holds', () => {
    const controller = new AbortController();
    const { ctx, log } = context({ signal: controller.signal });
    const signal = ctx.signal;
    ctx.say('in time');
    controller.abort();
    expect(signal.aborted).toBe(true);
    expect(ctx.isSealed).toBe(true);
    ctx.say('too late');
    expect(ctx.response.build('1.0', {}).response.outputSpeech).toMatchObject({
      values: { value: 'in time' },
    });
    expect(warnings(log)).toEqual([
      'cekit: ctx.say() after the response budget ran out (the timeout fallback was sent): answer sooner, or stop the work when ctx.signal aborts',
    ]);
  });

  it('treats a spent budget as sealed: an aborted flag of the dispatch context, without creating the signal', () => {
    const { ctx, log, signalReads } = context({ aborted: true });
    ctx.say('too late');
    expect(ctx.response.isEmpty).toBe(true);
    expect(warnings(log)).toHaveLength(1);
    expect(signalReads()).toBe(0);
  });

  it('the check creates no AbortSignal on the hot path', () => {
    const { ctx, signalReads } = context();
    ctx.say('a').reprompt('b');
    ctx.ask('c').card({});
    ctx.response.build('1.0', {});
    expect(signalReads()).toBe(0);
  });

  it('through the extension: a promise the handler forgot to await cannot change the sent answer', async () => {
    const log = recordingLogger();
    const app = testExtension({ extensionId: DEFAULT_EXTENSION_ID, logger: log });
    let late: Promise<void> | undefined;
    let captured: Context | undefined;
    app.intent('Order', (ctx) => {
      captured = ctx as unknown as Context;
      ctx.say('now');
      late = Promise.resolve().then(() => void ctx.say('later'));
    });
    const { json } = await send(app, request());
    await late;
    expect(json.response.outputSpeech.values.value).toBe('now');
    // The extension seals the context once the answer is built; sealing again is harmless.
    captured!.seal();
    captured!.say('much later');
    expect(warnings(log).filter((message) => message.includes('after the answer was sent'))).toHaveLength(1);
  });
});
