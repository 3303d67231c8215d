import type { SpeechLanguage } from './protocol/index.js';

/** Message texts: plain strings, or functions for texts with values in them. */
export type Messages = Record<string, string | ((...args: never[]) => string)>;

/** Picks the messages for a language; falls back to the first language listed. */
export type Catalog<M extends Messages> = ((lang: SpeechLanguage) => M) & {
  readonly languages: readonly SpeechLanguage[];
};

/** One message set per language; at least one language. */
export type MessageCatalog = { [L in SpeechLanguage]?: Messages };

type KeysOf<C> = { [L in keyof C]: keyof C[L] }[keyof C];
/**
 * The catalog with every language required to define every message any language defines: a missing
 * key is a compile error at the language that lacks it ("Property 'bye' is missing in type ...").
 */
type EveryKeyInEveryLanguage<C> = {
  [L in keyof C]: { [K in KeysOf<C>]: K extends keyof C[L] ? C[L][K] : Messages[string] };
};

/**
 * A ja/ko/en message catalog. Every language must define every message: TypeScript reports a missing
 * one at compile time, and `defineMessages` throws at start-up for JavaScript callers, so a missing
 * text never becomes `undefined` spoken to a user. Use it with the request's language:
 * `messages(ctx.lang).rolled(4)`. No global state: the language always comes from the caller.
 */
export function defineMessages<C extends MessageCatalog>(
  catalog: C & EveryKeyInEveryLanguage<C>,
): Catalog<NonNullable<C[keyof C]>> {
  const languages = (Object.keys(catalog) as SpeechLanguage[]).filter((lang) => catalog[lang] !== undefined);
  const first = languages[0];
  if (first === undefined) throw new TypeError('defineMessages() needs at least one language.');
  const missing: string[] = [];
  const keys = new Set(languages.flatMap((lang) => Object.keys(catalog[lang]!)));
  for (const lang of languages) {
    for (const key of keys) if (!Object.hasOwn(catalog[lang]!, key)) missing.push(`${lang}.${key}`);
  }
  if (missing.length > 0) {
    throw new TypeError(
      `defineMessages(): every language must define every message; missing ${missing.join(', ')}.`,
    );
  }
  const pick = (lang: SpeechLanguage) => (catalog[lang] ?? catalog[first]) as NonNullable<C[keyof C]>;
  return Object.assign(pick, { languages });
}

// Maps, not object literals: a locale such as "constructor" must not find Object.prototype members.
const LOCALE_LANGUAGE = new Map<string, SpeechLanguage>([
  ['ja', 'ja'],
  ['ko', 'ko'],
  ['en', 'en'],
]);
/** The locales CEK actually sends, looked up without string work on every request. */
const COMMON_LOCALES = new Map<string, SpeechLanguage>([
  ['ja-JP', 'ja'],
  ['ko-KR', 'ko'],
  ['en-US', 'en'],
]);

/** `"ja-JP"` → `"ja"`; undefined for anything CLOVA cannot speak. */
export function languageOfLocale(locale: unknown): SpeechLanguage | undefined {
  if (typeof locale !== 'string') return undefined;
  const known = COMMON_LOCALES.get(locale);
  if (known !== undefined) return known;
  const dash = locale.indexOf('-');
  return LOCALE_LANGUAGE.get((dash === -1 ? locale : locale.slice(0, dash)).toLowerCase());
}
