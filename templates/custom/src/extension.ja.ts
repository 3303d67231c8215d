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
const REPROMPT = '1から10までの数で、サイコロの数を言ってください。';

/**
 * Builds the extension. `cekit dev` calls it with `verify` trusting its development key, src/server.ts
 * with CEK's real key, the test with a key of its own: the same code answers in all three.
 */
export default function createApp(options: Pick<ExtensionOptions, 'verify' | 'extensionId' | 'logger'> = {}) {
  const app = createExtension({
    ...options,
    extensionId: options.extensionId ?? EXTENSION_ID,
    language: 'ja',
    // The model types the handlers: app.intent() takes only its intents and the built-in ones.
    model,
  });

  // ask() keeps the session open: the user's next words come back to this extension.
  app.launch((ctx) => ctx.ask('サイコロを振ります。何個振りますか?', REPROMPT));

  // The slot is typed by the model: CLOVA.NUMBER there, a number here (undefined when the user gave none).
  app.intent('ThrowDiceIntent', (ctx) => {
    const count = ctx.slots.diceCount ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > MAX_DICE)
      return ctx.ask(`振れるのは1個から${MAX_DICE}個までです。何個振りますか?`, REPROMPT);
    let total = 0;
    for (let i = 0; i < count; i++) total += 1 + Math.floor(Math.random() * 6);
    return ctx.say(`サイコロを${count}個振りました。合計は${total}です。`);
  });

  app.intent('Clova.GuideIntent', (ctx) =>
    ctx.ask('たとえば「サイコロを3個振って」と言ってください。何個振りますか?', REPROMPT),
  );
  app.intent(['Clova.CancelIntent', 'Clova.NoIntent'], (ctx) => ctx.say('またね。'));

  return app;
}
