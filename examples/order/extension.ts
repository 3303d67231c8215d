/**
 * A multi-turn pizza order: slot filling across turns with typed session attributes, reprompts,
 * a yes/no confirmation, and the last order remembered per user ("the usual").
 */
import {
  createExtension,
  memoryStore,
  type Context,
  type ExtensionOptions,
  type Logger,
  type UserStore,
} from 'cekit';

export const MENU = ['マルゲリータ', 'ペパロニ', 'シーフード'] as const;
export type Pizza = (typeof MENU)[number];

/** What the conversation remembers between turns (sent back and forth as sessionAttributes). */
export interface OrderSession {
  pizza: Pizza;
  amount: number;
  /** What we asked last, so a bare number or yes/no is understood. */
  waitingFor: 'pizza' | 'amount' | 'confirmation';
}

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

const isPizza = (value: string): value is Pizza => (MENU as readonly string[]).includes(value);

export function createOrderExtension(options: OrderOptions = {}) {
  const app = createExtension<{ session: OrderSession; user: OrderUser }>({
    extensionId: options.extensionId ?? 'com.example.pizza',
    storage: options.storage ?? memoryStore(),
    ...(options.verify !== undefined ? { verify: options.verify } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.requestLog !== undefined ? { requestLog: options.requestLog } : {}),
  });

  app.launch((ctx) =>
    ctx.ask(`ピザのご注文ですね。${MENU.join('、')}があります。どれにしますか?`, 'どのピザにしますか?'),
  );

  // "ペパロニを2枚" fills both slots at once; "ペパロニ" or "2枚" fill one and we ask for the other.
  app.intent(
    'OrderPizza',
    {
      slots: {
        pizzaType: (slot): Pizza | undefined => (isPizza(slot.value) ? slot.value : undefined),
        pizzaAmount: 'number',
      },
    },
    (ctx) => {
      const { pizzaType, pizzaAmount } = ctx.slots;
      if (pizzaType) ctx.session.pizza = pizzaType;
      if (pizzaAmount !== undefined && pizzaAmount >= 1) ctx.session.amount = Math.trunc(pizzaAmount);
      return next(ctx);
    },
  );

  app.intent('RepeatLastOrder', async (ctx) => {
    const user = await ctx.user.load();
    if (!user.lastOrder)
      return ctx.ask('まだご注文の記録がありません。どのピザにしますか?', 'どのピザにしますか?');
    ctx.session.pizza = user.lastOrder.pizza;
    ctx.session.amount = user.lastOrder.amount;
    return next(ctx);
  });

  app.intent('Clova.YesIntent', async (ctx) => {
    const { pizza, amount, waitingFor } = ctx.session;
    if (waitingFor !== 'confirmation' || !pizza || !amount) return next(ctx);
    const user = await ctx.user.load();
    user.lastOrder = { pizza, amount };
    user.orders = (user.orders ?? 0) + 1;
    return ctx.say(`${pizza}を${amount}枚、ご注文を承りました。ありがとうございました。`);
  });

  app.intent(['Clova.NoIntent', 'Clova.CancelIntent'], (ctx) => ctx.say('ご注文を取り消しました。'));

  app.intent('Clova.GuideIntent', (ctx) =>
    ctx.ask('「ペパロニを2枚」のように、ピザの種類と枚数を言ってください。', 'どのピザにしますか?'),
  );

  return app;
}

/** Asks for whatever is still missing, or for confirmation once the order is complete. */
function next(ctx: Pick<Context<{ session: OrderSession }>, 'session' | 'ask'>) {
  const { pizza, amount } = ctx.session;
  if (!pizza) {
    ctx.session.waitingFor = 'pizza';
    return ctx.ask(`どのピザにしますか? ${MENU.join('、')}があります。`, 'ピザの種類を教えてください。');
  }
  if (!amount) {
    ctx.session.waitingFor = 'amount';
    return ctx.ask(`${pizza}ですね。何枚にしますか?`, '枚数を教えてください。');
  }
  ctx.session.waitingFor = 'confirmation';
  return ctx.ask(
    `${pizza}を${amount}枚でよろしいですか?`,
    'ご注文はこれでよろしいですか? はいかいいえで答えてください。',
  );
}
