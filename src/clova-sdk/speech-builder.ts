import type { Clova } from './types.js';

let defaultLang: Clova.SpeechLang = 'ja';

/** Builds the speech pieces the context's `setSimpleSpeech()`/`setSpeechList()` take. */
export class SpeechBuilder {
  /** The language `createSpeechText()` uses when none is given. Process-wide, as in the SDK; `'ja'` at start. */
  static get DEFAULT_LANG(): Clova.SpeechLang {
    return defaultLang;
  }

  static set DEFAULT_LANG(lang: Clova.SpeechLang) {
    defaultLang = lang;
  }

  /** Text spoken by Clova's voice, in `lang` (default {@link SpeechBuilder.DEFAULT_LANG}). */
  static createSpeechText(value: string, lang?: Clova.SpeechLang): Clova.SpeechInfoText {
    return { lang: lang || defaultLang, type: 'PlainText', value };
  }

  /** A recorded sound played from `url` (CEK requires https for it; the language is always empty). */
  static createSpeechUrl(value: string): Clova.SpeechInfoUrl {
    return { lang: '', type: 'URL', value };
  }
}
