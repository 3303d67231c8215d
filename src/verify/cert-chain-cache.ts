import { RejectionError } from '../core/errors.js';
import type { ValidatedChain } from './cert-chain-validate.js';

export interface CachedChain extends ValidatedChain {
  /** After this time the chain is downloaded again even if still valid (picks up a replaced chain). */
  readonly refreshAt: number;
}

export interface ChainCacheOptions {
  maxEntries: number;
  /** How long a validated chain is reused before it is downloaded again. */
  ttlMs: number;
  /** How long a failed URL is answered from memory instead of downloading again. */
  failureTtlMs: number;
  /** Downloads in progress at once, over all URLs; beyond that requests are refused. */
  maxConcurrent: number;
  now: () => number;
}

interface Failure {
  readonly error: RejectionError;
  readonly until: number;
}

/**
 * Validated chains keyed by the EXACT header string (so the warm path is one map lookup, before
 * any URL parsing; only strings that passed every check get in). Bounded: least recently used
 * entries go first. Loads are single-flight per key, failures are remembered briefly so a flood of
 * requests naming a bad URL costs one download, and the number of downloads at once is capped so
 * a flood of distinct URLs cannot open unbounded connections.
 */
export class ChainCache {
  readonly #ready = new Map<string, CachedChain>();
  readonly #pending = new Map<string, Promise<CachedChain>>();
  readonly #failures = new Map<string, Failure>();
  readonly #options: ChainCacheOptions;
  /** The most recently used key of `#ready`. */
  #newest: string | undefined;

  constructor(options: ChainCacheOptions) {
    this.#options = options;
  }

  /** The cached chain for this exact URL string, unless it is due for a refresh. Marks it recently used. */
  get(key: string, now: number): CachedChain | undefined {
    const entry = this.#ready.get(key);
    if (entry === undefined) return undefined;
    if (now >= entry.refreshAt) {
      this.#ready.delete(key);
      return undefined;
    }
    // Map iteration order is insertion order: re-inserting makes this the most recently used. CEK
    // uses one URL at a time, so the common hit is already the newest and skips the re-insert.
    if (key !== this.#newest) {
      this.#ready.delete(key);
      this.#ready.set(key, entry);
      this.#newest = key;
    }
    return entry;
  }

  /** Drops a chain, e.g. one found past its validity. */
  delete(key: string): void {
    this.#ready.delete(key);
  }

  /**
   * Runs `load` for `key` unless a load for it is already running (then shares it) or failed
   * recently (then rethrows that failure without loading).
   */
  load(key: string, now: number, load: () => Promise<ValidatedChain>): Promise<CachedChain> {
    const running = this.#pending.get(key);
    if (running) return running;
    const failure = this.#failures.get(key);
    if (failure && now < failure.until) return Promise.reject(failure.error);
    if (failure) this.#failures.delete(key);
    if (this.#pending.size >= this.#options.maxConcurrent) {
      return Promise.reject(
        new RejectionError('CERT_CHAIN_UNAVAILABLE', 'Too many certificate downloads in progress.'),
      );
    }
    const promise = load().then(
      (chain) => {
        this.#pending.delete(key);
        const cached: CachedChain = { ...chain, refreshAt: this.#options.now() + this.#options.ttlMs };
        this.#remember(this.#ready, key, cached);
        this.#newest = key;
        return cached;
      },
      (error: unknown) => {
        this.#pending.delete(key);
        if (error instanceof RejectionError) {
          const until = this.#options.now() + this.#options.failureTtlMs;
          this.#remember(this.#failures, key, { error, until });
        }
        throw error;
      },
    );
    this.#pending.set(key, promise);
    return promise;
  }

  clear(): void {
    this.#newest = undefined;
    this.#ready.clear();
    this.#failures.clear();
  }

  #remember<T>(map: Map<string, T>, key: string, value: T): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > this.#options.maxEntries) {
      const oldest = map.keys().next();
      if (!oldest.done) map.delete(oldest.value);
    }
  }
}
