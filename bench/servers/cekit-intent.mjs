// A Custom extension built with createExtension(), answering a realistic IntentRequest: signature,
// request validation, routing by intent name, three declared slots parsed (string, number with a
// unit, DATETIME), session attributes, and a response built with ask() (speech + reprompt).
// The body is signed by the runner with a key generated for the run.
import { createExtension, silentLogger } from 'cekit';
import { serve } from 'cekit/node';

const EXTENSION_ID = 'com.example.extension.pizzabot';
const USER = { userId: 'U399a1e08a8d474521fc4bbd8c7b4148f', accessToken: 'XHapQasdfsdfFsdfasdflQQ7' };

export const row = {
  name: 'cekit-intent',
  description: 'createExtension: IntentRequest with 3 slots -> routing, slot parsing, ask() builder',
  order: 15,
  // Issue target: 0.90x the bare baseline (also in the main table); here, the same request by hand.
  compareTo: 'baseline-intent',
  target: 0.9,
  payload: {
    body: {
      version: '1.0',
      session: {
        new: false,
        sessionAttributes: { step: 'amount' },
        sessionId: 'a29cfead-c5ba-474d-8745-6c1a6625f0c5',
        user: USER,
      },
      context: {
        System: {
          application: { applicationId: EXTENSION_ID },
          device: {
            deviceId: '096e6b27-1717-33e9-b0a7-510a48658a9b',
            display: {
              size: 'l100',
              orientation: 'landscape',
              dpi: 96,
              contentLayer: { width: 640, height: 360 },
            },
          },
          user: USER,
        },
      },
      request: {
        type: 'IntentRequest',
        requestId: 'e5464288-50ff-4e99-928d-4a301e083d41',
        timestamp: '2018-09-08T00:00:00Z',
        locale: 'ja-JP',
        intent: {
          name: 'OrderPizza',
          slots: {
            pizzaType: { name: 'pizzaType', value: 'ペパロニ' },
            pizzaAmount: { name: 'pizzaAmount', value: '2', unit: '枚' },
            deliveryTime: { name: 'deliveryTime', value: '2018-08-10T19:00:00+09:00', valueType: 'DATETIME' },
          },
        },
      },
    },
  },
};

export async function start({ port, publicKeyPem }) {
  const app = createExtension({
    extensionId: EXTENSION_ID,
    verify: { keys: [publicKeyPem], bundledKey: false, keyUrl: false },
    requestLog: false,
    logger: silentLogger,
  });
  app.intent('Clova.GuideIntent', (ctx) => ctx.ask('ピザの種類と枚数を言ってください。'));
  app.intent(
    'OrderPizza',
    { slots: { pizzaType: 'string', pizzaAmount: 'number', deliveryTime: 'datetime' } },
    (ctx) => {
      const { pizzaType, pizzaAmount, deliveryTime } = ctx.slots;
      ctx.session.pizza = pizzaType;
      ctx.session.amount = pizzaAmount;
      const hour = deliveryTime?.type === 'DATETIME' ? deliveryTime.text.slice(11, 13) : '';
      return ctx.ask(
        `${pizzaType}を${pizzaAmount}枚、${hour}時にお届けします。よろしいですか?`,
        'よろしいですか?',
      );
    },
  );
  return serve(app, { port, host: '127.0.0.1', handleSignals: false });
}
