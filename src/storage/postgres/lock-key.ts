import { createHash } from 'node:crypto';

/**
 * A 64-bit advisory lock key for `parts` (a purpose, the table's schema and name, a user id), as the
 * decimal text of a signed bigint (a query parameter; JSON keeps the parts apart unambiguously).
 * Keys are a hash, so two users may share one: that only makes their requests take turns, never
 * lets two holders in at once. Other applications' advisory locks in the same database could
 * collide the same harmless way.
 */
export function advisoryKey(...parts: Array<string | null>): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest().readBigInt64BE(0).toString();
}
