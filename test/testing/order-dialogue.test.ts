import { beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { DIALOG_STATE_KEY, memoryStore, silentLogger } from 'cekit';
import {
  buildIntentRequest,
  createConversation,
  generateTestKeyPair,
  loadInteractionModel,
  type InteractionModel,
} from 'cekit/testing';
import { createOrderExtension, type OrderUser } from '../../examples/order/extension.js';

// Multi-turn dialogues typed as sentences: the console-format model (TSV) resolves them, the harness
// carries the extension's session attributes from turn to turn, like CEK. The extension's order is
// an app.dialog() (examples/order).
const keys = generateTestKeyPair();
const PROMPT_TYPE = 'マルゲリータ、ペパロニ、シーフードがあります。どれにしますか?';
let model: InteractionModel;

beforeAll(async () => {
  model = await loadInteractionModel(fileURLToPath(new URL('../../examples/models/order', import.meta.url)));
});

function talk(storage = memoryStore<Partial<OrderUser>>()) {
  const app = createOrderExtension({
    verify: keys.verifyOptions,
    logger: silentLogger,
    requestLog: false,
    storage,
  });
  return createConversation({ target: app, keys, extensionId: 'com.example.pizza', model });
}

describe('the pizza order, spoken', () => {
  it('fills the slots across turns, confirms, and remembers "the usual"', async () => {
    const cek = talk();
    const launch = await cek.launch();
    expect(launch.speech).toBe(`ピザのご注文ですね。 ${PROMPT_TYPE}`);
    expect(launch.reprompt).toBe('ピザの種類を教えてください。');
    // Not in the dictionary: CEK would send the help intent; the near miss says why.
    const unknown = await cek.say('ペペロニピザにします');
    expect(unknown.resolution.intent).toBe('Clova.GuideIntent');
    expect(unknown.resolution.nearMisses[0]?.reason).toBe(
      'slot pizzaType: "ペペロニピザ" is not a PIZZA_TYPE value',
    );
    // The dialog's help, then its question again: the order goes on.
    expect(unknown.speech).toBe(
      `「ペパロニを2枚」のように、ピザの種類と枚数を言ってください。 ${PROMPT_TYPE}`,
    );
    const pizza = await cek.say('ペパロニピザにします'); // a synonym: delivered as ペパロニ
    expect(pizza.resolution.slots.pizzaType?.value).toBe('ペパロニ');
    expect(pizza.speech).toBe('ペパロニですね。何枚にしますか?');
    expect(pizza.reprompt).toBe('枚数を教えてください。');
    expect(pizza.sessionAttributes).toEqual({
      [DIALOG_STATE_KEY]: {
        v: 1,
        intent: 'OrderPizza',
        slots: { pizzaType: { value: 'ペパロニ' } },
        asked: { slot: 'pizzaAmount' },
      },
    });
    const amount = await cek.say('3枚ください');
    expect(amount.resolution.slots.pizzaAmount).toEqual({ name: 'pizzaAmount', value: '3', unit: '枚' });
    expect(amount.speech).toBe('ペパロニを3枚でよろしいですか?');
    const done = await cek.say('はい');
    expect(done.resolution.intent).toBe('Clova.YesIntent');
    expect(done.speech).toBe('ペパロニを3枚、ご注文を承りました。ありがとうございました。');
    expect(done.shouldEndSession).toBe(true);
    expect(done.sessionAttributes).toEqual({});

    // A new session: the user's last order was stored by the extension, and is confirmed again.
    await cek.launch();
    const usual = await cek.say('いつものをお願い');
    expect(usual.resolution.intent).toBe('RepeatLastOrder');
    expect(usual.speech).toBe('ペパロニを3枚でよろしいですか?');
    expect((await cek.say('はい')).speech).toContain('承りました');
  });

  it('takes an answer out of order, then asks what is still missing', async () => {
    const cek = talk();
    await cek.launch(); // asks for the pizza
    const amount = await cek.say('2枚でお願いします');
    expect(amount.speech).toBe(PROMPT_TYPE);
    const pizza = await cek.say('シーフードをください');
    expect(pizza.speech).toBe('シーフードを2枚でよろしいですか?');
  });

  it('takes both slots in one sentence, and a correction re-confirms', async () => {
    const cek = talk();
    expect((await cek.say('ペパロニを2枚ください')).speech).toBe('ペパロニを2枚でよろしいですか?');
    const corrected = await cek.say('マルゲリータにします');
    expect(corrected.speech).toBe('マルゲリータを2枚でよろしいですか?');
    const again = await cek.say('4枚でお願いします');
    expect(again.speech).toBe('マルゲリータを4枚でよろしいですか?');
    expect((await cek.say('はい')).speech).toBe(
      'マルゲリータを4枚、ご注文を承りました。ありがとうございました。',
    );
  });

  it('refuses an amount out of range and asks for it again, without keeping it', async () => {
    const cek = talk();
    await cek.say('ペパロニにします');
    const refused = await cek.say('20枚ください');
    expect(refused.speech).toBe('1枚から10枚までです。何枚にしますか?');
    expect(refused.reprompt).toBe('枚数を教えてください。');
    expect(refused.shouldEndSession).toBe(false);
    expect(refused.sessionAttributes[DIALOG_STATE_KEY]).toMatchObject({
      slots: { pizzaType: { value: 'ペパロニ' } },
      asked: { slot: 'pizzaAmount' },
    });
    expect((await cek.say('2枚')).speech).toBe('ペパロニを2枚でよろしいですか?');
  });

  it('"no" to the confirmation starts over; a not-understood answer gets the reprompt', async () => {
    const cek = talk();
    await cek.say('ペパロニを2枚');
    const no = await cek.say('いいえ');
    expect(no.resolution.intent).toBe('Clova.NoIntent');
    expect(no.speech).toBe(PROMPT_TYPE);
    const yes = await cek.say('はい'); // a yes to "which pizza?": not an answer
    expect(yes.speech).toBe('ピザの種類を教えてください。');
    expect((await cek.say('次')).speech).toBe('ピザの種類を教えてください。'); // no handler for Clova.NextIntent
  });

  it('cancels mid-dialog: the order is dropped and the session ends', async () => {
    const cek = talk();
    await cek.launch();
    await cek.say('ペパロニ');
    const cancel = await cek.say('キャンセル');
    expect(cancel.resolution.intent).toBe('Clova.CancelIntent');
    expect(cancel.speech).toBe('ご注文を取り消しました。');
    expect(cancel.shouldEndSession).toBe(true);
    expect(cancel.sessionAttributes).toEqual({});
    // "no" while a slot is asked cancels too.
    await cek.say('マルゲリータ');
    expect((await cek.say('いいえ')).speech).toBe('ご注文を取り消しました。');
  });

  it('forgets the dialog when the session expires; the next session starts clean', async () => {
    const cek = talk();
    await cek.launch();
    await cek.say('ペパロニ');
    const ended = await cek.end(); // the user was silent: CEK ends the session
    expect(ended.status).toBe(200);
    expect(ended.sessionAttributes).toEqual({});
    expect(cek.sessionOpen).toBe(false);
    const next = await cek.say('3枚ください'); // a one-shot request in a new session
    expect(next.request.session?.new).toBe(true);
    expect(next.speech).toBe(PROMPT_TYPE); // the pizza of the old session is not known
    // "やめて" ends the session from CEK's side, mid-dialog too.
    const exit = await cek.say('やめて');
    expect(exit.resolution.type).toBe('SessionEndedRequest');
    expect(exit.status).toBe(200);
  });

  it('discards forged or malformed dialog state: a 200 answer, never a crash', async () => {
    const cek = talk();
    const forgeries: unknown[] = [
      'not an object',
      null,
      [1, 2],
      { v: 2, intent: 'OrderPizza', slots: {} },
      { v: 1, intent: 'NoSuchDialog', slots: { pizzaType: { value: 'ペパロニ' } } },
      { v: 1, intent: 'constructor', slots: {} },
      { v: 1, intent: '__proto__', slots: {} },
      { v: 1, intent: 'OrderPizza', slots: 'ペパロニ' },
      { v: 1, intent: 'OrderPizza', slots: { pizzaType: 'ペパロニ' } },
      { v: 1, intent: 'OrderPizza', slots: { pizzaType: { value: ['ペパロニ'] } } },
      { v: 1, intent: 'OrderPizza', slots: { pizzaType: { value: 'ハワイアン' } } },
      { v: 1, intent: 'OrderPizza', slots: { pizzaType: { value: 'ペパロニ', unit: 7 } } },
      { v: 1, intent: 'OrderPizza', slots: { toString: { value: 'x' } }, asked: { slot: 'toString' } },
      { v: 1, intent: 'OrderPizza', slots: {}, asked: { confirm: 'yes' } },
    ];
    for (const state of forgeries) {
      const reply = await cek.send(
        buildIntentRequest(
          'OrderPizza',
          { pizzaAmount: { value: '2', unit: '枚' } },
          {
            extensionId: 'com.example.pizza',
            session: { new: false, attributes: { [DIALOG_STATE_KEY]: state, note: 'mine' } },
          },
        ),
      );
      expect(reply.status, JSON.stringify(state)).toBe(200);
      // The amount was taken; nothing of the forged state was: the pizza is asked for.
      expect(reply.speech, JSON.stringify(state)).toBe(PROMPT_TYPE);
      expect(reply.sessionAttributes).toEqual({
        note: 'mine',
        [DIALOG_STATE_KEY]: {
          v: 1,
          intent: 'OrderPizza',
          slots: { pizzaAmount: { value: '2', unit: '枚' } },
          asked: { slot: 'pizzaType' },
        },
      });
    }
    // A `__proto__` key anywhere in a request is refused by the endpoint before any handler runs.
    const refused = await createConversation({
      target: createOrderExtension({ verify: keys.verifyOptions, logger: silentLogger, requestLog: false }),
      keys,
      strict: false,
    }).send(
      buildIntentRequest(
        'OrderPizza',
        {},
        {
          extensionId: 'com.example.pizza',
          session: {
            new: false,
            attributes: {
              [DIALOG_STATE_KEY]: {
                v: 1,
                intent: 'OrderPizza',
                slots: JSON.parse('{"__proto__": {"value": "x"}}'),
              },
            },
          },
        },
      ),
    );
    expect(refused.status).toBe(400);
    expect(Object.prototype).not.toHaveProperty('value');
  });

  it('parses and validates a well-formed state again: it grants nothing the user could not say', async () => {
    const cek = talk();
    const send = (state: unknown, name = 'Clova.YesIntent') =>
      cek.send(
        buildIntentRequest(
          name,
          {},
          {
            extensionId: 'com.example.pizza',
            session: { new: false, attributes: { [DIALOG_STATE_KEY]: state } },
          },
        ),
      );
    // An amount past the validator, and a confirmation claimed: the amount is asked for instead.
    const tooMany = await send({
      v: 1,
      intent: 'OrderPizza',
      slots: { pizzaType: { value: 'ペパロニ' }, pizzaAmount: { value: '500' } },
      asked: { confirm: true },
    });
    expect(tooMany.speech).toBe('枚数を教えてください。');
    // A good state is honoured like the turns that made it.
    const good = await send({
      v: 1,
      intent: 'OrderPizza',
      slots: { pizzaType: { value: 'ペパロニ' }, pizzaAmount: { value: '2', unit: '枚' } },
      asked: { confirm: true },
    });
    expect(good.speech).toBe('ペパロニを2枚、ご注文を承りました。ありがとうございました。');
    // In a new session any state is ignored, and not sent back.
    const fresh = await cek.send(
      buildIntentRequest(
        'Clova.YesIntent',
        {},
        {
          extensionId: 'com.example.pizza',
          session: {
            new: true,
            attributes: {
              [DIALOG_STATE_KEY]: { v: 1, intent: 'OrderPizza', slots: {}, asked: { confirm: true } },
            },
          },
        },
      ),
    );
    expect(fresh.speech).toBe('すみません、よくわかりませんでした。');
    expect(fresh.sessionAttributes).toEqual({});
  });
});
