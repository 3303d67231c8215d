import { s, type Infer } from '../../schema/index.js';

/**
 * Speech objects of the response (spec custom-extension.md §4.3-4.4). `lang` is `ja`/`ko`/`en` for
 * text and must be the empty string for an audio URL; the two members make that a type rule too.
 */
const plainText = s.object({
  type: s.literal('PlainText'),
  lang: s.enumOf(['ja', 'ko', 'en'], 'Language of the text to synthesise.'),
  value: s.string({ description: 'The text to speak.' }),
  /** KR only: makes the client report SpeechSynthesizer.SpeechStarted/Finished/Stopped for this item. */
  token: s.optional(s.string({ description: 'KR only: UUID v4 echoed in SpeechSynthesizer events.' })),
});

const audioUrl = s.object({
  type: s.literal('URL'),
  lang: s.literal('', 'Always "" for an audio URL.'),
  value: s.string({ description: 'HTTPS URL of an MP3 file (or an HLS playlist, KR).' }),
  token: s.optional(s.string({ description: 'KR only: UUID v4 echoed in SpeechSynthesizer events.' })),
  contentType: s.optional(
    s.string({ description: 'KR only: "application/vnd.apple.mpegurl" when value is an HLS playlist.' }),
  ),
});

export const speechInfoSchema = s.discriminated('type', { PlainText: plainText, URL: audioUrl });
export type SpeechInfo = Infer<typeof speechInfoSchema>;
export type SpeechLanguage = 'ja' | 'ko' | 'en';

const simpleSpeech = s.object({ type: s.literal('SimpleSpeech'), values: speechInfoSchema });
const speechList = s.object({ type: s.literal('SpeechList'), values: s.array(speechInfoSchema) });
const speechSet = s.object({
  type: s.literal('SpeechSet'),
  brief: speechInfoSchema,
  verbose: s.discriminated('type', { SimpleSpeech: simpleSpeech, SpeechList: speechList }),
});

const speech = s.refine(
  s.discriminated('type', { SimpleSpeech: simpleSpeech, SpeechList: speechList, SpeechSet: speechSet }),
  (value) =>
    value.type === 'SpeechSet' && 'values' in value
      ? { path: ['values'], message: 'is not allowed in a SpeechSet (use brief and verbose)' }
      : undefined,
  // §4.3: "SpeechSet must have both brief and verbose and no values".
  { not: { properties: { type: { const: 'SpeechSet' } }, required: ['type', 'values'] } },
);

/** The empty `{}` the spec allows when a response only carries directives (§4.2). */
const noSpeech = s.object({}, { strict: true, description: 'No speech.' });

export const outputSpeechSchema = s.union([speech, noSpeech]);
export type Speech = Infer<typeof speech>;
export type OutputSpeech = Infer<typeof outputSpeechSchema>;
