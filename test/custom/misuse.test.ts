import { defineMessages, ExtensionError, type MessageCatalog } from 'cekit';
import { createConversation, defineInteractionModel } from 'cekit/testing';
import { describe, expect, it } from 'vitest';
import { EXTENSION_ID, intentRequest, keys, recordingLogger, send, testExtension } from './harness.js';

// Mistakes a user makes with the handler API: caught by TypeScript where the names are known at compile
// time, otherwise by a start-up warning or error that names the mistake and the likely fix.

describe('handler return values', () => {
  it('answers with the error fallback and names the fix when a handler returns a string', async () => {
    const logger = recordingLogger();
    const app = testExtension({ logger });
    // @ts-expect-error -- a handler builds its answer on ctx; returning a string is a compile error
    app.intent('Hello', () => 'こんにちは');
    const { status, json } = await send(app, intentRequest('Hello'));
    expect(status).toBe(200);
    expect(json.response.outputSpeech.values.value).not.toBe('こんにちは');
    const failure = logger.entries.find((entry) => entry.level === 'error');
    expect(failure?.fields?.error).toMatch(
      /returned the string "こんにちは", which cekit ignores: speak it with ctx\.say\("こんにちは"\)/,
    );
    expect(failure?.fields?.errorName).toBe('ExtensionError');
  });

  it('does the same for an async handler that resolves to a response-like object', async () => {
    const logger = recordingLogger();
    const app = testExtension({ logger });
    // @ts-expect-error -- not a builder: the value would be dropped
    app.intent('Hello', async () => ({ outputSpeech: { type: 'SimpleSpeech' } }));
    const seen: unknown[] = [];
    app.catch((error, ctx) => {
      seen.push(error);
      ctx.say('エラー');
    });
    const { json } = await send(app, intentRequest('Hello'));
    expect(json.response.outputSpeech.values.value).toBe('エラー');
    expect(seen[0]).toBeInstanceOf(ExtensionError);
    expect((seen[0] as ExtensionError).code).toBe('HANDLER_RETURNED_VALUE');
  });

  it('accepts handlers that return nothing or the builder of a say() chain', async () => {
    const app = testExtension();
    app.intent('A', (ctx) => ctx.say('a'));
    app.intent('B', async (ctx) => ctx.ask('b').reprompt('b?'));
    app.intent('C', (ctx) => {
      ctx.say('c');
    });
    for (const [name, text] of [
      ['A', 'a'],
      ['B', 'b'],
      ['C', 'c'],
    ] as const) {
      const { json } = await send(app, intentRequest(name));
      expect(json.response.outputSpeech.values.value).toBe(text);
    }
  });
});

describe('misspelled names', () => {
  it('makes a misspelled built-in intent a compile error and a start-up warning with did-you-mean', () => {
    const logger = recordingLogger();
    const app = testExtension({ logger });
    // @ts-expect-error -- 'Clova.GuidIntent' is not a built-in intent
    app.intent('Clova.GuidIntent', (ctx) => ctx.say('help'));
    app.intent('Clova.GuideIntent', (ctx) => ctx.say('help'));
    app.intent('OrderPizza', (ctx) => ctx.say('ok'));
    expect(logger.entries).toEqual([
      expect.objectContaining({
        level: 'warn',
        message:
          'cekit: "Clova.GuidIntent" is not a built-in intent, so CEK never sends it. Did you mean "Clova.GuideIntent"?',
      }),
    ]);
    expect(app.registeredIntents).toEqual(['Clova.GuidIntent', 'Clova.GuideIntent', 'OrderPizza']);
  });

  it('makes a misspelled documented event a compile error and a start-up warning with did-you-mean', () => {
    const logger = recordingLogger();
    const app = testExtension({ logger });
    // @ts-expect-error -- not an AudioPlayer event
    app.event('AudioPlayer.PlayFinishd', () => undefined);
    app.event('AudioPlayer.PlayFinished', (ctx) => {
      const offset: number = ctx.event.payload.offsetInMilliseconds;
      void offset;
    });
    app.event('AudioPlayer.*', () => undefined);
    // A namespace the spec does not document (a partner's or a future one) is free.
    app.event('Partner.SomethingHappened', () => undefined);
    expect(logger.entries.map((entry) => entry.message)).toEqual([
      'cekit: "AudioPlayer.PlayFinishd" is not a documented AudioPlayer event, so it never arrives. Did you mean "AudioPlayer.PlayFinished"?',
    ]);
  });

  it('refuses an unknown slot kind at registration, with did-you-mean', () => {
    const app = testExtension();
    expect(() =>
      // @ts-expect-error -- 'numbr' is not a slot kind
      app.intent('Roll', { slots: { count: 'numbr' } }, (ctx) => ctx.say('x')),
    ).toThrow(/Slot "count": unknown kind "numbr"; use one of string, number, .*Did you mean "number"\?/);
    try {
      // @ts-expect-error -- same mistake, checked for its code
      app.intent('Roll', { slots: { when: 'dat' } }, (ctx) => ctx.say('x'));
    } catch (error) {
      expect((error as ExtensionError).code).toBe('UNKNOWN_SLOT_KIND');
    }
  });
});

describe('defineMessages', () => {
  it('reports a message missing in one language at compile time', () => {
    expect(() =>
      defineMessages({
        ja: { hello: 'こんにちは', bye: 'さようなら' },
        // @ts-expect-error -- 'bye' is missing in ko
        ko: { hello: '안녕하세요' },
      }),
    ).toThrow('defineMessages(): every language must define every message; missing ko.bye.');
  });

  it('reports every missing message at start-up for JavaScript callers', () => {
    const untyped: MessageCatalog = {
      ja: { hello: 'こんにちは', bye: 'さようなら' },
      ko: { hello: '안녕하세요' },
      en: { hello: 'Hello', bye: 'Bye', extra: 'x' },
    };
    expect(() => defineMessages(untyped)).toThrow(
      'defineMessages(): every language must define every message; missing ja.extra, ko.bye, ko.extra.',
    );
  });

  it('accepts a complete catalog with functions', () => {
    const messages = defineMessages({
      ja: { rolled: (n: number) => `${n}が出ました` },
      en: { rolled: (n: number) => `You rolled ${n}` },
    });
    expect(messages('en').rolled(4)).toBe('You rolled 4');
    expect(messages('ko').rolled(4)).toBe('4が出ました');
  });
});

describe('handlers against the interaction model', () => {
  const model = defineInteractionModel({
    intents: [
      { name: 'OrderPizza', slots: { size: 'SIZE' }, samples: ['{size}のピザ'] },
      { name: 'AskPrice', samples: ['いくら'] },
    ],
    slotTypes: { SIZE: [['L'], ['M']] },
  });

  it('warns, with did-you-mean, about handlers and slots the model does not have', () => {
    const logger = recordingLogger();
    const app = testExtension({ logger });
    app.intent('OrderPizz', (ctx) => ctx.say('x'));
    app.intent('AskPrice', { slots: { siz: 'string' } }, (ctx) => ctx.say('x'));
    app.intent('Clova.GuideIntent', (ctx) => ctx.say('help'));
    createConversation({ target: app, keys, extensionId: EXTENSION_ID, model });
    expect(logger.entries.map((entry) => entry.message)).toEqual([
      'cekit: the handler for intent "OrderPizz" never runs: the interaction model has no such intent. Did you mean "OrderPizza"?',
      'cekit: intent "AskPrice" declares slot "siz", which the interaction model does not give it.',
      'cekit: intent "OrderPizza" of the interaction model has no handler: it gets the unhandled fallback. Did you mean "OrderPizz"?',
    ]);
  });

  it('refuses to send an intent or slot CEK could never send for that model', async () => {
    const app = testExtension();
    app.intent('OrderPizza', { slots: { size: 'string' } }, (ctx) => ctx.say(ctx.slots.size ?? '?'));
    const cek = createConversation({ target: app, keys, extensionId: EXTENSION_ID, model });
    expect(() => cek.intent('OrderPizz')).toThrow(
      'intent("OrderPizz"): the interaction model has no such intent, so CEK never sends it. Did you mean "OrderPizza"?',
    );
    expect(() => cek.intent('OrderPizza', { sise: 'L' })).toThrow(
      'intent("OrderPizza"): the interaction model gives it no slot "sise". Did you mean "size"?',
    );
    expect((await cek.intent('OrderPizza', { size: 'L' })).speech).toBe('L');
    expect((await cek.intent('Clova.GuideIntent')).status).toBe(200);
  });
});

describe('answers that say nothing', () => {
  it('warns once per intent when a handler answers nothing, not when it ends the session on purpose', async () => {
    const logger = recordingLogger();
    const app = testExtension({ logger });
    app.intent('Forgot', () => undefined);
    app.intent('Quiet', (ctx) => ctx.endSession());
    app.event('AudioPlayer.PlayFinished', () => undefined);
    await send(app, intentRequest('Forgot'));
    await send(app, intentRequest('Forgot'));
    const { json } = await send(app, intentRequest('Quiet'));
    expect(json.response).toMatchObject({ outputSpeech: {}, shouldEndSession: true });
    expect(logger.entries.filter((entry) => entry.level === 'warn').map((entry) => entry.message)).toEqual([
      'cekit: the handler for intent "Forgot" answered nothing, so the user hears silence and the session ends. Speak with ctx.say()/ctx.ask(), or call ctx.endSession() to end silently on purpose.',
    ]);
  });

  it('drops a ctx.say() made after the answer went out, with a warning and no crash', async () => {
    const logger = recordingLogger();
    const app = testExtension({ logger });
    let late: Promise<void> | undefined;
    app.intent('FireAndForget', (ctx) => {
      ctx.say('now');
      // Not awaited: the answer goes out before this runs.
      late = new Promise((resolve) =>
        setTimeout(() => {
          ctx.say('too late');
          resolve();
        }, 5),
      );
    });
    const { json } = await send(app, intentRequest('FireAndForget'));
    await late;
    expect(json.response.outputSpeech.values.value).toBe('now');
    expect(logger.entries.filter((entry) => entry.level === 'warn').map((entry) => entry.message)).toEqual([
      expect.stringMatching(
        /ctx\.say\(\) after the answer was sent: await the promise, or return it from the handler/,
      ),
    ]);
  });
});
