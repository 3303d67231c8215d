import { describe, expect, it } from 'vitest';
import {
  createExtension,
  DIALOG_STATE_KEY,
  defineModel,
  ExtensionError,
  parseDate,
  parseDuration,
  type ExtensionTypes,
  type Extension,
} from 'cekit';
import { createConversation } from 'cekit/testing';
import {
  readDialogState,
  storedSlotOfRequest,
  storedSlotOfValue,
  type DialogShape,
} from '../../src/custom/dialog-state.js';
import { EXTENSION_ID, keys, recordingLogger, testExtension } from './harness.js';

const SHAPE: DialogShape = { slotNames: ['kind', 'count'], confirms: true };
const shapes = (intent: string) => (intent === 'Order' ? SHAPE : undefined);
const read = (state: unknown) => readDialogState({ [DIALOG_STATE_KEY]: state }, shapes);

describe('dialog state in session attributes', () => {
  it('reads a well-formed state, keeping only the dialog slots', () => {
    const state = read({
      v: 1,
      intent: 'Order',
      slots: {
        kind: { value: 'L' },
        count: { value: '2', unit: '枚' },
        other: { value: 'not a slot of the dialog' },
      },
      asked: { confirm: true },
    });
    expect(state).toEqual({
      intent: 'Order',
      slots: new Map([
        ['kind', { value: 'L' }],
        ['count', { value: '2', unit: '枚' }],
      ]),
      asked: { confirm: true },
    });
  });

  it('discards a malformed envelope, another version, or a dialog that is not registered', () => {
    for (const state of [
      undefined,
      null,
      'Order',
      42,
      [],
      { intent: 'Order', slots: {} },
      { v: '1', intent: 'Order', slots: {} },
      { v: 2, intent: 'Order', slots: {} },
      { v: 1, slots: {} },
      { v: 1, intent: 7, slots: {} },
      { v: 1, intent: 'Gone', slots: {} },
      { v: 1, intent: 'Order' },
      { v: 1, intent: 'Order', slots: [] },
      { v: 1, intent: 'Order', slots: null },
    ])
      expect(read(state), JSON.stringify(state) ?? 'undefined').toBeUndefined();
    expect(readDialogState({}, shapes)).toBeUndefined();
  });

  it('never looks up a name through a prototype', () => {
    const lookups: string[] = [];
    const record = (intent: string) => {
      lookups.push(intent);
      return undefined;
    };
    for (const intent of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
      expect(readDialogState({ [DIALOG_STATE_KEY]: { v: 1, intent, slots: {} } }, record)).toBeUndefined();
    expect(lookups).toHaveLength(4);
    // An inherited state key is not a state.
    const inherited = Object.create({ [DIALOG_STATE_KEY]: { v: 1, intent: 'Order', slots: {} } }) as Record<
      string,
      unknown
    >;
    expect(readDialogState(inherited, shapes)).toBeUndefined();
    // Slot names are the dialog's: a `__proto__` or `constructor` entry of the state is never read.
    const slots = JSON.parse('{"__proto__": {"value": "x"}, "constructor": {"value": "y"}}') as unknown;
    const state = read({ v: 1, intent: 'Order', slots, asked: { slot: 'constructor' } });
    expect(state).toEqual({ intent: 'Order', slots: new Map(), asked: undefined });
    expect(({} as Record<string, unknown>).value).toBeUndefined();
  });

  it('leaves out a malformed slot, and a question the dialog cannot ask', () => {
    const state = read({
      v: 1,
      intent: 'Order',
      slots: {
        kind: { value: 3 },
        count: { value: '2', unit: ['枚'] },
      },
      asked: { slot: 'size' },
    });
    expect(state).toEqual({ intent: 'Order', slots: new Map(), asked: undefined });
    expect(read({ v: 1, intent: 'Order', slots: { kind: 'L', count: null } })?.slots.size).toBe(0);
    expect(
      read({ v: 1, intent: 'Order', slots: { count: { value: '2', valueType: 'LATER' } } })?.slots.size,
    ).toBe(0);
    expect(
      read({ v: 1, intent: 'Order', slots: { count: { value: '12:00:00', valueType: 'TIME' } } })?.slots,
    ).toEqual(new Map([['count', { value: '12:00:00', valueType: 'TIME' }]]));
    expect(read({ v: 1, intent: 'Order', slots: {}, asked: { confirm: 'yes' } })?.asked).toBeUndefined();
    expect(read({ v: 1, intent: 'Order', slots: {}, asked: 'kind' })?.asked).toBeUndefined();
    expect(read({ v: 1, intent: 'Order', slots: {}, asked: { slot: 'kind' } })?.asked).toEqual({
      slot: 'kind',
    });
    const noConfirm = readDialogState(
      { [DIALOG_STATE_KEY]: { v: 1, intent: 'Order', slots: {}, asked: { confirm: true } } },
      () => ({ slotNames: ['kind'], confirms: false }),
    );
    expect(noConfirm?.asked).toBeUndefined();
  });

  it('stores request slots as text and prefilled values as the slot CEK would send', () => {
    expect(storedSlotOfRequest({ value: 2, unit: '枚' })).toEqual({ value: '2', unit: '枚' });
    expect(storedSlotOfRequest({ value: null })).toBeUndefined();
    expect(storedSlotOfValue('ペパロニ')).toEqual({ value: 'ペパロニ' });
    expect(storedSlotOfValue(2.5)).toEqual({ value: '2.5' });
    expect(storedSlotOfValue(Number.NaN)).toBeUndefined();
    expect(storedSlotOfValue({ value: 300, unit: 'JPY' })).toEqual({ value: '300', unit: 'JPY' });
    expect(storedSlotOfValue(parseDate('2024-05-01'))).toEqual({ value: '2024-05-01', valueType: 'DATE' });
    expect(storedSlotOfValue(parseDuration('PT30M'))).toEqual({ value: 'PT30M' });
    expect(storedSlotOfValue({ size: 'L' })).toBeUndefined();
    expect(storedSlotOfValue(null)).toBeUndefined();
  });
});

/** A booking dialog without a model: every slot gives its type. */
function booking(app: Extension, options: { denied?: 'cancel'; help?: string } = {}) {
  return app.dialog(
    'Reserve',
    {
      slots: {
        people: {
          type: 'number',
          prompt: '何名様ですか?',
          reprompt: '人数を教えてください。',
          // Asynchronous, as a look-up of free tables would be.
          validate: async (people) => {
            await Promise.resolve();
            return people >= 1 && people <= 8 ? true : people > 8 ? '8名様までです。何名様ですか?' : false;
          },
        },
        day: { type: 'date', prompt: (ctx) => `${ctx.slots.people ?? ''}名様ですね。何日にしますか?` },
      },
      confirm: {
        prompt: (ctx) => `${ctx.slots.day.month}月${ctx.slots.day.day}日に${ctx.slots.people}名様ですね?`,
      },
      answers: { NumberOnly: { number: 'people' } },
      ...options,
    },
    (ctx) => ctx.say(`${ctx.slots.day.text}、${ctx.slots.people}名様で承りました。`),
  );
}

function talk<T extends ExtensionTypes>(app: Extension<T>) {
  return createConversation({ target: app, keys, extensionId: EXTENSION_ID });
}

describe('app.dialog(): turns', () => {
  it('asks, takes answers from other intents, confirms and completes', async () => {
    const app = testExtension();
    booking(app);
    const cek = talk(app);
    expect((await cek.intent('Reserve')).speech).toBe('何名様ですか?');
    const people = await cek.intent('NumberOnly', { number: '3' });
    expect(people.speech).toBe('3名様ですね。何日にしますか?');
    const day = await cek.intent('Reserve', { day: { value: '2024-05-01', valueType: 'DATE' } });
    expect(day.speech).toBe('5月1日に3名様ですね?');
    const done = await cek.intent('Clova.YesIntent');
    expect(done.speech).toBe('2024-05-01、3名様で承りました。');
    expect(done.sessionAttributes).toEqual({});
  });

  it('gives an answering intent to its own handler while the dialog is not going on', async () => {
    const app = testExtension();
    const reserve = booking(app);
    app.intent('NumberOnly', { slots: { number: 'number' } }, (ctx) =>
      reserve.start(ctx, { people: ctx.slots.number }),
    );
    const cek = talk(app);
    expect((await cek.intent('NumberOnly', { number: '2' })).speech).toBe('2名様ですね。何日にしますか?');
    // Now the dialog takes it: a correction of the number of people.
    expect((await cek.intent('NumberOnly', { number: '5' })).speech).toBe('5名様ですね。何日にしますか?');
  });

  it('says the validator text, or the reprompt, and asks the slot again', async () => {
    const app = testExtension();
    booking(app);
    const cek = talk(app);
    const tooMany = await cek.intent('Reserve', { people: '12' });
    expect(tooMany.speech).toBe('8名様までです。何名様ですか?');
    expect(tooMany.reprompt).toBe('人数を教えてください。');
    const none = await cek.intent('NumberOnly', { number: '0' });
    expect(none.speech).toBe('人数を教えてください。');
    // A refused correction forgets the old value too.
    await cek.intent('Reserve', { people: '2' });
    const corrected = await cek.intent('Reserve', { people: '9' });
    expect(corrected.speech).toBe('8名様までです。何名様ですか?');
    expect((corrected.sessionAttributes[DIALOG_STATE_KEY] as { slots: object }).slots).toEqual({});
  });

  it('lets other intents through to their handlers, keeping the dialog for when the user comes back', async () => {
    const app = testExtension();
    booking(app);
    app.intent('Hours', (ctx) => {
      ctx.session.seen = ((ctx.session.seen as number | undefined) ?? 0) + 1;
      return ctx.ask('10時から22時までです。');
    });
    // Events are reports, not answers: they reach their handlers and leave the dialog alone.
    app.event('AudioPlayer.*', (ctx) => ctx.response.keepSession());
    const cek = talk(app);
    await cek.intent('Reserve', { people: '2' });
    const hours = await cek.intent('Hours');
    expect(hours.speech).toBe('10時から22時までです。');
    expect(hours.sessionAttributes).toMatchObject({ seen: 1, [DIALOG_STATE_KEY]: { intent: 'Reserve' } });
    await cek.event('AudioPlayer.PlayStarted');
    expect(cek.sessionAttributes[DIALOG_STATE_KEY]).toMatchObject({ slots: { people: { value: '2' } } });
    // An intent no handler takes: the dialog's question again, not the unhandled fallback.
    const unknown = await cek.intent('Weather');
    expect(unknown.speech).toBe('2名様ですね。何日にしますか?');
    expect((await cek.intent('Clova.FallbackIntent')).speech).toBe('2名様ですね。何日にしますか?');
    expect((await cek.intent('Clova.YesIntent')).speech).toBe('2名様ですね。何日にしますか?');
    expect((await cek.intent('Reserve', { day: '2024-05-02' })).speech).toBe('5月2日に2名様ですね?');
    expect(cek.sessionAttributes).toMatchObject({ seen: 1 });
  });

  it('answers help with the help text, then the question', async () => {
    const withHelp = testExtension();
    booking(withHelp, { help: '人数と日にちでご予約できます。' });
    const cek = talk(withHelp);
    await cek.intent('Reserve');
    const help = await cek.intent('Clova.GuideIntent');
    expect(help.speech).toBe('人数と日にちでご予約できます。 何名様ですか?');
    expect(help.reprompt).toBe('人数を教えてください。');
    expect(cek.sessionAttributes[DIALOG_STATE_KEY]).toMatchObject({ asked: { slot: 'people' } });
    const plain = testExtension();
    booking(plain);
    const other = talk(plain);
    await other.intent('Reserve', { people: '2', day: '2024-05-03' });
    expect((await other.intent('Clova.GuideIntent')).speech).toBe('5月3日に2名様ですね?');
  });

  it('cancels with the built-in text in the request language, and ends the session', async () => {
    const app = testExtension({ languages: ['ja', 'ko', 'en'] });
    booking(app);
    for (const [locale, text] of [
      ['ja-JP', 'キャンセルしました。'],
      ['ko-KR', '취소했습니다.'],
      ['en-US', 'OK, cancelled.'],
    ] as const) {
      const cek = createConversation({ target: app, keys, extensionId: EXTENSION_ID, locale });
      await cek.intent('Reserve', { people: '2' });
      const cancel = await cek.intent(locale === 'en-US' ? 'Clova.StopIntent' : 'Clova.CancelIntent');
      expect(cancel.speech).toBe(text);
      expect(cancel.shouldEndSession).toBe(true);
      expect(cancel.sessionAttributes).toEqual({});
    }
  });

  it('"no" to the confirmation restarts, or cancels with denied: "cancel"', async () => {
    const restart = testExtension();
    booking(restart);
    const cek = talk(restart);
    await cek.intent('Reserve', { people: '2', day: '2024-05-03' });
    const no = await cek.intent('Clova.NoIntent');
    expect(no.speech).toBe('何名様ですか?');
    expect((no.sessionAttributes[DIALOG_STATE_KEY] as { slots: object }).slots).toEqual({});
    const cancelling = testExtension();
    booking(cancelling, { denied: 'cancel' });
    const other = talk(cancelling);
    await other.intent('Reserve', { people: '2', day: '2024-05-03' });
    expect((await other.intent('Clova.NoIntent')).speech).toBe('キャンセルしました。');
  });

  it('starts from another handler with prefilled values, which are parsed and validated', async () => {
    const app = testExtension();
    const reserve = booking(app);
    app.launch((ctx) => reserve.start(ctx, { people: 12 }));
    app.intent('Usual', (ctx) => reserve.start(ctx, { people: 4, day: parseDate('2024-06-01') }));
    app.intent('Broken', (ctx) => reserve.start(ctx, { day: { year: 2024 } as never }));
    app.intent('Check', (ctx) => ctx.say(reserve.isActive(ctx) ? 'active' : 'idle'));
    app.intent('Leave', (ctx) => {
      reserve.clear(ctx);
      return ctx.ask('またどうぞ。');
    });
    const cek = talk(app);
    expect((await cek.launch()).speech).toBe('何名様ですか?'); // 12 fails the validator: asked
    expect((await cek.intent('Check')).speech).toBe('active');
    await cek.intent('Leave');
    expect(cek.sessionAttributes).toEqual({});
    expect((await cek.intent('Usual')).speech).toBe('6月1日に4名様ですね?');
    const broken = await cek.intent('Broken');
    expect(broken.speech).toBe('すみません、エラーが発生しました。もう一度お試しください。');
  });

  it('is replaced by another dialog started over it', async () => {
    const app = testExtension();
    booking(app);
    app.dialog('Feedback', { slots: { stars: { type: 'number', prompt: '何点ですか?' } } }, (ctx) =>
      ctx.say(`${ctx.slots.stars}点ですね。`),
    );
    const cek = talk(app);
    await cek.intent('Reserve', { people: '2' });
    expect((await cek.intent('Feedback')).speech).toBe('何点ですか?');
    expect(cek.sessionAttributes[DIALOG_STATE_KEY]).toMatchObject({ intent: 'Feedback', slots: {} });
    expect((await cek.intent('Feedback', { stars: '5' })).speech).toBe('5点ですね。');
  });

  it('sends a done handler that returns its answer to the error path', async () => {
    const app = testExtension();
    app.dialog('Quick', { slots: {} }, (() => 'done') as never);
    expect((await talk(app).intent('Quick')).speech).toBe(
      'すみません、エラーが発生しました。もう一度お試しください。',
    );
  });
});

describe('app.dialog(): with a model', () => {
  const model = defineModel({
    intents: {
      OrderPizza: { pizzaType: 'PIZZA_TYPE', pizzaAmount: 'CLOVA.NUMBER', note: 'CLOVA.WORLD_CITY' },
      AmountOnly: { count: 'CLOVA.NUMBER' },
    },
    slotTypes: { PIZZA_TYPE: ['マルゲリータ', 'ペパロニ'] },
  });

  it("parses by the model, keeps the intent's other slots when said, and counts answering intents as handled", async () => {
    const logger = recordingLogger();
    const app = createExtension({
      extensionId: EXTENSION_ID,
      verify: { keys: [keys.publicKeyPem], bundledKey: false, keyUrl: false },
      logger,
      model,
    });
    app.dialog(
      'OrderPizza',
      {
        slots: { pizzaType: { prompt: 'どのピザ?' }, pizzaAmount: { prompt: '何枚?' } },
        answers: { AmountOnly: { count: 'pizzaAmount' } },
      },
      (ctx) => ctx.say(`${ctx.slots.pizzaType}を${ctx.slots.pizzaAmount}枚、${ctx.slots.note ?? '店頭'}で。`),
    );
    expect(
      app.checkAgainstModel({
        intents: [
          { name: 'OrderPizza', slots: { pizzaType: {}, pizzaAmount: {}, note: {} } },
          { name: 'AmountOnly', slots: { count: {} } },
        ],
      }),
    ).toEqual([]);
    const cek = talk(app);
    expect((await cek.intent('OrderPizza', { pizzaType: 'ハワイアン', note: '大阪' })).speech).toBe(
      'どのピザ?',
    );
    expect((await cek.intent('AmountOnly', { count: { value: '2', unit: '枚' } })).speech).toBe('どのピザ?');
    expect((await cek.intent('OrderPizza', { pizzaType: 'ペパロニ' })).speech).toBe(
      'ペパロニを2枚、大阪で。',
    );
    expect(logger.entries.filter((entry) => entry.level === 'warn')).toEqual([]);
  });
});

describe('app.dialog(): registration', () => {
  const prompt = { prompt: '?' };

  it('refuses a second handler for the intent, either way round', () => {
    const app = testExtension();
    app.dialog('Reserve', { slots: { people: { type: 'number', ...prompt } } }, () => {});
    expect(() => app.intent('Reserve', () => {})).toThrow(ExtensionError);
    const other = testExtension();
    other.intent('Reserve', () => {});
    expect(() => other.dialog('Reserve', { slots: {} }, () => {})).toThrow(
      expect.objectContaining({ code: 'DUPLICATE_HANDLER' }),
    );
  });

  it('names the mistake in a configuration JavaScript could pass', () => {
    const app = testExtension();
    const dialog = app.dialog.bind(app) as unknown as (
      name: string,
      options: unknown,
      done: () => void,
    ) => void;
    const fails = (name: string, options: unknown) => {
      try {
        dialog(name, options, () => {});
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(fails('A', { slots: { n: prompt } })).toMatch(/slot "n" has no type/);
    expect(fails('A', { slots: { n: { type: 'numbr', prompt: '?' } } })).toMatch(/Did you mean "number"/);
    expect(fails('A', { slots: { n: { type: 'number' } } })).toMatch(/needs a prompt/);
    expect(fails('Clova.YesIntent', { slots: {} })).toMatch(/not a built-in one/);
    expect(
      fails('A', { slots: JSON.parse('{"__proto__": { "type": "number", "prompt": "?" }}') as unknown }),
    ).toMatch(/"__proto__" cannot be a slot name/);
    expect(fails('A', { slots: { n: { type: 'number', prompt: '?' } }, answers: { B: { m: 'm' } } })).toMatch(
      /fills slot "m", which the dialog does not have. Did you mean "n"\?/,
    );
    expect(fails('A', { slots: {}, answers: { 'Clova.YesIntent': {} } })).toMatch(
      /answers.Clova.YesIntent: built-in intents are answered by the dialog itself/,
    );
    expect(fails('A', { slots: {}, answers: { A: {} } })).toMatch(/the dialog's own intent fills its slots/);
    expect(fails('A', {})).toMatch(/slots is an object/);
    expect(fails('A', { slots: {}, denied: 'ask' })).toMatch(/denied is 'restart' or 'cancel'/);
    // None of the refused dialogs was registered.
    expect(app.registeredIntents).toEqual([]);
  });
});
