import { s, type Infer } from '../../schema/index.js';
import type { Schema } from '../../schema/schema.js';
import { partialAudioStreamSchema } from './audio.js';
import { keyed } from './keyed.js';

/**
 * The client events delivered in `EventRequest` (spec custom-extension.md §3.4.1), JP and KR.
 * CIC's `namespace`/`name` header is flattened into `request.event`.
 */
function event<const N extends string, const M extends string, P extends Schema<unknown>>(
  namespace: N,
  name: M,
  payload: P,
) {
  return s.object({ namespace: s.literal(namespace), name: s.literal(name), payload });
}

const playback = s.object({
  token: s.string({ description: 'Stream token of the Play directive.' }),
  offsetInMilliseconds: s.number({ description: 'Playback position in ms.' }),
});
// The PlayStopped reference examples send `payload: {}` although the table requires both fields
// (spec §8 #8): accept both, so the type tells handlers they may be missing.
const stoppedPlayback = s.object({
  token: s.optional(s.string()),
  offsetInMilliseconds: s.optional(s.number()),
});
const speechToken = s.object({ token: s.string({ description: 'SpeechInfoObject.token of the item.' }) });
const noPayload = s.nullable(s.record(s.unknown()));

const eventMembers = {
  'ClovaSkill.SkillEnabled': event('ClovaSkill', 'SkillEnabled', noPayload),
  'ClovaSkill.SkillDisabled': event('ClovaSkill', 'SkillDisabled', noPayload),
  'AudioPlayer.PlayStarted': event('AudioPlayer', 'PlayStarted', playback),
  'AudioPlayer.PlayPaused': event('AudioPlayer', 'PlayPaused', playback),
  'AudioPlayer.PlayResumed': event('AudioPlayer', 'PlayResumed', playback),
  'AudioPlayer.PlayStopped': event('AudioPlayer', 'PlayStopped', stoppedPlayback),
  'AudioPlayer.PlayFinished': event('AudioPlayer', 'PlayFinished', playback),
  'AudioPlayer.ProgressReportDelayPassed': event('AudioPlayer', 'ProgressReportDelayPassed', playback),
  'AudioPlayer.ProgressReportIntervalPassed': event('AudioPlayer', 'ProgressReportIntervalPassed', playback),
  'AudioPlayer.ProgressReportPositionPassed': event('AudioPlayer', 'ProgressReportPositionPassed', playback),
  'AudioPlayer.StreamRequested': event(
    'AudioPlayer',
    'StreamRequested',
    s.object({ audioItemId: s.string(), audioStream: partialAudioStreamSchema }),
  ),
  'SpeechSynthesizer.SpeechStarted': event('SpeechSynthesizer', 'SpeechStarted', speechToken),
  'SpeechSynthesizer.SpeechFinished': event('SpeechSynthesizer', 'SpeechFinished', speechToken),
  'SpeechSynthesizer.SpeechStopped': event('SpeechSynthesizer', 'SpeechStopped', speechToken),
  'TemplateRuntime.RequestPlayerInfo': event(
    'TemplateRuntime',
    'RequestPlayerInfo',
    s.object({
      token: s.string({ description: 'Reference stream token.' }),
      range: s.optional(s.object({ before: s.optional(s.number()), after: s.optional(s.number()) })),
    }),
  ),
};

/** Events not in the catalogue are accepted (future client events) and routed like any other. */
const otherEvent = s.object({
  namespace: s.string(),
  name: s.string(),
  payload: s.optional(s.nullable(s.record(s.unknown()))),
});

export const eventSchema = keyed({
  noun: 'event',
  keyPath: ['name'],
  keyOf: (value) => `${String(value.namespace)}.${String(value.name)}`,
  keyJsonSchema: (key) => {
    const dot = key.indexOf('.');
    return {
      properties: { namespace: { const: key.slice(0, dot) }, name: { const: key.slice(dot + 1) } },
      required: ['namespace', 'name'],
    };
  },
  members: eventMembers,
  other: otherEvent,
});

/** `"AudioPlayer.PlayFinished"` → that event's type, for every documented event. */
export type EventMap = { [K in keyof typeof eventMembers]: Infer<(typeof eventMembers)[K]> };
export type EventName = keyof EventMap;
export type KnownEvent = EventMap[EventName];
export type OtherEvent = Infer<typeof otherEvent>;
export type ClovaEvent = KnownEvent | OtherEvent;
export type EventNamespace = KnownEvent['namespace'];

/** Every documented event name (`namespace.name`), for did-you-mean hints at registration. */
export const EVENT_NAMES = Object.keys(eventMembers) as readonly EventName[];
