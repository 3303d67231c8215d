import { describe, expect, expectTypeOf, it } from 'vitest';
import { createExtension, defineModel, ExtensionError, silentLogger, type Amount } from 'cekit';
import { createConversation, generateTestKeyPair } from 'cekit/testing';

const model = defineModel({
  intents: {
    OrderPizza: { pizzaType: 'PIZZA_TYPE', pizzaAmount: 'CLOVA.NUMBER' },
    PayIntent: { price: 'CLOVA.MONEY', city: 'CLOVA.JP_ADDRESS_SHI' },
    RepeatLastOrder: {},
  },
  slotTypes: { PIZZA_TYPE: ['マルゲリータ', 'ペパロニ'] },
});

describe('an extension typed by its interaction model', () => {
  it('accepts only the model intents and the built-in ones, and types their slots by slot type', () => {
    const app = createExtension({
      extensionId: 'com.example.pizza',
      verify: false,
      logger: silentLogger,
      model,
    });
    app.intent('OrderPizza', (ctx) => {
      expectTypeOf(ctx.slots.pizzaType).toEqualTypeOf<'マルゲリータ' | 'ペパロニ' | undefined>();
      expectTypeOf(ctx.slots.pizzaAmount).toEqualTypeOf<number | undefined>();
      expectTypeOf(ctx.intent.name).toEqualTypeOf<'OrderPizza'>();
      // @ts-expect-error: a misspelled slot
      void ctx.slots.pizzaTyp;
    });
    app.intent('PayIntent', (ctx) => {
      expectTypeOf(ctx.slots.price).toEqualTypeOf<Amount | undefined>();
      expectTypeOf(ctx.slots.city).toEqualTypeOf<string | undefined>();
    });
    app.intent('Clova.GuideIntent', (ctx) => {
      expectTypeOf(ctx.slots).toEqualTypeOf<Readonly<Record<never, never>>>();
    });
    app.intent(['RepeatLastOrder', 'Clova.YesIntent'], () => {});
    // @ts-expect-error: not an intent of the model
    app.intent('OrderPiza', () => {});
    // @ts-expect-error: not a built-in intent
    app.intent('Clova.GuidIntent', () => {});
    // A declaration replaces the model's parser of that slot.
    app.intent('Clova.NoIntent', () => {});
  });

  it('takes the model in the types beside the session', () => {
    const app = createExtension<{ session: { step: number }; model: typeof model }>({
      extensionId: 'com.example.pizza',
      verify: false,
      model,
    });
    app.intent('OrderPizza', { slots: { pizzaType: 'string' } }, (ctx) => {
      expectTypeOf(ctx.slots.pizzaType).toEqualTypeOf<string | undefined>();
      expectTypeOf(ctx.slots.pizzaAmount).toEqualTypeOf<number | undefined>();
      expectTypeOf(ctx.session.step).toEqualTypeOf<number | undefined>();
    });
    // @ts-expect-error: a typed model must be given, or the typed slots would never be parsed
    createExtension<{ model: typeof model }>({ extensionId: 'x', verify: false });
  });

  it('parses slots by the model at run time', async () => {
    const keys = generateTestKeyPair();
    const app = createExtension({
      extensionId: 'com.example.pizza',
      verify: keys.verifyOptions,
      logger: silentLogger,
      model,
    });
    app.intent('OrderPizza', (ctx) => ctx.say(JSON.stringify(ctx.slots)));
    const cek = createConversation({ target: app, keys, extensionId: 'com.example.pizza' });
    const reply = await cek.intent('OrderPizza', {
      pizzaType: 'ペパロニ',
      pizzaAmount: { value: '2', unit: '枚' },
    });
    expect(JSON.parse(reply.speech ?? '')).toEqual({ pizzaType: 'ペパロニ', pizzaAmount: 2 });
    const unknown = await cek.intent('OrderPizza', { pizzaType: 'ハワイアン' });
    expect(JSON.parse(unknown.speech ?? '')).toEqual({});
  });

  it('refuses a model whose slot type does not exist', () => {
    expect(() => defineModel({ intents: { A: { n: 'CLOVA.NUMBR' } } })).toThrow(ExtensionError);
    expect(() => defineModel({ intents: { A: { n: 'CLOVA.NUMBR' } } })).toThrow(
      /Did you mean "CLOVA.NUMBER"/,
    );
  });
});
