/**
 * The CEK tutorial's dice roller, on cekit: launch, an intent with a number slot, and the built-in
 * help/cancel intents, in Japanese and English.
 */
import {
  audio,
  createExtension,
  defineMessages,
  type ExtensionOptions,
  type Logger,
  type SpeechLanguage,
} from 'cekit';

export interface DiceOptions {
  /** How requests are verified (see `createEndpoint`); e.g. `{ keys: [publicKeyPem] }` for local tests. */
  verify?: ExtensionOptions['verify'];
  /** The Extension ID from the Clova developer console. Default `com.example.dice`. */
  extensionId?: string;
  /** Random source in [0, 1); inject a fixed one in tests. Default `Math.random`. */
  random?: () => number;
  /** HTTPS URL of a short MP3 played before the result, like the tutorial's dice sound. */
  soundUrl?: string;
  language?: SpeechLanguage;
  logger?: Logger;
  requestLog?: ExtensionOptions['requestLog'];
}

export const MAX_DICE = 10;

const messages = defineMessages({
  ja: {
    welcome: 'サイコロを振ります。何個振りますか?',
    reprompt: '1から10までの数で、サイコロの数を言ってください。',
    result: (count: number, total: number) => `サイコロを${count}個振りました。合計は${total}です。`,
    tooMany: `一度に振れるのは${MAX_DICE}個までです。何個振りますか?`,
    help: 'たとえば「3個振って」と言ってください。何個振りますか?',
    bye: 'またね。',
  },
  en: {
    welcome: 'Let me roll some dice. How many?',
    reprompt: 'Say a number of dice from 1 to 10.',
    result: (count: number, total: number) =>
      `I rolled ${count} ${count === 1 ? 'die' : 'dice'}. The total is ${total}.`,
    tooMany: `I can roll up to ${MAX_DICE} dice at once. How many?`,
    help: 'Say, for example, "roll three dice". How many?',
    bye: 'Bye!',
  },
});

/** Builds the dice extension; serve it with `serve(app)` from `cekit/node`. */
export function createDiceExtension(options: DiceOptions = {}) {
  const random = options.random ?? Math.random;
  const app = createExtension({
    extensionId: options.extensionId ?? 'com.example.dice',
    language: options.language ?? 'ja',
    languages: ['ja', 'en'],
    ...(options.verify !== undefined ? { verify: options.verify } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.requestLog !== undefined ? { requestLog: options.requestLog } : {}),
  });

  app.launch((ctx) => ctx.ask(messages(ctx.lang).welcome, messages(ctx.lang).reprompt));

  app.intent('ThrowDiceIntent', { slots: { diceCount: 'number' } }, (ctx) => {
    const text = messages(ctx.lang);
    const count = Math.trunc(ctx.slots.diceCount ?? 1);
    if (count < 1 || count > MAX_DICE) return ctx.ask(text.tooMany, text.reprompt);
    let total = 0;
    for (let i = 0; i < count; i++) total += 1 + Math.floor(random() * 6);
    const result = text.result(count, total);
    return ctx.say(options.soundUrl ? [audio(options.soundUrl), result] : result);
  });

  app.intent('Clova.GuideIntent', (ctx) => ctx.ask(messages(ctx.lang).help, messages(ctx.lang).reprompt));
  app.intent(['Clova.CancelIntent', 'Clova.NoIntent'], (ctx) => ctx.say(messages(ctx.lang).bye));

  return app;
}
