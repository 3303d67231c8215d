/**
 * The Home framework answers synchronously when the developer's hooks do, and only then awaits: a
 * promise per request would cost as much as the routing itself. This tells the two cases apart.
 */
export function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}
