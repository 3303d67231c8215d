import { s, type Infer } from '../../schema/index.js';
import { partialAudioStreamSchema } from './audio.js';
import { eventSchema, type EventMap, type EventName } from './events.js';

/**
 * The request message (spec custom-extension.md §2-3), validated tolerantly: real traffic has
 * `session: null`, `context: {}`, no `sessionAttributes`, `slots: null`, slot values as numbers and
 * undocumented fields (§2.5). Unknown keys are always accepted; only what a handler relies on is checked.
 */

const user = s.object({
  userId: s.string({ description: 'CLOVA user id.' }),
  accessToken: s.optional(s.string({ description: 'Account-linking token; never log it.' })),
});

const display = s.object({
  size: s.enumOf(['none', 's100', 'm100', 'l100', 'xl100', 'custom']),
  orientation: s.optional(s.enumOf(['landscape', 'portrait'])),
  dpi: s.optional(s.number()),
  contentLayer: s.optional(s.object({ width: s.number(), height: s.number() })),
});

const system = s.object({
  application: s.optional(s.object({ applicationId: s.string() })),
  device: s.optional(s.object({ deviceId: s.string(), display: s.optional(display) })),
  user: s.optional(user),
});

const audioPlayerContext = s.object({
  playerActivity: s.enumOf(['IDLE', 'PLAYING', 'PAUSED', 'STOPPED']),
  offsetInMilliseconds: s.optional(s.number()),
  totalInMilliseconds: s.optional(s.number()),
  stream: s.optional(partialAudioStreamSchema),
  repeatMode: s.optional(s.string()),
});

const context = s.object({ System: s.optional(system), AudioPlayer: s.optional(audioPlayerContext) });

const session = s.object({
  sessionId: s.string(),
  new: s.optional(s.boolean()),
  sessionAttributes: s.optional(s.nullable(s.record(s.unknown()))),
  user: s.optional(user),
});

/** Fields real traffic carries on every request type (§2.5); documented only for EventRequest. */
const common = {
  requestId: s.optional(s.string()),
  timestamp: s.optional(s.string()),
  locale: s.optional(s.string({ description: 'Undocumented; e.g. "ja-JP".' })),
  extensionId: s.optional(s.string({ description: 'Undocumented.' })),
};

export const slotValueTypes = [
  'TIME',
  'DATE',
  'DATETIME',
  'TIME.INTERVAL',
  'DATE.INTERVAL',
  'DATETIME.INTERVAL',
] as const;
export type SlotValueType = (typeof slotValueTypes)[number];

/** One slot of an IntentRequest (§3.2, interaction-model.md §4.4). */
export const slotSchema = s.object({
  name: s.string(),
  // SDK-Node fixtures send numbers; null appears in SDK-Node's types.
  value: s.nullable(s.union([s.string(), s.number()])),
  valueType: s.optional(s.enumOf(slotValueTypes, 'CLOVA.DATETIME(_RECENT) only.')),
  unit: s.optional(s.string({ description: 'Number+unit types only, e.g. "枚", "JPY".' })),
});
export type Slot = Infer<typeof slotSchema>;

const launchRequest = s.object({ type: s.literal('LaunchRequest'), ...common });
const intentRequest = s.object({
  type: s.literal('IntentRequest'),
  ...common,
  intent: s.object({
    name: s.string({ minLength: 1 }),
    slots: s.optional(s.nullable(s.record(slotSchema))),
  }),
});
const sessionEndedRequest = s.object({ type: s.literal('SessionEndedRequest'), ...common });
const eventRequest = s.object({ type: s.literal('EventRequest'), ...common, event: eventSchema });

const requestBody = s.discriminated('type', {
  LaunchRequest: launchRequest,
  IntentRequest: intentRequest,
  SessionEndedRequest: sessionEndedRequest,
  EventRequest: eventRequest,
});

/** The request message schema: the source of `CustomRequest`, `checkCustomRequest` and schema/custom-request.json. */
export const customRequestSchema = s.object(
  {
    version: s.string({ description: '"1.0" (JP), "0.1.0" (KR, SDK); opaque.' }),
    session: s.nullable(session),
    context,
    request: requestBody,
  },
  { description: 'A CEK Custom extension request (spec custom-extension.md §2).' },
);

/** A validated Custom extension request message (spec custom-extension.md §2). */
export type CustomRequest = Infer<typeof customRequestSchema>;
export type RequestBody = CustomRequest['request'];
export type RequestType = RequestBody['type'];
/** The user opened the extension by name without a command (§3.1). */
export type LaunchRequest = Infer<typeof launchRequest>;
/** An utterance matched an intent of the interaction model (§3.2). */
export type IntentRequest = Infer<typeof intentRequest>;
/** CEK ended the session: user exit, timeout or error (§3.3). */
export type SessionEndedRequest = Infer<typeof sessionEndedRequest>;
/** A client event: skill (de)activation, audio and TTS playback reports, player info (§3.4). */
export type EventRequest = Infer<typeof eventRequest>;
export type RequestContext = CustomRequest['context'];
export type RequestSession = Infer<typeof session>;
export type AudioPlayerContext = Infer<typeof audioPlayerContext>;
export type Display = Infer<typeof display>;
export type { EventMap, EventName };
