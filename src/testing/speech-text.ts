import type { OutputSpeech, SpeechInfo } from '../custom/protocol/index.js';

/**
 * Reads speech objects (spec custom-extension.md §4.3-4.4) as a person would hear them: text items as
 * text, audio URLs as `[audio URL]`, items joined by a space. Replies are read whatever the schema says
 * about them, so malformed speech yields what is readable and never throws.
 */
export function speechItems(
  speech: OutputSpeech | undefined,
  form: 'verbose' | 'brief' = 'verbose',
): SpeechInfo[] {
  const items = rawItems(speech, form);
  return (Array.isArray(items) ? items : []).filter(
    (item): item is SpeechInfo =>
      typeof item === 'object' && item !== null && typeof (item as SpeechInfo).value === 'string',
  );
}

function rawItems(speech: OutputSpeech | undefined, form: 'verbose' | 'brief'): unknown {
  if (typeof speech !== 'object' || speech === null || !('type' in speech)) return [];
  switch (speech.type) {
    case 'SimpleSpeech':
      return [speech.values];
    case 'SpeechList':
      return speech.values;
    case 'SpeechSet':
      // A speaker without a screen plays `verbose`; a device with a screen shows/plays `brief` (§4.3).
      if (form === 'brief') return [speech.brief];
      return speech.verbose?.type === 'SimpleSpeech' ? [speech.verbose.values] : speech.verbose?.values;
    default:
      return [];
  }
}

export const speechItemText = (item: SpeechInfo) =>
  item.type === 'URL' ? `[audio ${item.value}]` : item.value;

/** The spoken text of any speech form; `''` for the empty `{}` speech. */
export function spokenText(speech: OutputSpeech | undefined, form: 'verbose' | 'brief' = 'verbose'): string {
  return speechItems(speech, form).map(speechItemText).join(' ');
}
