import { describe, expect, it } from 'vitest';
import { DIALOG_STATE_KEY, memoryStore, silentLogger } from 'cekit';
import { createOrderExtension, type OrderUser } from '../../../examples/order/extension.js';
import { fixture, intentRequest, keys, send } from '../harness.js';

function order(storage = memoryStore<Partial<OrderUser>>()) {
  return createOrderExtension({
    extensionId: 'com.example.extension.pizzabot',
    verify: { keys: [keys.publicKeyPem], bundledKey: false, keyUrl: false },
    storage,
    logger: silentLogger,
  });
}

/** Plays a conversation turn by turn, carrying sessionAttributes like CEK does. */
async function conversation(app: ReturnType<typeof order>) {
  let attributes: Record<string, unknown> = {};
  return async (name: string, slots: Record<string, { value: string; unit?: string }> = {}) => {
    const { json } = await send(app, intentRequest(name, slots, { sessionAttributes: attributes }));
    attributes = json.sessionAttributes;
    return json;
  };
}

describe('examples/order', () => {
  it('fills the order over several turns, with reprompts, and confirms it', async () => {
    const storage = memoryStore<Partial<OrderUser>>();
    const turn = await conversation(order(storage));

    const first = await turn('OrderPizza', { pizzaType: { value: 'ペパロニ' } });
    expect(first.response.outputSpeech.values.value).toBe('ペパロニですね。何枚にしますか?');
    expect(first.response.reprompt.outputSpeech.values.value).toBe('枚数を教えてください。');
    expect(first.sessionAttributes[DIALOG_STATE_KEY]).toEqual({
      v: 1,
      intent: 'OrderPizza',
      slots: { pizzaType: { value: 'ペパロニ' } },
      asked: { slot: 'pizzaAmount' },
    });

    const second = await turn('OrderPizza', { pizzaAmount: { value: '2', unit: '枚' } });
    expect(second.response.outputSpeech.values.value).toBe('ペパロニを2枚でよろしいですか?');

    const third = await turn('Clova.YesIntent');
    expect(third.response.outputSpeech.values.value).toContain('承りました');
    expect(third.response.shouldEndSession).toBe(true);
    expect(third.sessionAttributes).toEqual({});
    expect(await storage.get('U399a1e08a8d474521fc4bbd8c7b4148f')).toEqual({
      lastOrder: { pizza: 'ペパロニ', amount: 2 },
      orders: 1,
    });
  });

  it('repeats the last order in a later session, confirming it first', async () => {
    const storage = memoryStore<Partial<OrderUser>>();
    await storage.set('U399a1e08a8d474521fc4bbd8c7b4148f', { lastOrder: { pizza: 'シーフード', amount: 1 } });
    const turn = await conversation(order(storage));
    const json = await turn('RepeatLastOrder');
    expect(json.response.outputSpeech.values.value).toBe('シーフードを1枚でよろしいですか?');
  });

  it('asks for the pizza when there is no last order, or it is no longer on the menu', async () => {
    const none = await (await conversation(order()))('RepeatLastOrder');
    expect(none.response.outputSpeech.values.map((value: { value: string }) => value.value)).toEqual([
      'まだご注文の記録がありません。',
      'マルゲリータ、ペパロニ、シーフードがあります。どれにしますか?',
    ]);
    const storage = memoryStore<Partial<OrderUser>>();
    await storage.set('U399a1e08a8d474521fc4bbd8c7b4148f', {
      lastOrder: { pizza: 'ハワイアン' as 'ペパロニ', amount: 2 },
    });
    const gone = await (await conversation(order(storage)))('RepeatLastOrder');
    expect(gone.response.outputSpeech.values.value).toBe(
      'マルゲリータ、ペパロニ、シーフードがあります。どれにしますか?',
    );
    expect(gone.sessionAttributes[DIALOG_STATE_KEY].slots).toEqual({ pizzaAmount: { value: '2' } });
  });

  it('ignores a pizza that is not on the menu and asks for one', async () => {
    const turn = await conversation(order());
    const json = await turn('OrderPizza', { pizzaType: { value: 'パイナップル' } });
    expect(json.response.outputSpeech.values.value).toContain('どれにしますか?');
  });

  it('a yes outside an order is not understood; cancel ends the session', async () => {
    const app = order();
    const yes = await send(app, intentRequest('Clova.YesIntent'));
    expect(yes.json.response.shouldEndSession).toBe(false);
    const cancel = await send(app, fixture('intent-request-builtin-cancel'));
    expect(cancel.json.response.shouldEndSession).toBe(true);
  });
});
