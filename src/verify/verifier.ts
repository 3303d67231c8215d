import type { HeaderSource } from '../core/headers.js';

/**
 * A request-validation scheme. `verify` throws a `RejectionError` when the request is not proven to
 * come from CEK; it returns `undefined` on the fast path and a promise only when it has to wait
 * (first key download, a refetch after a failure), so the common case costs no extra microtask.
 */
export interface RequestVerifier {
  readonly scheme: string;
  verify(body: Uint8Array, headers: HeaderSource): void | Promise<void>;
  /** Resolves when the verifier can answer (keys downloaded); `serve()` awaits it before listening. */
  ready?(): Promise<void>;
  /** Stops timers and background work. */
  close?(): void;
}

/** True for objects that implement `RequestVerifier` (have a `verify` method). */
export function isRequestVerifier(value: unknown): value is RequestVerifier {
  return (
    typeof value === 'object' && value !== null && typeof (value as RequestVerifier).verify === 'function'
  );
}
