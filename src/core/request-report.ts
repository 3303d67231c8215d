import {
  channels,
  nextRequestId,
  publishFallback,
  publishHandlerError,
  rememberRequestId,
  type FallbackEvent,
  type RequestSummary,
} from './diagnostics.js';
import type { Dispatcher } from './dispatcher.js';
import type { RawRequest } from './endpoint.js';
import type { RejectionCode, RejectionError } from './errors.js';
import { safeFields } from './log-fields.js';
import { describeError, type Logger } from './logger.js';
import { messageKind, type MessageKind } from './message-kind.js';

/** One request as the report knows it: its id in diagnostics events, and when it arrived. */
export interface Arrival {
  readonly id: number;
  readonly receivedAt: number;
}

/**
 * Refusals logged at the `requestLog` level: they come before the signature is checked, so they prove
 * nothing about the sender (a scanner, a health check on the wrong path, a misrouted client). Every
 * other refusal is logged at `warn`: a missing, malformed or forged signature or certificate, a key
 * that could not be had, another extension's ID, or a signed request cekit could not accept.
 */
const ROUTINE_REFUSALS: ReadonlySet<RejectionCode> = new Set<RejectionCode>([
  'METHOD_NOT_ALLOWED',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'EMPTY_BODY',
]);

/**
 * What the endpoint says about each request: the request log line and the diagnostics events, from one
 * description of the message computed at most once, and nothing at all when neither is wanted.
 */
export class RequestReport {
  readonly #channels = channels();

  constructor(
    private readonly logger: Logger,
    private readonly requestLog: 'info' | 'debug' | false,
    private readonly dispatcher: Dispatcher,
  ) {}

  /**
   * The message's description, capped and escaped: its strings are the sender's. It also runs on
   * refused messages of any shape, so a describe() that throws costs the line its fields, never the
   * answer.
   */
  describe(message: Record<string, unknown>): RequestSummary {
    try {
      return safeFields(this.dispatcher.describe?.(message));
    } catch {
      return {};
    }
  }

  received(request: RawRequest): Arrival {
    const receivedAt = request.receivedAt ?? performance.now();
    const arrival = { id: nextRequestId(), receivedAt };
    const channel = this.#channels.received;
    if (channel.hasSubscribers) {
      const bodyBytes = (request.body as Uint8Array | undefined)?.byteLength ?? 0;
      channel.publish({ requestId: arrival.id, receivedAt, method: request.method, bodyBytes });
    }
    return arrival;
  }

  rejected(arrival: Arrival, rejection: RejectionError, message: Record<string, unknown> | undefined): void {
    const channel = this.#channels.rejected;
    if (!this.requestLog && !channel.hasSubscribers) return;
    const { status, code } = rejection;
    const summary = message ? this.describe(message) : {};
    const durationMs = performance.now() - arrival.receivedAt;
    if (this.requestLog) {
      const level = ROUTINE_REFUSALS.has(code) ? this.requestLog : 'warn';
      this.logger[level]('cekit: rejected', { status, code, ...summary, ms: round(durationMs) });
    }
    if (channel.hasSubscribers) {
      const kind = message ? messageKind(message) : undefined;
      channel.publish({ requestId: arrival.id, status, code, kind, summary, durationMs });
    }
  }

  dispatched(arrival: Arrival, kind: MessageKind, message: Record<string, unknown>): void {
    rememberRequestId(message, arrival.id);
    const channel = this.#channels.dispatched;
    if (!channel.hasSubscribers) return;
    const elapsedMs = performance.now() - arrival.receivedAt;
    channel.publish({ requestId: arrival.id, kind, summary: this.describe(message), elapsedMs });
  }

  answered(arrival: Arrival, kind: MessageKind, message: Record<string, unknown>): void {
    const channel = this.#channels.answered;
    if (!this.requestLog && !channel.hasSubscribers) return;
    const summary = this.describe(message);
    const durationMs = performance.now() - arrival.receivedAt;
    if (this.requestLog)
      this.logger[this.requestLog]('cekit: request', {
        kind,
        ...summary,
        status: 200,
        ms: round(durationMs),
      });
    if (channel.hasSubscribers)
      channel.publish({ requestId: arrival.id, kind, summary, status: 200, durationMs });
  }

  /** The dispatcher failed (threw, rejected, or answered what CEK cannot use): logged with the stack. */
  failed(kind: MessageKind, message: Record<string, unknown>, error: unknown): void {
    this.logger.error('cekit: handler failed; sent the fallback', {
      kind,
      ...this.describe(message),
      ...describeError(error, { stack: true }),
    });
    publishHandlerError(message, kind, () => this.describe(message), error);
  }

  fallback(
    kind: MessageKind,
    message: Record<string, unknown>,
    reason: FallbackEvent['reason'],
    builtin: boolean,
  ): void {
    publishFallback(message, kind, () => this.describe(message), reason, builtin);
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
