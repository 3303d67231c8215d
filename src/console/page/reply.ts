import { record, text } from './dom.js';

/**
 * Reads the parts of a Custom reply the page shows. The body is whatever the extension sent (the
 * console exists to show broken replies too), so every field is checked, never assumed.
 */

/** One thing Clova says: a sentence, or an audio clip by URL. */
export interface SpeechPart {
  lang: string;
  kind: 'text' | 'url';
  value: string;
}

/** What Clova would say, as shown: `SpeechSet` gives both versions, labelled. */
export interface Speech {
  type: string;
  parts: SpeechPart[];
  brief?: SpeechPart[];
  verbose?: SpeechPart[];
}

const part = (info: unknown): SpeechPart[] => {
  const fields = record(info);
  // A value of the wrong type is still shown (as JSON): the inspector says what is wrong with it.
  const value =
    text(fields?.value) ?? (fields?.value === undefined ? undefined : JSON.stringify(fields.value));
  if (value === undefined) return [];
  return [{ lang: text(fields?.lang) ?? '', kind: fields?.type === 'URL' ? 'url' : 'text', value }];
};

/** `SimpleSpeech` (one SpeechInfo), `SpeechList` (several), `SpeechSet` (brief + verbose). */
export function readSpeech(value: unknown): Speech | undefined {
  const speech = record(value);
  if (!speech) return undefined;
  const type = text(speech.type) ?? '?';
  if (type === 'SpeechSet') {
    const verbose = readSpeech(speech.verbose);
    return { type, parts: [], brief: part(speech.brief), verbose: verbose?.parts ?? [] };
  }
  const values = Array.isArray(speech.values) ? speech.values.flatMap(part) : part(speech.values);
  return { type, parts: values };
}

/** The `response` object of a Custom reply body. */
export const responseOf = (body: unknown) => record(record(body)?.response);

export interface Directive {
  name: string;
  payload: Record<string, unknown> | undefined;
}

export const directivesOf = (body: unknown): Directive[] => {
  const list = responseOf(body)?.directives;
  return Array.isArray(list)
    ? list.map((item) => {
        const header = record(record(item)?.header);
        return {
          name: `${text(header?.namespace) ?? '?'}.${text(header?.name) ?? '?'}`,
          payload: record(record(item)?.payload),
        };
      })
    : [];
};

/** The stream an `AudioPlayer.Play` directive asks the device to play. */
export interface PlayItem {
  title: string;
  artist: string;
  url: string;
  token: string;
  beginAt: number;
  duration: number | undefined;
  progressReport: Record<string, unknown>;
}

export function playItemOf(body: unknown): PlayItem | undefined {
  const play = directivesOf(body).find((directive) => directive.name === 'AudioPlayer.Play');
  const item = record(play?.payload?.audioItem);
  const stream = record(item?.stream);
  // Without a stream there is nothing a device could play (the inspector lists what is missing).
  if (!stream) return undefined;
  const number = (value: unknown) => (typeof value === 'number' ? value : undefined);
  return {
    title: text(item?.titleText) ?? text(item?.audioItemId) ?? 'Untitled stream',
    artist: text(item?.titleSubText1) ?? '',
    url: text(stream?.url) ?? '',
    token: text(stream?.token) ?? '',
    beginAt: number(stream?.beginAtInMilliseconds) ?? 0,
    duration: number(stream?.durationInMilliseconds),
    progressReport: record(stream?.progressReport) ?? {},
  };
}
