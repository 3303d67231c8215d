import { setTimeout as sleep } from 'node:timers/promises';
import { lockTimeout } from './errors.js';

/** First and longest pause between two tries for a user another process holds (ms). */
const FIRST_PAUSE_MS = 1;
const LONGEST_PAUSE_MS = 20;

/**
 * Calls `attempt` until it returns a result (not `undefined`), pausing a little longer each time
 * (with jitter, so processes do not retry in step), until `signal` aborts. Used by stores whose
 * database offers "take it if free" but no wait that can be cut short from the client.
 */
export async function retryUntil<R>(attempt: () => Promise<R | undefined>, signal: AbortSignal): Promise<R> {
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    if (signal.aborted) throw lockTimeout(signal);
    const result = await attempt();
    if (result !== undefined) return result;
    try {
      await sleep(pause * (0.5 + Math.random()), undefined, { signal });
    } catch {
      throw lockTimeout(signal);
    }
    pause = Math.min(LONGEST_PAUSE_MS, pause * 2);
  }
}
