import { randomUUID } from 'node:crypto';
import type {
  AudioPlayerContext,
  CustomRequest,
  Display,
  EventMap,
  EventName,
  Slot,
} from '../custom/protocol/index.js';

/**
 * Request builders for every Custom request type (spec custom-extension.md §2-3) and every documented
 * client event (§3.4.1). Defaults look like real JP traffic (§2.2, §2.5): UUID ids, a speaker without a
 * screen, `ja-JP`, a LINE-style user id. Every field can be overridden.
 */
export interface RequestOptions {
  /** `context.System.application.applicationId`. Default `com.example.extension`. */
  extensionId?: string;
  /** Default `"1.0"` (JP; KR and the SDKs send `"0.1.0"`). */
  version?: string;
  /** `request.locale` (undocumented but sent, §2.5). Default `ja-JP`. */
  locale?: string;
  userId?: string;
  /** Account-linking token of the user; omitted by default, as without account linking. */
  accessToken?: string;
  deviceId?: string;
  /** Display capabilities (§2.2.1). Default `{ size: 'none', contentLayer: { width: 0, height: 0 } }`. */
  display?: Display | null;
  /** `context.AudioPlayer` (§2.3); omitted by default. */
  audioPlayer?: AudioPlayerContext;
  /**
   * The session: id, whether it is new, attributes echoed from the previous response. `null` sends
   * `session: null` like the skill-store `SkillEnabled` event. Default: a fresh new session.
   */
  session?: { id?: string; new?: boolean; attributes?: Record<string, unknown> } | null;
  requestId?: string;
  /** ISO 8601 `YYYY-MM-DDThh:mm:ssZ`. Default now. */
  timestamp?: string;
}

/** A slot value as a test writes it: `'3'`, `3`, or the full slot object (`{ value: '2', unit: '枚' }`). */
export type SlotInput = string | number | Omit<Slot, 'name'>;

export const DEFAULT_EXTENSION_ID = 'com.example.extension';
export const DEFAULT_USER_ID = 'U399a1e08a8d474521fc4bbd8c7b4148f';
export const DEFAULT_DEVICE_ID = '096e6b27-1717-33e9-b0a7-510a48658a9b';

/** `2026-11-24T10:00:00Z`: CEK's timestamps have no milliseconds (§3.4). */
export const cekTimestamp = (date = new Date()) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

function envelope(request: CustomRequest['request'], options: RequestOptions): CustomRequest {
  const user = {
    userId: options.userId ?? DEFAULT_USER_ID,
    ...(options.accessToken !== undefined ? { accessToken: options.accessToken } : {}),
  };
  const display =
    options.display === undefined
      ? { size: 'none' as const, contentLayer: { width: 0, height: 0 } }
      : options.display;
  const session =
    options.session === null
      ? null
      : {
          new: options.session?.new ?? true,
          sessionAttributes: options.session?.attributes ?? {},
          sessionId: options.session?.id ?? randomUUID(),
          user,
        };
  return {
    version: options.version ?? '1.0',
    session,
    context: {
      System: {
        application: { applicationId: options.extensionId ?? DEFAULT_EXTENSION_ID },
        device: {
          deviceId: options.deviceId ?? DEFAULT_DEVICE_ID,
          ...(display !== null ? { display } : {}),
        },
        user,
      },
      ...(options.audioPlayer ? { AudioPlayer: options.audioPlayer } : {}),
    },
    request,
  };
}

function common(options: RequestOptions) {
  return {
    requestId: options.requestId ?? randomUUID(),
    timestamp: options.timestamp ?? cekTimestamp(),
    locale: options.locale ?? 'ja-JP',
    extensionId: options.extensionId ?? DEFAULT_EXTENSION_ID,
  };
}

/** A `LaunchRequest` (§3.1): the user opened the extension by its invocation name. */
export function buildLaunchRequest(options: RequestOptions = {}): CustomRequest {
  return envelope({ type: 'LaunchRequest', ...common(options) }, options);
}

/** An `IntentRequest` (§3.2) for `name` with slots given as plain values or full slot objects. */
export function buildIntentRequest(
  name: string,
  slots: Record<string, SlotInput> = {},
  options: RequestOptions = {},
): CustomRequest {
  return envelope(
    { type: 'IntentRequest', ...common(options), intent: { name, slots: toSlots(slots) } },
    options,
  );
}

/** A `SessionEndedRequest` (§3.3): the user left, the session timed out, or CEK ended it. */
export function buildSessionEndedRequest(options: RequestOptions = {}): CustomRequest {
  return envelope({ type: 'SessionEndedRequest', ...common(options) }, options);
}

/** Realistic payloads for every documented event (§3.4.1), so `buildEventRequest(name)` is valid as is. */
export function defaultEventPayload<N extends EventName>(name: N): EventMap[N]['payload'] {
  const playback = { token: 'sample-stream-token', offsetInMilliseconds: 0 };
  const payloads: { [K in EventName]: EventMap[K]['payload'] } = {
    'ClovaSkill.SkillEnabled': null,
    'ClovaSkill.SkillDisabled': null,
    'AudioPlayer.PlayStarted': playback,
    'AudioPlayer.PlayPaused': { ...playback, offsetInMilliseconds: 12000 },
    'AudioPlayer.PlayResumed': { ...playback, offsetInMilliseconds: 12000 },
    'AudioPlayer.PlayStopped': { ...playback, offsetInMilliseconds: 12000 },
    'AudioPlayer.PlayFinished': { ...playback, offsetInMilliseconds: 180000 },
    'AudioPlayer.ProgressReportDelayPassed': { ...playback, offsetInMilliseconds: 5000 },
    'AudioPlayer.ProgressReportIntervalPassed': { ...playback, offsetInMilliseconds: 60000 },
    'AudioPlayer.ProgressReportPositionPassed': { ...playback, offsetInMilliseconds: 30000 },
    'AudioPlayer.StreamRequested': {
      audioItemId: 'sample-audio-item',
      audioStream: { token: 'sample-stream-token', url: 'clova:sample-stream', urlPlayable: false },
    },
    'SpeechSynthesizer.SpeechStarted': { token: '0f6f1a4e-0d2e-4b5c-9f4b-3b7b8e9f6a01' },
    'SpeechSynthesizer.SpeechFinished': { token: '0f6f1a4e-0d2e-4b5c-9f4b-3b7b8e9f6a01' },
    'SpeechSynthesizer.SpeechStopped': { token: '0f6f1a4e-0d2e-4b5c-9f4b-3b7b8e9f6a01' },
    'TemplateRuntime.RequestPlayerInfo': { token: 'sample-stream-token', range: { after: 10 } },
  };
  return payloads[name];
}

/** Every documented event name (§3.4.1), e.g. to build one request of each in a test. */
export const EVENT_NAMES = [
  'ClovaSkill.SkillEnabled',
  'ClovaSkill.SkillDisabled',
  'AudioPlayer.PlayStarted',
  'AudioPlayer.PlayPaused',
  'AudioPlayer.PlayResumed',
  'AudioPlayer.PlayStopped',
  'AudioPlayer.PlayFinished',
  'AudioPlayer.ProgressReportDelayPassed',
  'AudioPlayer.ProgressReportIntervalPassed',
  'AudioPlayer.ProgressReportPositionPassed',
  'AudioPlayer.StreamRequested',
  'SpeechSynthesizer.SpeechStarted',
  'SpeechSynthesizer.SpeechFinished',
  'SpeechSynthesizer.SpeechStopped',
  'TemplateRuntime.RequestPlayerInfo',
] as const satisfies readonly EventName[];

/**
 * An `EventRequest` (§3.4) for a documented event (payload defaults to a realistic one, fields can be
 * overridden) or any other `Namespace.Name` with the payload given.
 */
export function buildEventRequest<N extends EventName>(
  name: N,
  payload?: Partial<NonNullable<EventMap[N]['payload']>> | null,
  options?: RequestOptions,
): CustomRequest;
export function buildEventRequest(
  name: `${string}.${string}`,
  payload?: Record<string, unknown> | null,
  options?: RequestOptions,
): CustomRequest;
export function buildEventRequest(
  name: string,
  payload?: Record<string, unknown> | null,
  options: RequestOptions = {},
): CustomRequest {
  const dot = name.indexOf('.');
  if (dot <= 0 || dot === name.length - 1)
    throw new TypeError(`Event names look like "Namespace.Name", got "${name}"`);
  const known = (EVENT_NAMES as readonly string[]).includes(name)
    ? (defaultEventPayload(name as EventName) as Record<string, unknown> | null)
    : undefined;
  const merged = payload === null ? null : known ? { ...known, ...payload } : (payload ?? {});
  // Skill events from the store arrive without a session (spec §2.2, SDK-Py fixture); others in one.
  return envelope(
    {
      type: 'EventRequest',
      ...common(options),
      event: { namespace: name.slice(0, dot), name: name.slice(dot + 1), payload: merged },
    } as CustomRequest['request'],
    { ...options, session: options.session === undefined ? { new: false } : options.session },
  );
}

function toSlots(slots: Record<string, SlotInput>): Record<string, Slot> {
  const out: Record<string, Slot> = {};
  for (const [name, input] of Object.entries(slots)) {
    out[name] = typeof input === 'object' ? { name, ...input } : { name, value: String(input) };
  }
  return out;
}
