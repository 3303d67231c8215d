import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { silentLogger } from 'cekit';
import { createConversation, generateTestKeyPair, loadInteractionModel } from 'cekit/testing';
import { createOrderExtension } from '../../examples/order/extension.js';

// A multi-turn dialogue typed as sentences: the console-format model (TSV) resolves them, the harness
// carries the extension's session attributes from turn to turn, like CEK.
describe('the pizza order, spoken', () => {
  it('fills the slots across turns, confirms, and remembers "the usual"', async () => {
    const keys = generateTestKeyPair();
    const app = createOrderExtension({ verify: keys.verifyOptions, logger: silentLogger, requestLog: false });
    const model = await loadInteractionModel(
      fileURLToPath(new URL('../../examples/models/order', import.meta.url)),
    );
    const cek = createConversation({ target: app, keys, extensionId: 'com.example.pizza', model });

    expect((await cek.launch()).speech).toContain('どれにしますか');
    // Not in the dictionary: CEK would send the help intent; the near miss says why.
    const unknown = await cek.say('ペペロニピザにします');
    expect(unknown.resolution.intent).toBe('Clova.GuideIntent');
    expect(unknown.resolution.nearMisses[0]?.reason).toBe(
      'slot pizzaType: "ペペロニピザ" is not a PIZZA_TYPE value',
    );
    const pizza = await cek.say('ペパロニピザにします'); // a synonym: delivered as ペパロニ
    expect(pizza.resolution.slots.pizzaType?.value).toBe('ペパロニ');
    expect(pizza.sessionAttributes).toMatchObject({ pizza: 'ペパロニ', waitingFor: 'amount' });
    const amount = await cek.say('3枚ください');
    expect(amount.resolution.slots.pizzaAmount).toEqual({ name: 'pizzaAmount', value: '3', unit: '枚' });
    expect(amount.request.session?.sessionAttributes).toMatchObject({ pizza: 'ペパロニ' });
    const done = await cek.say('はい');
    expect(done.resolution.intent).toBe('Clova.YesIntent');
    expect(done.speech).toBe('ペパロニを3枚、ご注文を承りました。ありがとうございました。');
    expect(done.shouldEndSession).toBe(true);

    // A new session: the user's last order was stored by the extension.
    await cek.launch();
    const usual = await cek.say('いつものをお願い');
    expect(usual.resolution.intent).toBe('RepeatLastOrder');
    expect(usual.speech).toContain('ペパロニ');
  });
});
