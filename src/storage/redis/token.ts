import { randomBytes } from 'node:crypto';

/** Random bytes drawn at once and used 12 at a time: one draw (a system call) per ~340 tokens. */
const POOL_BYTES = 4096;
const TOKEN_BYTES = 12;
let pool = Buffer.alloc(0);
let used = 0;

/**
 * A fresh lock token: 96 random bits, so no two holders in any process ever share one (a holder's
 * compare-and-delete must never free another's lock).
 */
export function newToken(): string {
  if (used + TOKEN_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES);
    used = 0;
  }
  used += TOKEN_BYTES;
  return pool.toString('base64url', used - TOKEN_BYTES, used);
}
