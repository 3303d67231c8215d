import type { Logger } from '../core/logger.js';
import { describeError } from '../core/logger.js';
import {
  fetchIfChanged,
  FetchTextError,
  type Downloaded,
  type FetchTextOptions,
  type Validators,
} from './fetch-text.js';
import { sameKey, toPublicKey, type PublicKey } from './rsa.js';

export interface KeyStoreOptions {
  /** Keys trusted for the lifetime of the process (bundled key, user keys). */
  pinned: readonly PublicKey[];
  /** Where the current key is published; `undefined` disables fetching. */
  url: URL | undefined;
  fetch: FetchTextOptions;
  /** Least time between the starts of two downloads triggered by failed signatures. */
  minRefetchIntervalMs: number;
  /** How long after its failure a request may wait for such a download to start. */
  maxRefetchWaitMs: number;
  /** A successful request also refreshes the fetched key in the background this often. */
  refreshIntervalMs: number;
  logger: Logger;
  now?: () => number;
}

/** With no key at all every request is refused, so failed downloads are retried at least this often. */
const NO_KEY_REFETCH_INTERVAL_MS = 5000;
/** Failure-triggered downloads after failed ones back off up to this (one warning a minute at most). */
const FAILED_REFETCH_MAX_INTERVAL_MS = 60_000;
/**
 * A background refresh is started on a timer, after the answer of the request that found it due. A
 * runtime may drop that timer (Workers cancel the timers of a request once it has answered); after
 * this long the refresh counts as not scheduled, and the next request schedules it again.
 */
const REFRESH_SCHEDULE_LOST_MS = 1000;

/**
 * The set of keys a signature is checked against: the pinned ones plus the last two fetched ones
 * (so requests signed just before a rotation still verify). Downloads are single-flight and
 * conditional (a 304 when the key is unchanged), failure-triggered ones are spaced out, and a failed
 * download never removes a key that worked.
 *
 * Every download gets a sequence number, so a request can tell whether the download it waited for
 * started after it failed, i.e. had the chance to see a key CEK rotated to just before.
 */
export class KeyStore {
  #pinned: readonly PublicKey[];
  #fetched: PublicKey[] = [];
  #keys: readonly PublicKey[];
  #validators: Validators = {};
  #inFlight: Promise<number> | undefined;
  #started = 0;
  /** A failure-triggered download waiting for its slot; every request that fails meanwhile joins it. */
  #scheduled: Promise<number> | undefined;
  /** Earliest start of the next failure-triggered download. Start-up and refreshes do not move it. */
  #nextRefetch = Number.NEGATIVE_INFINITY;
  #nextRefresh = Number.NEGATIVE_INFINITY;
  /** When a background refresh was last put on a timer (see REFRESH_SCHEDULE_LOST_MS). */
  #refreshScheduledAt = Number.NEGATIVE_INFINITY;
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
  get keys(): readonly PublicKey[] {
    return this.#keys;
  }

  get canFetch(): boolean {
    return this.#options.url !== undefined;
  }

  /** How many downloads have started so far; compare with the number a download resolves with. */
  get started(): number {
    return this.#started;
  }

  now(): number {
    return this.#now();
  }

  /**
   * Starts a background refresh when the fetched key is due for one. Never blocks: the download
   * starts on a timer, after the answer of the request that found it due, so that request never pays
   * for it (loading the TLS stack, opening the connection), not even the first one after a cold start.
   */
  refreshIfDue(): void {
    if (this.#options.url === undefined || this.#inFlight) return;
    const now = this.#now();
    if (now < this.#nextRefresh || now - this.#refreshScheduledAt < REFRESH_SCHEDULE_LOST_MS) return;
    this.#refreshScheduledAt = now;
    unrefTimer(
      setTimeout(() => {
        this.#refreshScheduledAt = Number.NEGATIVE_INFINITY;
        if (this.#now() >= this.#nextRefresh) void this.fetch();
      }, 0),
    );
  }

  /**
   * Called after a signature failed against every key at `failedAt` (and again if the download it
   * got had started before that). Returns the download to wait for, resolving with its sequence
   * number: the running one, a new one, or the next failure-triggered one when its slot
   * (`minRefetchIntervalMs` after the previous one started) opens within `maxRefetchWaitMs` of
   * `failedAt`. `false` when nothing can start that soon: the request is refused rather than kept
   * past CEK's deadline. So a request waits at most `maxRefetchWaitMs` plus one download, and a
   * flood of forged requests costs at most one download per interval.
   */
  refetchAfterFailure(failedAt: number): Promise<number> | false {
    if (this.#options.url === undefined) return false;
    const latest = failedAt + this.#options.maxRefetchWaitMs;
    const now = this.#now();
    if (now > latest) return false;
    if (this.#inFlight) return this.#inFlight;
    if (this.#nextRefetch > latest) return false;
    if (this.#scheduled) return this.#scheduled;
    if (this.#nextRefetch <= now) return this.#start(true);
    this.#scheduled = delay(this.#nextRefetch - now).then(() => {
      this.#scheduled = undefined;
      return this.#start(true);
    });
    return this.#scheduled;
  }

  /** Single-flight download (start-up, background refresh); resolves with its sequence number. */
  fetch(): Promise<number> {
    return this.#start(false);
  }

  #start(afterFailure: boolean): Promise<number> {
    const url = this.#options.url;
    if (url === undefined) return Promise.resolve(this.#started);
    this.#inFlight ??= this.#download(url, ++this.#started, afterFailure).finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #download(url: URL, sequence: number, afterFailure: boolean): Promise<number> {
    const startedAt = this.#now();
    // Provisional: the slot is final once the outcome is known, but no one can start before then.
    if (afterFailure) this.#nextRefetch = startedAt + this.#options.minRefetchIntervalMs;
    try {
      const downloaded = await fetchIfChanged(url, this.#options.fetch, this.#validators);
      if (downloaded !== undefined) this.#accept(url, downloaded);
      this.#nextRefresh = this.#now() + this.#options.refreshIntervalMs;
      this.#failuresInARow = 0;
    } catch (error) {
      this.#failed(url, error, afterFailure);
    }
    return sequence;
  }

  /** Parses a downloaded key (throws when it is not an RSA key) and trusts it if it is new. */
  #accept(url: URL, downloaded: Downloaded): void {
    const key = toPublicKey(downloaded.text);
    this.#validators = downloaded.validators;
    if (this.#keys.some((known) => sameKey(known, key))) return;
    // Keep the previous fetched key too: CEK may still send requests signed with it for a while.
    this.#fetched = [key, ...this.#fetched].slice(0, 2);
    this.#keys = [...this.#fetched, ...this.#pinned];
    this.#options.logger.info('cekit: fetched a new CEK public key', {
      url: url.href,
      trusted: this.#keys.length,
    });
  }

  /**
   * Retries later rather than on the next request, backing off (1, 2, 4 ... refetch intervals) so a
   * server that cannot reach the key URL (offline, firewalled) does not log a warning per interval
   * forever: the background refresh up to the refresh interval, failure-triggered downloads up to a
   * minute, or 5 s while there is no key at all (every request is refused, so heal a start-up blip fast).
   */
  #failed(url: URL, error: unknown, afterFailure: boolean): void {
    const { minRefetchIntervalMs, refreshIntervalMs, logger } = this.#options;
    const backoff = minRefetchIntervalMs * 2 ** Math.min(this.#failuresInARow++, 20);
    this.#nextRefresh = this.#now() + Math.min(backoff, refreshIntervalMs);
    if (afterFailure) {
      const limit =
        this.#keys.length === 0
          ? Math.min(minRefetchIntervalMs, NO_KEY_REFETCH_INTERVAL_MS)
          : Math.max(minRefetchIntervalMs, FAILED_REFETCH_MAX_INTERVAL_MS);
      this.#nextRefetch = this.#now() + Math.min(backoff, limit);
    }
    const reason = error instanceof FetchTextError ? error.reason : 'invalid-key';
    logger.warn('cekit: could not fetch the CEK public key; keeping the keys already trusted', {
      url: url.href,
      reason,
      trusted: this.#keys.length,
      ...describeError(error),
    });
  }
}

/** A timer that does not keep the process alive by itself (a waiting request holds a socket anyway). */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => unrefTimer(setTimeout(resolve, ms)));
}

/** `unref()` where timers have it (Node, Bun); Deno and Workers return a number instead. */
function unrefTimer(timer: unknown): void {
  (timer as { unref?: () => void } | undefined)?.unref?.();
}
