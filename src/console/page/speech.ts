import type { SpeechPart } from './reply.js';

/** CEK's two-letter `lang` to a voice's locale. */
const VOICES: Record<string, string> = { ja: 'ja-JP', ko: 'ko-KR', en: 'en-US' };

/** Some browsers (and headless ones) have no speech synthesis at all. */
export const canSpeak = () =>
  typeof globalThis.speechSynthesis !== 'undefined' && typeof SpeechSynthesisUtterance !== 'undefined';

/** Reads the sentences aloud, each in its own language; audio clips are left to their players. */
export function speak(parts: SpeechPart[], fallbackLocale: string): void {
  if (!canSpeak()) return;
  speechSynthesis.cancel();
  for (const part of parts) {
    if (part.kind !== 'text' || !part.value.trim()) continue;
    const utterance = new SpeechSynthesisUtterance(part.value);
    utterance.lang = VOICES[part.lang] ?? fallbackLocale;
    speechSynthesis.speak(utterance);
  }
}
