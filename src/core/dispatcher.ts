import type { RawRequest } from './endpoint.js';
import type { MessageKind } from './message-kind.js';

/** What the endpoint knows about a request once it has been verified and parsed. */
export interface DispatchContext {
  readonly kind: MessageKind;
  /** Aborted when the response budget is spent; the endpoint has already answered with the fallback. */
  readonly signal: AbortSignal;
  /**
   * True once the budget is spent, like `signal.aborted`, but readable without creating the signal
   * (an AbortController per request is a measurable share of the hot path). Optional for contexts
   * built outside the endpoint.
   */
  readonly aborted?: boolean;
  /** `performance.now()` when the endpoint received the request. */
  readonly receivedAt: number;
  /**
   * `performance.now()` when the response budget runs out (the fallback is sent then). Optional for
   * contexts built outside the endpoint.
   */
  readonly deadline?: number;
  /**
   * The request exactly as the transport handed it to the endpoint (same object), for dispatchers
   * that must find what their adapter attached to it. Optional for contexts built outside the endpoint.
   */
  readonly request?: RawRequest;
}

/**
 * The seam between the transport-neutral endpoint and a framework (Custom extension, Clova Home, or
 * both). The endpoint guarantees `dispatch` only ever sees verified, parsed messages of a kind listed
 * in `kinds`.
 */
export interface Dispatcher {
  readonly kinds: readonly MessageKind[];
  /**
   * Checks the message's shape before `dispatch` and outside the response budget. Throwing a
   * `RejectionError` (e.g. `INVALID_MESSAGE` naming the field) answers with that 4xx; no handler runs.
   */
  validate?(message: Record<string, unknown>): void;
  dispatch(message: Record<string, unknown>, context: DispatchContext): unknown;
  /**
   * The answer used when `dispatch` throws, hangs past the budget, or returns something that cannot be
   * serialised. Must not throw; the endpoint has a minimal built-in fallback per kind if it does.
   */
  fallback?(message: Record<string, unknown>, context: DispatchContext, reason: FallbackReason): unknown;
  /** Short description of the message for the request log line (request type, intent, header name). */
  describe?(message: Record<string, unknown>): Record<string, unknown>;
}

export type FallbackReason = { type: 'error'; error: unknown } | { type: 'timeout'; budgetMs: number };
