// The `cekit-intent` work written by hand on bare node:http: the same IntentRequest, verified and
// parsed, its three slots read, the same spoken answer built and serialised. No request validation,
// no routing table, no error handling: the floor for that request, which cekit-intent is compared to.
import { startBare } from '../lib/bare.mjs';
import { row as intent } from './cekit-intent.mjs';

export const row = {
  name: 'baseline-intent',
  description: 'bare node:http doing cekit-intent by hand (verify, parse, 3 slots, answer, stringify)',
  order: 14,
  payload: intent.payload,
};

export function start({ port, publicKeyPem }) {
  return startBare({
    port,
    publicKeyPem,
    answer(message) {
      const slots = message.request.intent.slots;
      const pizzaType = slots.pizzaType.value;
      const pizzaAmount = Number(slots.pizzaAmount.value);
      const hour = slots.deliveryTime.value.slice(11, 13);
      const speech = (value) => ({ type: 'SimpleSpeech', values: { type: 'PlainText', lang: 'ja', value } });
      return JSON.stringify({
        version: message.version,
        sessionAttributes: { ...message.session.sessionAttributes, pizza: pizzaType, amount: pizzaAmount },
        response: {
          outputSpeech: speech(`${pizzaType}を${pizzaAmount}枚、${hour}時にお届けします。よろしいですか?`),
          reprompt: { outputSpeech: speech('よろしいですか?') },
          card: {},
          directives: [],
          shouldEndSession: false,
        },
      });
    },
  });
}
