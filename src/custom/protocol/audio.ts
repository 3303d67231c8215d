import { s, type Infer } from '../../schema/index.js';

const progressReport = s.object({
  progressReportDelayInMilliseconds: s.optional(s.nullable(s.number({ min: 0 }))),
  progressReportIntervalInMilliseconds: s.optional(s.nullable(s.number({ min: 0 }))),
  progressReportPositionInMilliseconds: s.optional(s.nullable(s.number({ min: 0 }))),
});

const streamFields = {
  beginAtInMilliseconds: s.number({ min: 0, description: 'Start offset in ms (0 = from the beginning).' }),
  durationInMilliseconds: s.optional(s.number({ min: 0 })),
  progressReport: s.optional(progressReport),
  token: s.string({ description: 'Stream token, echoed in AudioPlayer events.' }),
  url: s.string({ description: 'Stream URL, or a placeholder when urlPlayable is false.' }),
  urlPlayable: s.boolean('false: the client sends AudioPlayer.StreamRequested before playing.'),
  customData: s.optional(s.string()),
  format: s.optional(
    s.enumOf(['audio/mpeg', 'audio/mpegurl', 'audio/aac', 'application/vnd.apple.mpegurl'], 'KR only.'),
  ),
};

/** AudioStreamInfoObject as an extension must send it in `AudioPlayer.Play` (spec §5.5). */
export const audioStreamSchema = s.object(streamFields);
export type AudioStream = Infer<typeof audioStreamSchema>;

/**
 * The same object where parts may be missing: in `StreamDeliver` (only the playable `url` is required,
 * the client merges it with the Play directive, spec §5.2) and as reported back by the client
 * (`context.AudioPlayer.stream`, `StreamRequested`), where SDK test data even sends `null` offsets.
 */
export const partialAudioStreamSchema = s.object({
  beginAtInMilliseconds: s.optional(s.nullable(s.number())),
  durationInMilliseconds: s.optional(s.nullable(s.number())),
  progressReport: s.optional(s.nullable(progressReport)),
  token: s.optional(s.string()),
  url: s.optional(s.string()),
  urlPlayable: s.optional(s.boolean()),
  customData: s.optional(s.string()),
  format: s.optional(s.string()),
});
export type PartialAudioStream = Infer<typeof partialAudioStreamSchema>;

export const deliveredAudioStreamSchema = s.object({
  ...partialAudioStreamSchema.shape,
  url: s.string({ description: 'Playable stream URL (required in StreamDeliver).' }),
});
export type DeliveredAudioStream = Infer<typeof deliveredAudioStreamSchema>;
