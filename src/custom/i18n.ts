import type { SpeechLanguage } from './protocol/index.js';

/** Message texts: plain strings, or functions for texts with values in them. */
export type Messages = Record<string, string | ((...args: never[]) => string)>;

/** Picks the messages for a language; falls back to the first language listed. */
export type Catalog<M extends Messages> = ((lang: SpeechLanguage) => M) & {
  readonly languages: readonly SpeechLanguage[];
};

/**
 * A ja/ko/en message catalog. Every language must define every message (TypeScript checks it), so
 * there is no missing-key failure at run time. Use it with the request's language:
 * `messages(ctx.lang).rolled(4)`. No global state: the language always comes from the caller.
 */
export function defineMessages<M extends Messages>(catalog: { [L in SpeechLanguage]?: M }): Catalog<M> {
  const languages = (Object.keys(catalog) as SpeechLanguage[]).filter((lang) => catalog[lang] !== undefined);
  const first = languages[0];
  if (first === undefined) throw new TypeError('defineMessages() needs at least one language.');
  const pick = (lang: SpeechLanguage) => catalog[lang] ?? catalog[first]!;
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
