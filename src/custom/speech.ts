import type { SpeechInfo, SpeechLanguage } from './protocol/index.js';

/** One item of speech: text in the request's language, or a ready SpeechInfoObject (`audio()`, `text()`). */
export type SpeechPart = string | SpeechInfo;
export type SpeechInput = SpeechPart | readonly SpeechPart[];

/** Text in an explicit language, for mixing languages in one response. */
export function text(value: string, lang: SpeechLanguage, options: { token?: string } = {}): SpeechInfo {
  return { type: 'PlainText', lang, value, ...(options.token ? { token: options.token } : {}) };
}

/**
 * An audio file to play inside the speech (MP3 over HTTPS, spec custom-extension.md §4.4). `lang` is
 * always `""` for audio; `contentType` marks an HLS playlist (KR).
 */
export function audio(url: string, options: { token?: string; contentType?: string } = {}): SpeechInfo {
  return {
    type: 'URL',
    lang: '',
    value: url,
    ...(options.token ? { token: options.token } : {}),
    ...(options.contentType ? { contentType: options.contentType } : {}),
  };
}

export function toSpeechInfos(input: SpeechInput, lang: SpeechLanguage): SpeechInfo[] {
  const parts = typeof input === 'string' || !Array.isArray(input) ? [input as SpeechPart] : input;
  return parts.map((part) => (typeof part === 'string' ? { type: 'PlainText', lang, value: part } : part));
}
