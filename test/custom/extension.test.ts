import { describe, expect, it } from 'vitest';
import { audio, memoryStore } from 'cekit';
import { fixture, intentRequest, recordingLogger, send, speechOf, testExtension } from './harness.js';
import { countingStore } from '../helpers/counting-store.js';

describe('createExtension: routing', () => {
  it('answers a launch and keeps the session open with ask()', async () => {
    const app = testExtension();
    app.launch((ctx) => ctx.ask('ようこそ', 'どうしますか?'));
    const { status, json } = await send(app, fixture('launch-request'));
    expect(status).toBe(200);
    expect(json).toEqual({
      version: '1.0',
      sessionAttributes: {},
      response: {
        outputSpeech: { type: 'SimpleSpeech', values: { type: 'PlainText', lang: 'ja', value: 'ようこそ' } },
        reprompt: {
          outputSpeech: {
            type: 'SimpleSpeech',
            values: { type: 'PlainText', lang: 'ja', value: 'どうしますか?' },
          },
        },
        card: {},
        directives: [],
        shouldEndSession: false,
      },
    });
  });

  it('routes intents by name, built-ins included, and lists of names', async () => {
    const app = testExtension();
    app.intent('OrderPizza', (ctx) => ctx.say(`order ${ctx.intent.name}`));
    app.intent(['Clova.CancelIntent', 'Clova.StopIntent'], (ctx) => ctx.say(`bye ${ctx.intent.name}`));
    expect(speechOf((await send(app, fixture('intent-request'))).json).values.value).toBe('order OrderPizza');
    expect(speechOf((await send(app, fixture('intent-request-builtin-cancel'))).json).values.value).toBe(
      'bye Clova.CancelIntent',
    );
  });

  it('routes events by exact name first, then by namespace wildcard', async () => {
    const app = testExtension({ audioSource: { name: 'Test' } });
    const seen: string[] = [];
    app.event('AudioPlayer.PlayFinished', (ctx) => {
      seen.push(`finished ${ctx.event.payload.token} at ${ctx.event.payload.offsetInMilliseconds}`);
    });
    app.event('AudioPlayer.*', (ctx) => {
      seen.push(`other ${ctx.event.name}`);
    });
    await send(app, fixture('event-audioplayer-play-finished'));
    await send(app, fixture('event-audioplayer-play-paused'));
    expect(seen).toEqual(['finished TR-NM-4435786 at 183000', 'other PlayPaused']);
  });

  it('runs the sessionEnded handler and sends no session attributes back', async () => {
    const app = testExtension();
    let ended = false;
    app.sessionEnded(() => {
      ended = true;
    });
    const message = fixture('session-ended-request');
    message.session.sessionAttributes = { step: 'size' };
    const { json } = await send(app, message);
    expect(ended).toBe(true);
    expect(json.sessionAttributes).toEqual({});
  });

  it('tries predicate handlers after the specific ones', async () => {
    const app = testExtension<{ session: { step: string } }>();
    app.intent('OrderPizza', (ctx) => ctx.say('specific'));
    app.on(
      (ctx) => ctx.session.step === 'confirm',
      (ctx) => ctx.say('predicate'),
    );
    const specific = await send(
      app,
      intentRequest('OrderPizza', {}, { sessionAttributes: { step: 'confirm' } }),
    );
    expect(speechOf(specific.json).values.value).toBe('specific');
    const other = await send(
      app,
      intentRequest('Clova.YesIntent', {}, { sessionAttributes: { step: 'confirm' } }),
    );
    expect(speechOf(other.json).values.value).toBe('predicate');
  });

  it('refuses a second handler for the same intent at registration', () => {
    const app = testExtension();
    app.intent('A', () => {});
    expect(() => app.intent('A', () => {})).toThrow(/already registered/);
  });
});

describe('createExtension: safe defaults', () => {
  it('answers an unhandled intent with the fallback speech and warns naming it', async () => {
    const logger = recordingLogger();
    const app = testExtension({ logger });
    const { status, json } = await send(app, intentRequest('NobodyHandlesThis'));
    expect(status).toBe(200);
    expect(speechOf(json).values.value).toBe('すみません、よくわかりませんでした。');
    expect(json.response.shouldEndSession).toBe(false);
    const warning = logger.entries.find((entry) => entry.level === 'warn');
    expect(warning?.fields).toMatchObject({ type: 'IntentRequest', intent: 'NobodyHandlesThis' });
  });

  it('uses a configured fallback text in the request language', async () => {
    const app = testExtension({
      languages: ['ja', 'en'],
      fallbackSpeech: { en: { unhandled: 'Say that again?' } },
    });
    const { json } = await send(app, intentRequest('Nope', {}, { locale: 'en-US' }));
    expect(speechOf(json).values).toEqual({ type: 'PlainText', lang: 'en', value: 'Say that again?' });
  });

  it('answers an unhandled event with a valid empty response', async () => {
    const app = testExtension();
    const { status, json } = await send(app, fixture('event-skill-enabled'));
    expect(status).toBe(200);
    expect(json.response).toEqual({ outputSpeech: {}, card: {}, directives: [], shouldEndSession: true });
  });

  it('turns a handler exception into spoken fallback (never a 500)', async () => {
    const logger = recordingLogger();
    const app = testExtension({ logger });
    app.intent('OrderPizza', (ctx) => {
      ctx.say('half-built answer');
      throw new Error('database down');
    });
    const { status, json } = await send(app, fixture('intent-request'));
    expect(status).toBe(200);
    expect(speechOf(json).values.value).toBe('すみません、エラーが発生しました。もう一度お試しください。');
    expect(json.response.shouldEndSession).toBe(true);
    expect(logger.entries.some((e) => e.level === 'error' && e.fields?.error === 'database down')).toBe(true);
  });

  it('lets an error handler answer instead', async () => {
    const app = testExtension();
    app.intent('OrderPizza', () => {
      throw new RangeError('no pizza');
    });
    app.catch((error, ctx) => {
      ctx.say(`caught ${(error as Error).name}`).keepSession();
    });
    const { json } = await send(app, fixture('intent-request'));
    expect(speechOf(json).values.value).toBe('caught RangeError');
    expect(json.response.shouldEndSession).toBe(false);
  });

  it('answers with the timeout fallback when the handler misses the budget, and aborts ctx.signal', async () => {
    const app = testExtension({ responseBudgetMs: 50 });
    let aborted: Promise<boolean> | undefined;
    app.intent('OrderPizza', async (ctx) => {
      aborted = new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(true)));
      await new Promise((resolve) => setTimeout(resolve, 500));
      ctx.say('too late');
    });
    const { status, json } = await send(app, fixture('intent-request'));
    expect(status).toBe(200);
    expect(speechOf(json).values.value).toBe(
      'すみません、時間内にお答えできませんでした。もう一度お試しください。',
    );
    expect(await aborted).toBe(true);
  });

  it('refuses a malformed request with 400 naming the field before any handler runs', async () => {
    const app = testExtension();
    let ran = false;
    app.on(
      () => true,
      () => {
        ran = true;
      },
    );
    const message = fixture('intent-request');
    delete message.request.intent.name;
    const { status, json } = await send(app, message);
    expect(status).toBe(400);
    expect(json.error.code).toBe('INVALID_MESSAGE');
    expect(json.error.message).toContain('request.intent.name: is required');
    expect(ran).toBe(false);
  });

  it('describes requests for the log line without tokens or user ids', async () => {
    const logger = recordingLogger();
    const app = testExtension({ logger });
    app.intent('OrderPizza', (ctx) => ctx.say('ok'));
    await send(app, fixture('intent-request'));
    await send(app, fixture('event-audioplayer-play-finished'));
    const lines = logger.entries.filter((entry) => entry.message === 'cekit: request');
    expect(lines.map((line) => [line.fields?.type, line.fields?.intent ?? line.fields?.event])).toEqual([
      ['IntentRequest', 'OrderPizza'],
      ['EventRequest', 'AudioPlayer.PlayFinished'],
    ]);
    const logged = JSON.stringify(logger.entries);
    expect(logged).not.toContain('XHapQasdfsdfFsdfasdflQQ7'); // the fixture's accessToken
    expect(logged).not.toContain('U399a1e08a8d474521fc4bbd8c7b4148f'); // and its user id
  });
});

describe('createExtension: middleware', () => {
  it('runs middleware around the handler in order', async () => {
    const app = testExtension();
    const order: string[] = [];
    app.use(async (ctx, next) => {
      order.push('a:before');
      await next();
      order.push(`a:after ${ctx.response.isEmpty ? 'empty' : 'answered'}`);
    });
    app.use(async (_ctx, next) => {
      order.push('b:before');
      await next();
      order.push('b:after');
    });
    app.intent('OrderPizza', (ctx) => {
      order.push('handler');
      ctx.say('ok');
    });
    await send(app, fixture('intent-request'));
    expect(order).toEqual(['a:before', 'b:before', 'handler', 'b:after', 'a:after answered']);
  });

  it('lets middleware answer without calling next()', async () => {
    const app = testExtension();
    app.use((ctx) => {
      ctx.say('maintenance');
    });
    app.intent('OrderPizza', (ctx) => ctx.say('never'));
    expect(speechOf((await send(app, fixture('intent-request'))).json).values.value).toBe('maintenance');
  });

  it('treats calling next() twice as an error', async () => {
    const logger = recordingLogger();
    const app = testExtension({ logger });
    app.use(async (_ctx, next) => {
      await next();
      await next();
    });
    app.intent('OrderPizza', (ctx) => ctx.say('ok'));
    const { json } = await send(app, fixture('intent-request'));
    expect(speechOf(json).values.value).toBe('すみません、エラーが発生しました。もう一度お試しください。');
    expect(logger.entries.some((e) => e.fields?.errorCode === 'NEXT_CALLED_TWICE')).toBe(true);
  });
});

describe('createExtension: session and user attributes', () => {
  it('carries typed session attributes while the session is open and clears them when it ends', async () => {
    const app = testExtension<{ session: { pizza: string; count: number } }>();
    app.intent('OrderPizza', (ctx) => {
      ctx.session.pizza = 'pepperoni';
      ctx.ask('何枚?');
    });
    app.intent('Clova.YesIntent', (ctx) => ctx.say(`${ctx.session.pizza} ok`));
    const first = await send(app, fixture('intent-request'));
    expect(first.json.sessionAttributes).toEqual({ pizza: 'pepperoni' });
    const second = await send(
      app,
      intentRequest('Clova.YesIntent', {}, { sessionAttributes: first.json.sessionAttributes }),
    );
    expect(speechOf(second.json).values.value).toBe('pepperoni ok');
    expect(second.json.sessionAttributes).toEqual({});
    expect(second.json.response.shouldEndSession).toBe(true);
  });

  it('handles session: null and context without System', async () => {
    const app = testExtension({ allowAnyExtensionId: true, extensionId: undefined });
    app.event('ClovaSkill.SkillEnabled', (ctx) => ctx.say(`${ctx.sessionId ?? 'no session'} ${ctx.user.id}`));
    const { json } = await send(app, fixture('event-skill-enabled-from-store'));
    expect(speechOf(json).values.value).toBe('no session U081234567890abcdef1234567890abcd');
  });

  it('loads user attributes lazily and saves them only when changed', async () => {
    const counting = countingStore(memoryStore());
    const app = testExtension<{ user: { visits: number } }>({ storage: counting });
    app.launch(async (ctx) => {
      const user = await ctx.user.load();
      user.visits = (user.visits ?? 0) + 1;
      ctx.say(`visit ${user.visits}`);
    });
    app.intent('OrderPizza', async (ctx) => {
      const user = await ctx.user.load();
      ctx.say(`read ${user.visits}`);
    });
    app.intent('Clova.CancelIntent', (ctx) => ctx.say('no storage touched'));
    await send(app, fixture('launch-request'));
    const second = await send(app, fixture('launch-request'));
    expect(speechOf(second.json).values.value).toBe('visit 2');
    expect(counting.commits).toBe(2);
    const read = await send(app, fixture('intent-request'));
    expect(speechOf(read.json).values.value).toBe('read 2');
    expect(counting).toMatchObject({ opens: 3, commits: 2, releases: 1 });
    await send(app, fixture('intent-request-builtin-cancel'));
    expect(counting).toMatchObject({ opens: 3, commits: 2 });
  });

  it('deletes user data on SkillDisabled', async () => {
    const store = memoryStore<{ name: string }>();
    await store.set('U399a1e08a8d474521fc4bbd8c7b4148f', { name: 'x' });
    const app = testExtension<{ user: { name: string } }>({ storage: store });
    app.event('ClovaSkill.SkillDisabled', (ctx) => ctx.user.delete());
    await send(app, fixture('event-skill-disabled'));
    expect(await store.get('U399a1e08a8d474521fc4bbd8c7b4148f')).toBeUndefined();
  });
});

describe('createExtension: language', () => {
  it('speaks the request locale when the extension speaks it, else the default', async () => {
    const app = testExtension({ language: 'ja', languages: ['ja', 'ko'] });
    app.intent('Hello', (ctx) => ctx.say([ctx.lang, audio('https://example.com/a.mp3')]));
    const ko = await send(app, intentRequest('Hello', {}, { locale: 'ko-KR' }));
    expect(speechOf(ko.json).values[0]).toEqual({ type: 'PlainText', lang: 'ko', value: 'ko' });
    expect(speechOf(ko.json).values[1]).toEqual({
      type: 'URL',
      lang: '',
      value: 'https://example.com/a.mp3',
    });
    const en = await send(app, intentRequest('Hello', {}, { locale: 'en-US' }));
    expect(speechOf(en.json).values[0].lang).toBe('ja');
  });
});

describe('createExtension: failure paths', () => {
  it('answers with the error fallback when the error handler itself throws', async () => {
    const app = testExtension();
    app.intent('OrderPizza', () => {
      throw new Error('first');
    });
    app.catch(() => {
      throw new Error('second');
    });
    const { status, json } = await send(app, fixture('intent-request'));
    expect(status).toBe(200);
    expect(speechOf(json).values.value).toBe('すみません、エラーが発生しました。もう一度お試しください。');
  });

  it('sends an invalid built response to the error handler (validateResponses)', async () => {
    const app = testExtension({ validateResponses: true });
    app.intent('OrderPizza', (ctx) => {
      // Bypasses the typed API on purpose, as untyped JavaScript could.
      ctx.response.renderPlayerInfo({ displayType: 'grid' } as never);
    });
    let caught: unknown;
    app.catch((error, ctx) => {
      caught = error;
      ctx.say('fixed');
    });
    const { json } = await send(app, fixture('intent-request'));
    expect((caught as { code?: string }).code).toBe('RESPONSE_INVALID');
    expect(String((caught as Error).message)).toContain('displayType');
    expect(speechOf(json).values.value).toBe('fixed');
  });

  it('does not save user attributes changed after the deadline', async () => {
    const store = memoryStore<{ late: boolean }>();
    const app = testExtension<{ user: { late: boolean } }>({ storage: store, responseBudgetMs: 30 });
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    app.intent('OrderPizza', async (ctx) => {
      const user = await ctx.user.load();
      await new Promise((resolve) => setTimeout(resolve, 120));
      user.late = true;
      ctx.say('late');
      setTimeout(finished, 20);
    });
    await send(app, fixture('intent-request'));
    await done;
    expect(await store.get('U399a1e08a8d474521fc4bbd8c7b4148f')).toBeUndefined();
  });
});

describe('createExtension: synchronous fast path', () => {
  const context = { kind: 'custom' as const, signal: new AbortController().signal, receivedAt: 0 };

  it('answers synchronously when there is no middleware and the handler is synchronous', () => {
    const app = testExtension();
    app.intent('OrderPizza', (ctx) => ctx.say('sync'));
    const answer = app.dispatch(fixture('intent-request'), context);
    expect(answer).not.toBeInstanceOf(Promise);
    expect((answer as { response: { shouldEndSession: boolean } }).response.shouldEndSession).toBe(true);
  });

  it('goes asynchronous for async handlers, middleware, and loaded user attributes', async () => {
    const app = testExtension({ storage: memoryStore() });
    app.intent('OrderPizza', async (ctx) => ctx.say('async'));
    app.intent('Clova.CancelIntent', (ctx) => {
      void ctx.user.load();
      ctx.say('loads');
    });
    expect(app.dispatch(fixture('intent-request'), context)).toBeInstanceOf(Promise);
    expect(app.dispatch(fixture('intent-request-builtin-cancel'), context)).toBeInstanceOf(Promise);
    const withMiddleware = testExtension();
    withMiddleware.use((_ctx, next) => next());
    withMiddleware.intent('OrderPizza', (ctx) => ctx.say('sync'));
    const answer = withMiddleware.dispatch(fixture('intent-request'), context);
    expect(answer).toBeInstanceOf(Promise);
    expect(speechOf(await answer).values.value).toBe('sync');
  });
});

describe('user attributes: concurrent loads', () => {
  it('shares one load between concurrent load() calls, so no change is lost', async () => {
    const store = memoryStore<{ a: number; b: number }>();
    const counting = countingStore(store);
    const app = testExtension<{ user: { a: number; b: number } }>({ storage: counting });
    app.intent('OrderPizza', async (ctx) => {
      const [first, second] = await Promise.all([ctx.user.load(), ctx.user.load()]);
      first.a = 1;
      second.b = 2;
      ctx.say('ok');
    });
    await send(app, fixture('intent-request'));
    expect(counting.opens).toBe(1);
    expect(await store.get('U399a1e08a8d474521fc4bbd8c7b4148f')).toEqual({ a: 1, b: 2 });
  });
});
