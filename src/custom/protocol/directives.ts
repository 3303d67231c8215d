import { s, type Infer } from '../../schema/index.js';
import type { Schema } from '../../schema/schema.js';
import { audioStreamSchema, deliveredAudioStreamSchema } from './audio.js';
import { keyed } from './keyed.js';

/**
 * Response directives (spec custom-extension.md §4.2 and §5). Inside `response.directives[]` they are
 * unwrapped `{ header, payload }` objects (never the CIC `{ directive: ... }` form, §8 #7).
 * `header.messageId` is required by the table but missing from every example, so it is optional here;
 * cekit's builders always generate one.
 */
function directive<const N extends string, const M extends string, P extends Schema<unknown>>(
  namespace: N,
  name: M,
  payload: P,
) {
  return s.object({
    header: s.object({
      namespace: s.literal(namespace),
      name: s.literal(name),
      messageId: s.optional(s.string({ description: 'UUID of this directive.' })),
      dialogRequestId: s.optional(s.string({ description: "The request's requestId (SDK output)." })),
    }),
    payload,
  });
}

const playDirective = directive(
  'AudioPlayer',
  'Play',
  s.object({
    audioItem: s.object({
      audioItemId: s.string({ description: 'Clients drop duplicate Play directives by this id.' }),
      stream: audioStreamSchema,
      titleText: s.string({ description: 'Title of the content.' }),
      titleSubText1: s.string({ description: 'Secondary text, usually the artist.' }),
      titleSubText2: s.optional(s.string({ description: 'Usually the album.' })),
      headerText: s.optional(s.string({ description: 'Usually the playlist title.' })),
      artImageUrl: s.optional(s.string()),
      type: s.optional(s.string({ description: 'KR CIC, deprecated.' })),
    }),
    playBehavior: s.enumOf(['REPLACE_ALL', 'ENQUEUE']),
    source: s.object({ name: s.string(), logoUrl: s.optional(s.string()) }),
  }),
);

const streamDeliverDirective = directive(
  'AudioPlayer',
  'StreamDeliver',
  s.object({ audioItemId: s.string(), audioStream: deliveredAudioStreamSchema }),
);

const emptyPayload = s.object({}, { description: 'Always {}.' });
const pauseDirective = directive('PlaybackController', 'Pause', emptyPayload);
const resumeDirective = directive('PlaybackController', 'Resume', emptyPayload);
const stopDirective = directive('PlaybackController', 'Stop', emptyPayload);

const control = <N extends Schema<string>>(name: N) =>
  s.object({ type: s.literal('BUTTON'), name, enabled: s.boolean(), selected: s.boolean() });

/** KR only (spec §5.4); answers `TemplateRuntime.RequestPlayerInfo`. */
const renderPlayerInfoDirective = directive(
  'TemplateRuntime',
  'RenderPlayerInfo',
  s.object({
    displayType: s.enumOf(['list', 'single']),
    controls: s.array(control(s.enumOf(['NEXT', 'PLAY_PAUSE', 'PREVIOUS']))),
    playableItems: s.array(
      s.object({
        token: s.string(),
        titleText: s.string(),
        titleSubText1: s.string(),
        titleSubText2: s.optional(s.string()),
        headerText: s.optional(s.string()),
        artImageUrl: s.optional(s.string()),
        isLive: s.optional(s.boolean()),
        showAdultIcon: s.boolean(),
        lyrics: s.optional(
          s.array(
            s.object({
              format: s.enumOf(['LRC', 'PLAIN']),
              // The KR example sends null for the one that is not used.
              data: s.optional(s.nullable(s.string())),
              url: s.optional(s.nullable(s.string())),
            }),
          ),
        ),
        // LIKE_DISLIKE is not in the documented list but the KR example uses it (spec §8 #9).
        controls: s.optional(
          s.array(
            control(
              s.enumOf([
                'BACKWARD_15S',
                'BACKWARD_30S',
                'BACKWARD_60S',
                'FORWARD_15S',
                'FORWARD_30S',
                'FORWARD_60S',
                'NEXT',
                'PLAY_PAUSE',
                'PREVIOUS',
                'PROGRESS_BAR',
                'REPEAT',
                'SUBSCRIBE_UNSUBSCRIBE',
                'LIKE_DISLIKE',
              ]),
            ),
          ),
        ),
      }),
    ),
    provider: s.optional(
      s.object({ name: s.string(), logoUrl: s.optional(s.string()), smallLogoUrl: s.optional(s.string()) }),
    ),
  }),
);

const directiveMembers = {
  'AudioPlayer.Play': playDirective,
  'AudioPlayer.StreamDeliver': streamDeliverDirective,
  'PlaybackController.Pause': pauseDirective,
  'PlaybackController.Resume': resumeDirective,
  'PlaybackController.Stop': stopDirective,
  'TemplateRuntime.RenderPlayerInfo': renderPlayerInfoDirective,
};

/** Every directive a Custom extension may send; other names need LINE's prior agreement (§4.2). */
export const directiveSchema = keyed({
  noun: 'directive',
  keyPath: ['header', 'name'],
  keyOf: (value) => {
    const header = value.header as { namespace?: unknown; name?: unknown } | undefined;
    return header && typeof header === 'object'
      ? `${String(header.namespace)}.${String(header.name)}`
      : undefined;
  },
  keyJsonSchema: (key) => {
    const dot = key.indexOf('.');
    return {
      properties: {
        header: {
          properties: { namespace: { const: key.slice(0, dot) }, name: { const: key.slice(dot + 1) } },
        },
      },
    };
  },
  members: directiveMembers,
});

export type Directive = Infer<typeof directiveSchema>;
export type DirectiveName = keyof typeof directiveMembers;
export type PlayDirective = Infer<typeof playDirective>;
export type StreamDeliverDirective = Infer<typeof streamDeliverDirective>;
export type RenderPlayerInfoDirective = Infer<typeof renderPlayerInfoDirective>;
export type AudioItem = PlayDirective['payload']['audioItem'];
