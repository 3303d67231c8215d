/**
 * A multi-turn pizza order: `app.dialog()` asks for the pizza and the amount (answered in any order,
 * corrected at any time), confirms, and remembers the last order per user ("the usual").
 */
import { createExtension, memoryStore, type ExtensionOptions, type Logger, type UserStore } from 'cekit';
import { model } from './model.js';

export const MENU = model.slotTypes.PIZZA_TYPE;
export type Pizza = (typeof MENU)[number];

/** What is kept per user across sessions. */
export interface OrderUser {
  lastOrder: { pizza: Pizza; amount: number };
  orders: number;
}

export interface OrderOptions {
  verify?: ExtensionOptions['verify'];
  extensionId?: string;
  /** Where users' last orders are kept. Default: in memory. */
  storage?: UserStore;
  logger?: Logger;
  requestLog?: ExtensionOptions['requestLog'];
}

export function createOrderExtension(options: OrderOptions = {}) {
  const app = createExtension<{ user: OrderUser; model: typeof model }>({
    extensionId: options.extensionId ?? 'com.example.pizza',
    model,
    storage: options.storage ?? memoryStore(),
    ...(options.verify !== undefined ? { verify: options.verify } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.requestLog !== undefined ? { requestLog: options.requestLog } : {}),
  });

  // "ペパロニを2枚" fills both slots at once; "ペパロニ" or "2枚" fill one and the other is asked for.
  const order = app.dialog(
    'OrderPizza',
    {
      slots: {
        pizzaType: {
          prompt: `${MENU.join('、')}があります。どれにしますか?`,
          reprompt: 'ピザの種類を教えてください。',
        },
        pizzaAmount: {
          prompt: (ctx) => `${ctx.slots.pizzaType ?? 'ピザ'}ですね。何枚にしますか?`,
          reprompt: '枚数を教えてください。',
          validate: (amount) =>
            (Number.isInteger(amount) && amount >= 1 && amount <= 10) ||
            '1枚から10枚までです。何枚にしますか?',
        },
      },
      confirm: {
        prompt: (ctx) => `${ctx.slots.pizzaType}を${ctx.slots.pizzaAmount}枚でよろしいですか?`,
        reprompt: 'ご注文はこれでよろしいですか? はいかいいえで答えてください。',
      },
      help: '「ペパロニを2枚」のように、ピザの種類と枚数を言ってください。',
      cancel: (ctx) => ctx.say('ご注文を取り消しました。'),
    },
    async (ctx) => {
      const { pizzaType: pizza, pizzaAmount: amount } = ctx.slots;
      const user = await ctx.user.load();
      user.lastOrder = { pizza, amount };
      user.orders = (user.orders ?? 0) + 1;
      return ctx.say(`${pizza}を${amount}枚、ご注文を承りました。ありがとうございました。`);
    },
  );

  app.launch((ctx) => {
    ctx.say('ピザのご注文ですね。');
    return order.start(ctx);
  });

  // "The usual": the last order, prefilled, still confirmed before it is placed.
  app.intent('RepeatLastOrder', async (ctx) => {
    const { lastOrder } = await ctx.user.load();
    if (!lastOrder) ctx.say('まだご注文の記録がありません。');
    return order.start(ctx, lastOrder && { pizzaType: lastOrder.pizza, pizzaAmount: lastOrder.amount });
  });

  app.intent(['Clova.CancelIntent', 'Clova.StopIntent'], (ctx) => ctx.say('ご注文を取り消しました。'));

  return app;
}
