/**
 * A dice roller, the CEK tutorial's first extension: it asks how many dice to roll, rolls them, and
 * answers the built-in help and cancel intents. The interaction model is models/interaction-model.json;
 * src/model.ts is generated from it (`npm run types` after changing the model).
 */
import { createExtension, type ExtensionOptions } from 'cekit';
import { model } from './model.js';

/** The Extension ID registered in the Clova developer console. */
export const EXTENSION_ID = '__EXTENSION_ID__';

const MAX_DICE = 10;
const REPROMPT = '1개부터 10개까지, 던질 주사위 개수를 말해 주세요.';

/**
 * Builds the extension. `cekit dev` calls it with `verify` trusting its development key, src/server.ts
 * with CEK's real key, the test with a key of its own: the same code answers in all three.
 */
export default function createApp(options: Pick<ExtensionOptions, 'verify' | 'extensionId' | 'logger'> = {}) {
  const app = createExtension({
    ...options,
    extensionId: options.extensionId ?? EXTENSION_ID,
    language: 'ko',
    // The model types the handlers: app.intent() takes only its intents and the built-in ones.
    model,
  });

  // ask() keeps the session open: the user's next words come back to this extension.
  app.launch((ctx) => ctx.ask('주사위를 던질게요. 몇 개 던질까요?', REPROMPT));

  // The slot is typed by the model: CLOVA.NUMBER there, a number here (undefined when the user gave none).
  app.intent('ThrowDiceIntent', (ctx) => {
    const count = ctx.slots.diceCount ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > MAX_DICE)
      return ctx.ask(`주사위는 1개부터 ${MAX_DICE}개까지 던질 수 있어요. 몇 개 던질까요?`, REPROMPT);
    let total = 0;
    for (let i = 0; i < count; i++) total += 1 + Math.floor(Math.random() * 6);
    return ctx.say(`주사위 ${count}개를 던졌습니다. 합계는 ${total}입니다.`);
  });

  app.intent('Clova.GuideIntent', (ctx) =>
    ctx.ask('"주사위 세 개 던져줘"처럼 말해 주세요. 몇 개 던질까요?', REPROMPT),
  );
  app.intent(['Clova.CancelIntent', 'Clova.NoIntent'], (ctx) => ctx.say('안녕히 가세요.'));

  return app;
}
