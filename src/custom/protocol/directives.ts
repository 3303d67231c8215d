import { s, type Infer } from '../../schema/index.js';
import type { Issue, Schema } from '../../schema/schema.js';
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
            s.refine(
              s.object({
                format: s.enumOf(['LRC', 'PLAIN']),
                // The KR example sends null for the one that is not used.
                data: s.optional(s.nullable(s.string())),
                url: s.optional(s.nullable(s.string())),
              }),
              // §5.4: the lyrics are in `data` or behind `url` ("either data or url").
              (lyrics) =>
                typeof lyrics.data === 'string' || typeof lyrics.url === 'string'
                  ? undefined
                  : { message: 'needs the lyrics text in `data` or their address in `url`' },
              {
                anyOf: [
                  { properties: { data: { type: 'string' } }, required: ['data'] },
                  { properties: { url: { type: 'string' } }, required: ['url'] },
                ],
              },
            ),
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

/**
 * Directives the spec does not list, declared by you: name (`"Namespace.Name"`) → payload type. The
 * spec allows other directives only with LINE's (KR: NAVER's) prior agreement (§4.2), so none is
 * declared by default and `ctx.directive()` accepts only the documented names until you add one by
 * module augmentation:
 *
 * ```ts
 * declare module 'cekit' {
 *   interface CustomDirectives {
 *     'Partner.ShowCoupon': { couponId: string };
 *   }
 * }
 * ```
 *
 * A directive built with `ctx.directive()` / `ResponseBuilder.directive()` under such a name is
 * accepted by `validateCustomResponse` (its `{ header, payload }` envelope is still checked); the
 * published JSON Schema keeps describing the documented protocol only.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CustomDirectives {}

type SplitName<K> = K extends `${infer N}.${infer M}` ? { namespace: N; name: M } : never;

/** A directive declared in `CustomDirectives`, as it appears in `response.directives[]`. */
export type RegisteredDirective = {
  [K in keyof CustomDirectives & string]: {
    header: SplitName<K> & { messageId?: string; dialogRequestId?: string };
    payload: CustomDirectives[K];
  };
}[keyof CustomDirectives & string];

/** Payload type of every documented directive, by `"Namespace.Name"`. */
export type DirectivePayloads = {
  [K in keyof typeof directiveMembers]: Infer<(typeof directiveMembers)[K]>['payload'];
};
/** A name `directive()` accepts: a documented one, or one you declared in `CustomDirectives`. */
export type DirectiveKey = keyof DirectivePayloads | (keyof CustomDirectives & `${string}.${string}`);
export type DirectivePayload<K extends DirectiveKey> = K extends keyof DirectivePayloads
  ? DirectivePayloads[K]
  : K extends keyof CustomDirectives
    ? CustomDirectives[K]
    : never;

/** What a registered directive must still look like: the unwrapped `{ header, payload }` of §4.2. */
const registeredDirectiveSchema = s.object({
  header: s.object({
    namespace: s.string({ minLength: 1 }),
    name: s.string({ minLength: 1 }),
    messageId: s.optional(s.string()),
    dialogRequestId: s.optional(s.string()),
  }),
  payload: s.record(s.unknown()),
}) as unknown as Schema<RegisteredDirective>;

/** Directive objects built by `directive()` under a name outside the spec: the user's explicit opt-in. */
const registered = new WeakSet<object>();

/** @internal Marks a directive object built by `ResponseBuilder.directive()` for a name you declared. */
export function markRegisteredDirective(directive: object): void {
  registered.add(directive);
}

export function isDocumentedDirective(key: string): key is DirectiveName {
  return Object.hasOwn(directiveMembers, key);
}

/** Issues of `payload` as the payload of the documented directive `key` (empty when valid). */
export function directivePayloadIssues(key: DirectiveName, payload: unknown): Issue[] {
  const issues: Issue[] = [];
  directiveMembers[key].shape.payload.check(payload, ['payload'], issues);
  return issues;
}

function directivesAccepting(accepts: (value: Record<string, unknown>, key: string | undefined) => boolean) {
  return keyed({
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
    extra: { accepts, schema: registeredDirectiveSchema },
  });
}

/**
 * Every directive a Custom extension may send; other names need LINE's prior agreement (§4.2) and are
 * accepted only when built by `directive()` under a name declared in `CustomDirectives`.
 */
export const directiveSchema = directivesAccepting((value) => registered.has(value));

/** `directiveSchema` that also accepts the given undocumented names, e.g. in a serialised response. */
export function directiveSchemaAccepting(names: readonly string[]) {
  const allowed = new Set(names);
  return directivesAccepting(
    (value, key) => registered.has(value) || (key !== undefined && allowed.has(key)),
  );
}

export type Directive = Infer<typeof directiveSchema>;
export type DirectiveName = keyof typeof directiveMembers;
export type PlayDirective = Infer<typeof playDirective>;
export type StreamDeliverDirective = Infer<typeof streamDeliverDirective>;
export type RenderPlayerInfoDirective = Infer<typeof renderPlayerInfoDirective>;
export type AudioItem = PlayDirective['payload']['audioItem'];
