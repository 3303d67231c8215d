import { nodeBuiltin } from './builtin.js';
import type { RejectionCode } from './errors.js';
import type { MessageKind } from './message-kind.js';

/**
 * The `node:diagnostics_channel` channels cekit publishes a request's life on. Subscribe with
 * `diagnostics_channel.subscribe(DIAGNOSTICS_CHANNELS.answered, (event) => ...)`. Every request gets
 * `received`, then exactly one of `rejected` or `answered`; a verified one gets `dispatched` in between,
 * and `handlerError` and `fallback` when they happen (a late handler failure, after the timeout
 * fallback was sent, can come after `answered`). Nothing is built or published while a channel has no
 * subscriber, and where the runtime has no `node:diagnostics_channel` there is simply nothing to
 * subscribe to.
 */
export const DIAGNOSTICS_CHANNELS = Object.freeze({
  /** {@link RequestReceivedEvent}: a request reached the endpoint, nothing checked yet. */
  received: 'cekit:request:received',
  /** {@link RequestRejectedEvent}: refused with a 4xx and a code; the last event of the request. */
  rejected: 'cekit:request:rejected',
  /** {@link RequestDispatchedEvent}: verified and valid; handed to the extension. */
  dispatched: 'cekit:request:dispatched',
  /** {@link RequestAnsweredEvent}: answered (200), the handler's answer or a fallback; the last event. */
  answered: 'cekit:request:answered',
  /** {@link HandlerErrorEvent}: a handler (or middleware, error handler, dispatcher) failed. */
  handlerError: 'cekit:handler:error',
  /** {@link FallbackEvent}: the answer is a fallback, not the handler's own. */
  fallback: 'cekit:fallback',
} as const);

/**
 * What the request is, from the extension's `describe()`: Custom `{ type, intent }` or
 * `{ type, event }`, Clova Home `{ name, applianceId, sceneId }`. Strings capped and escaped like in log
 * lines; never tokens, user ids or the body.
 */
export type RequestSummary = Readonly<Record<string, unknown>>;

export interface RequestReceivedEvent {
  /** Identifies the request in every event about it; unique within the process. */
  readonly requestId: number;
  /** `performance.now()` when the request arrived (before its body was read, when the adapter knows). */
  readonly receivedAt: number;
  readonly method: string;
  /** Size of the body in bytes. */
  readonly bodyBytes: number;
}

export interface RequestRejectedEvent {
  readonly requestId: number;
  readonly status: number;
  readonly code: RejectionCode;
  /** The message kind, when the body was read far enough to tell. */
  readonly kind: MessageKind | undefined;
  /** Empty when the body was refused before it was parsed. */
  readonly summary: RequestSummary;
  /** From `receivedAt` to the refusal, in milliseconds. */
  readonly durationMs: number;
}

export interface RequestDispatchedEvent {
  readonly requestId: number;
  readonly kind: MessageKind;
  readonly summary: RequestSummary;
  /** From `receivedAt` to here (reading, verifying, parsing), in milliseconds. */
  readonly elapsedMs: number;
}

export interface RequestAnsweredEvent {
  readonly requestId: number;
  readonly kind: MessageKind;
  readonly summary: RequestSummary;
  /** Always 200: failures are answered with a fallback, never a 5xx. */
  readonly status: number;
  /** From `receivedAt` to the answer, in milliseconds. */
  readonly durationMs: number;
}

export interface HandlerErrorEvent {
  /** `undefined` only for a dispatcher called outside an endpoint. */
  readonly requestId: number | undefined;
  readonly kind: MessageKind;
  readonly summary: RequestSummary;
  /** What was thrown (also logged, with its stack; never sent to CEK). */
  readonly error: unknown;
}

export interface FallbackEvent {
  readonly requestId: number | undefined;
  readonly kind: MessageKind;
  readonly summary: RequestSummary;
  /**
   * `error`: a handler failed and no error handler answered; `timeout`: the response budget ran out;
   * `unhandled`: no handler matched the launch or intent (Custom).
   */
  readonly reason: 'error' | 'timeout' | 'unhandled';
  /** True when the extension's own fallback failed too and cekit's built-in answer was sent. */
  readonly builtin: boolean;
}

interface Publisher<T> {
  readonly hasSubscribers: boolean;
  publish(event: T): void;
}

interface Channels {
  readonly received: Publisher<RequestReceivedEvent>;
  readonly rejected: Publisher<RequestRejectedEvent>;
  readonly dispatched: Publisher<RequestDispatchedEvent>;
  readonly answered: Publisher<RequestAnsweredEvent>;
  readonly handlerError: Publisher<HandlerErrorEvent>;
  readonly fallback: Publisher<FallbackEvent>;
}

const NOBODY: Publisher<never> = { hasSubscribers: false, publish() {} };
let resolved: Channels | undefined;

/**
 * The channels, looked up on first use (never at import: a runtime without the module still loads
 * cekit). Held here, so Node never collects a channel that has subscribers.
 */
export function channels(): Channels {
  if (resolved) return resolved;
  const dc = nodeBuiltin<{ channel?: (name: string) => Publisher<unknown> }>('node:diagnostics_channel');
  const open = (name: string) => (typeof dc?.channel === 'function' ? dc.channel(name) : NOBODY);
  resolved = {
    received: open(DIAGNOSTICS_CHANNELS.received),
    rejected: open(DIAGNOSTICS_CHANNELS.rejected),
    dispatched: open(DIAGNOSTICS_CHANNELS.dispatched),
    answered: open(DIAGNOSTICS_CHANNELS.answered),
    handlerError: open(DIAGNOSTICS_CHANNELS.handlerError),
    fallback: open(DIAGNOSTICS_CHANNELS.fallback),
  };
  return resolved;
}

let lastRequestId = 0;
/** The next request id. */
export function nextRequestId(): number {
  return ++lastRequestId;
}

/**
 * The request id of each dispatched message, so a framework reporting a failure deep inside its own
 * error handling needs nothing but the message. Filled only while someone listens for those events.
 */
const requestIds = new WeakMap<object, number>();

export function rememberRequestId(message: object, requestId: number): void {
  const { handlerError, fallback } = channels();
  if (handlerError.hasSubscribers || fallback.hasSubscribers) requestIds.set(message, requestId);
}

/** For frameworks: a handler failed on `message` (published only when someone listens). */
export function publishHandlerError(
  message: object,
  kind: MessageKind,
  summary: () => RequestSummary,
  error: unknown,
): void {
  const channel = channels().handlerError;
  if (!channel.hasSubscribers) return;
  channel.publish({ requestId: requestIds.get(message), kind, summary: summary(), error });
}

/** For frameworks and the endpoint: `message` is answered with a fallback. */
export function publishFallback(
  message: object,
  kind: MessageKind,
  summary: () => RequestSummary,
  reason: FallbackEvent['reason'],
  builtin = false,
): void {
  const channel = channels().fallback;
  if (!channel.hasSubscribers) return;
  channel.publish({ requestId: requestIds.get(message), kind, summary: summary(), reason, builtin });
}
