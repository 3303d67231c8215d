import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createExtension,
  defineModel,
  ExtensionError,
  silentLogger,
  type Amount,
  type Dialog,
  type SlotView,
  type SpeechInput,
} from 'cekit';

// Type-level tests of app.dialog(): slot names and values from the model, or from each slot's `type`
// without one; the done handler sees every declared slot known. Registrations that compile run too;
// those refused at compile time are also refused at registration, for JavaScript callers.
const model = defineModel({
  intents: {
    OrderPizza: { pizzaType: 'PIZZA_TYPE', pizzaAmount: 'CLOVA.NUMBER', note: 'CLOVA.WORLD_CITY' },
    AmountOnly: { count: 'CLOVA.NUMBER' },
    BookTable: { people: 'CLOVA.NUMBER', budget: 'CLOVA.MONEY' },
  },
  slotTypes: { PIZZA_TYPE: ['マルゲリータ', 'ペパロニ'] },
});
type Pizza = 'マルゲリータ' | 'ペパロニ';

const modelApp = () =>
  createExtension({ extensionId: 'com.example.pizza', verify: false, logger: silentLogger, model });

describe('dialog types with a model', () => {
  it('types prompts, validators and the done handler by the model', () => {
    const app = modelApp();
    const order = app.dialog(
      'OrderPizza',
      {
        slots: {
          pizzaType: { prompt: 'どのピザにしますか?', reprompt: 'ピザの種類を教えてください。' },
          pizzaAmount: {
            prompt: (ctx) => {
              expectTypeOf(ctx.slots.pizzaType).toEqualTypeOf<Pizza | undefined>();
              return `${ctx.slots.pizzaType ?? ''}ですね。何枚にしますか?`;
            },
            validate: (amount, ctx) => {
              expectTypeOf(amount).toEqualTypeOf<number>();
              expectTypeOf(ctx.slots.pizzaAmount).toEqualTypeOf<number | undefined>();
              return (amount >= 1 && amount <= 10) || '1枚から10枚までです。';
            },
          },
        },
        confirm: {
          prompt: (ctx) => {
            expectTypeOf(ctx.slots.pizzaType).toEqualTypeOf<Pizza>();
            return `${ctx.slots.pizzaType}を${ctx.slots.pizzaAmount}枚でよろしいですか?`;
          },
        },
        answers: { AmountOnly: { count: 'pizzaAmount' } },
        help: (ctx) => {
          expectTypeOf(ctx.slots.pizzaAmount).toEqualTypeOf<number | undefined>();
          return 'ピザの種類と枚数を言ってください。';
        },
        cancel: (ctx) => ctx.say(`${ctx.slots.pizzaType ?? 'ご注文'}を取り消しました。`),
        denied: 'cancel',
      },
      (ctx) => {
        expectTypeOf(ctx.slots.pizzaType).toEqualTypeOf<Pizza>();
        expectTypeOf(ctx.slots.pizzaAmount).toEqualTypeOf<number>();
        // A slot of the intent the dialog does not ask for: kept when said, maybe undefined.
        expectTypeOf(ctx.slots.note).toEqualTypeOf<string | undefined>();
        // @ts-expect-error: not a slot of the intent
        void ctx.slots.pizzaSize;
        ctx.say('承りました。');
      },
    );
    expectTypeOf(order).toEqualTypeOf<
      Dialog<
        { model: typeof model },
        { readonly pizzaType: Pizza; readonly pizzaAmount: number; readonly note: string | undefined }
      >
    >();
    app.intent('AmountOnly', (ctx) => order.start(ctx, { pizzaAmount: ctx.slots.count }));
    app.launch((ctx) => order.start(ctx, { pizzaType: 'ペパロニ' }));
    app.event('AudioPlayer.PlayFinished', (ctx) => (order.isActive(ctx) ? undefined : order.start(ctx)));
    app.sessionEnded((ctx) => order.clear(ctx));
    // @ts-expect-error: not a value of the slot type
    app.intent('BookTable', (ctx) => order.start(ctx, { pizzaType: 'ハワイアン' }));
  });

  it('refuses names the model does not have', () => {
    expect(() =>
      // @ts-expect-error: a misspelled slot
      modelApp().dialog('BookTable', { slots: { peple: { prompt: '何名様ですか?' } } }, () => {}),
    ).toThrow('the model gives BookTable no slot "peple". Did you mean "people"?');
    // @ts-expect-error: not an intent of the model
    modelApp().dialog('BookTabel', { slots: {} }, () => {});
    // @ts-expect-error: a built-in intent cannot be a dialog
    expect(() => modelApp().dialog('Clova.YesIntent', { slots: {} }, () => {})).toThrow(ExtensionError);
    modelApp().dialog(
      'BookTable',
      {
        slots: {
          people: { prompt: '何名様ですか?' },
          // @ts-expect-error: with a model the slot type gives the parser
          budget: { prompt: 'ご予算は?', type: 'number' },
        },
        // @ts-expect-error: AmountOnly has no slot "amount"
        answers: { AmountOnly: { amount: 'people' } },
      },
      (ctx) => {
        expectTypeOf(ctx.slots.people).toEqualTypeOf<number>();
        expectTypeOf(ctx.slots.budget).toEqualTypeOf<Amount>();
      },
    );
  });

  it('refuses answers into a slot the dialog does not have', () => {
    expect(() =>
      modelApp().dialog(
        'BookTable',
        {
          slots: { people: { prompt: '何名様ですか?' } },
          // @ts-expect-error: "guests" is not a slot of BookTable
          answers: { AmountOnly: { count: 'guests' } },
        },
        () => {},
      ),
    ).toThrow(ExtensionError);
  });

  it('refuses a done handler that returns its answer', () => {
    // @ts-expect-error: handlers build the answer on ctx
    modelApp().dialog('BookTable', { slots: { people: { prompt: '何名様ですか?' } } }, () => 'done');
  });
});

describe('dialog types without a model', () => {
  const app = createExtension<{ session: { visits: number } }>({ extensionId: 'com.example', verify: false });
  const size = (slot: SlotView): 'S' | 'M' | 'L' | undefined =>
    slot.value === 'S' || slot.value === 'M' || slot.value === 'L' ? slot.value : undefined;

  it('types each slot by its type', () => {
    const booking = app.dialog(
      'Reserve',
      {
        slots: {
          people: {
            type: 'number',
            prompt: '何名様ですか?',
            validate: (people) => {
              expectTypeOf(people).toEqualTypeOf<number>();
              return people > 0;
            },
          },
          day: { type: 'date', prompt: (ctx) => `${ctx.slots.people ?? ''}名様ですね。何日ですか?` },
          room: {
            type: size,
            prompt: (ctx): SpeechInput => {
              expectTypeOf(ctx.slots.room).toEqualTypeOf<'S' | 'M' | 'L' | undefined>();
              expectTypeOf(ctx.session.visits).toEqualTypeOf<number | undefined>();
              return 'どの部屋にしますか?';
            },
          },
        },
        answers: { NumberOnly: { number: 'people' } },
      },
      (ctx) => {
        expectTypeOf(ctx.slots.people).toEqualTypeOf<number>();
        expectTypeOf(ctx.slots.day.year).toEqualTypeOf<number>();
        expectTypeOf(ctx.slots.room).toEqualTypeOf<'S' | 'M' | 'L'>();
        // @ts-expect-error: not a slot of the dialog
        void ctx.slots.time;
      },
    );
    app.intent('Again', (ctx) => booking.start(ctx, { people: 2, room: 'M' }));
  });

  it('needs a type and a prompt for each slot', () => {
    // @ts-expect-error: without a model a slot needs its type
    expect(() => app.dialog('Reserve2', { slots: { people: { prompt: '何名様?' } } }, () => {})).toThrow(
      ExtensionError,
    );
    // @ts-expect-error: a prompt is required
    expect(() => app.dialog('Reserve3', { slots: { people: { type: 'number' } } }, () => {})).toThrow(
      ExtensionError,
    );
    expect(() =>
      // @ts-expect-error: an unknown slot kind
      app.dialog('Reserve4', { slots: { people: { type: 'numbr', prompt: '何名様?' } } }, () => {}),
    ).toThrow(ExtensionError);
    expect(() =>
      app.dialog(
        'Reserve5',
        {
          slots: { people: { type: 'number', prompt: '何名様?' } },
          // @ts-expect-error: the answer fills a slot the dialog does not have
          answers: { NumberOnly: { number: 'guests' } },
        },
        () => {},
      ),
    ).toThrow(ExtensionError);
  });
});
