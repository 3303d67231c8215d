/**
 * cekit answers synchronously when the developer's code does, and only then goes async: a promise per
 * request would cost about as much as the routing itself. This tells the two cases apart, for the
 * endpoint and both frameworks.
 */
export function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
