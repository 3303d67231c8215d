import { webcrypto } from 'node:crypto';
import { performance as nodePerformance } from 'node:perf_hooks';

/**
 * Test runners of the SDK's era (Jest 24 to 27 with the `node` environment, which the SDK's own
 * suite needs for its `async done` tests) run each test file in a sandbox that lacks the globals
 * Node has had since v16: `performance` and `crypto` among them. cekit's endpoint reads both (the
 * response budget's clock, message ids of the fallback). This fills in only what is missing, from
 * Node's own modules, so an SDK-era suite runs against the shim unchanged; in Node itself it does
 * nothing.
 */
export function fillMissingNodeGlobals(): void {
  const realm = globalThis as { performance?: unknown; crypto?: unknown };
  realm.performance ??= nodePerformance;
  realm.crypto ??= webcrypto;
}
