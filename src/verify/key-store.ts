import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Logger } from '../core/logger.js';
import { describeError } from '../core/logger.js';
import { fetchText, FetchTextError, type FetchTextOptions } from './fetch-text.js';

export type KeyInput = string | KeyObject;

export interface KeyStoreOptions {
  /** Keys trusted for the lifetime of the process (bundled key, user keys). */
  pinned: readonly KeyObject[];
  /** Where the current key is published; `undefined` disables fetching. */
  url: URL | undefined;
  fetch: FetchTextOptions;
  /** A verification failure may trigger a refetch at most this often. */
  minRefetchIntervalMs: number;
  /** A successful request also refreshes the fetched key in the background this often. */
  refreshIntervalMs: number;
  logger: Logger;
  now?: () => number;
}

const NO_KEY_REFETCH_INTERVAL_MS = 5000;

/** Turns a PEM string (or an existing key object) into an RSA public key object, once. */
export function toPublicKey(input: KeyInput): KeyObject {
  const key = typeof input === 'string' ? createPublicKey(input) : input;
  if (key.type !== 'public' || key.asymmetricKeyType !== 'rsa') {
    throw new TypeError(`A CEK key must be an RSA public key, got ${key.asymmetricKeyType} ${key.type}`);
  }
  return key;
}

/**
 * The set of keys a signature is checked against: the pinned ones plus the last two fetched ones
 * (so requests signed just before a rotation still verify). Fetches are single-flight and rate
 * limited, and a failed fetch never removes a key that worked.
 */
export class KeyStore {
  #pinned: readonly KeyObject[];
  #fetched: KeyObject[] = [];
  #keys: readonly KeyObject[];
  #inFlight: Promise<boolean> | undefined;
  #lastAttempt = Number.NEGATIVE_INFINITY;
  #nextRefresh = Number.NEGATIVE_INFINITY;
  #failuresInARow = 0;
  readonly #options: KeyStoreOptions;
  readonly #now: () => number;

  constructor(options: KeyStoreOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#pinned = options.pinned;
    this.#keys = [...options.pinned];
  }

  /** The keys to try, newest fetched first. Never copies on the hot path. */
  get keys(): readonly KeyObject[] {
    return this.#keys;
  }

  get canFetch(): boolean {
    return this.#options.url !== undefined;
  }

  /** Starts a background refresh when the fetched key is due for one. Never blocks. */
  refreshIfDue(): void {
    if (this.#options.url === undefined || this.#now() < this.#nextRefresh || this.#inFlight) return;
    void this.fetch();
  }

  /**
   * Called after a signature failed against every key. Fetches again unless a fetch happened within
   * the last `minRefetchIntervalMs`; resolves `true` when the key set changed and the caller should
   * retry. A flood of forged requests therefore costs at most one download per interval.
   */
  refetchAfterFailure(): Promise<boolean> | false {
    if (this.#options.url === undefined) return false;
    if (this.#inFlight) return this.#inFlight;
    if (this.#now() - this.#lastAttempt < this.#refetchInterval()) return false;
    return this.fetch();
  }

  /**
   * With no key at all every request is refused, so a server whose first download failed (a network
   * blip at start-up) retries sooner: every 5 s at most, still one download at a time.
   */
  #refetchInterval(): number {
    const { minRefetchIntervalMs } = this.#options;
    return this.#keys.length === 0
      ? Math.min(minRefetchIntervalMs, NO_KEY_REFETCH_INTERVAL_MS)
      : minRefetchIntervalMs;
  }

  /** Single-flight download; resolves whether a new key was added. */
  fetch(): Promise<boolean> {
    const url = this.#options.url;
    if (url === undefined) return Promise.resolve(false);
    this.#inFlight ??= this.#download(url).finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #download(url: URL): Promise<boolean> {
    this.#lastAttempt = this.#now();
    const { logger } = this.#options;
    try {
      const pem = await fetchText(url, this.#options.fetch);
      const key = toPublicKey(pem);
      this.#nextRefresh = this.#now() + this.#options.refreshIntervalMs;
      this.#failuresInARow = 0;
      if (this.#keys.some((known) => known.equals(key))) return false;
      // Keep the previous fetched key too: CEK may still send requests signed with it for a while.
      this.#fetched = [key, ...this.#fetched].slice(0, 2);
      this.#keys = [...this.#fetched, ...this.#pinned];
      logger.info('cekit: fetched a new CEK public key', { url: url.href, trusted: this.#keys.length });
      return true;
    } catch (error) {
      // Retry the background refresh later rather than on the next request, backing off (1, 2, 4 ...
      // refetch intervals, at most the refresh interval) so a server that cannot reach the key URL
      // (offline, firewalled) does not log a warning every minute forever.
      const { minRefetchIntervalMs, refreshIntervalMs } = this.#options;
      const backoff = minRefetchIntervalMs * 2 ** Math.min(this.#failuresInARow++, 20);
      this.#nextRefresh = this.#now() + Math.min(backoff, refreshIntervalMs);
      const reason = error instanceof FetchTextError ? error.reason : 'invalid-key';
      logger.warn('cekit: could not fetch the CEK public key; keeping the keys already trusted', {
        url: url.href,
        reason,
        trusted: this.#keys.length,
        ...describeError(error),
      });
      return false;
    }
  }
}
