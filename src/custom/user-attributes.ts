import { StoreError } from '../storage/errors.js';
import { checkSize, checkStorable, DEFAULT_MAX_BYTES, fromStoredJson } from '../storage/json-text.js';
import type { UserRecord, UserStore } from '../storage/store.js';

/** How long a user is held when the request has no deadline (dispatched outside an endpoint). */
const HOLD_WITHOUT_DEADLINE_MS = 6500;
/**
 * Kept back from the budget when waiting for a user another request holds, so the handler (or
 * `onError`) still answers in its own words instead of the endpoint's timeout fallback.
 */
const ANSWER_RESERVE_MS = 500;

/** What the request's dispatch context tells about time: read only when attributes are loaded. */
export interface RequestTime {
  readonly signal: AbortSignal;
  readonly deadline?: number;
}

/**
 * Persistent attributes of the current user, loaded on first use and saved after the handler only if
 * they changed. The id is the speaking user (`session.user`), else the device owner (`context.System.user`).
 *
 * Loading takes the user: another request for the same user (in any process sharing the store) waits
 * until this one has answered and saved, so no change is lost. The hold ends when the answer is
 * built, when the handler fails (nothing is written), or when the budget runs out.
 */
export class UserAttributes<U extends object> {
  /** The one load of this request: concurrent `load()` calls share it, so no change is lost. */
  #pending: Promise<Partial<U>> | undefined;
  #record: UserRecord | undefined;
  #loaded: Partial<U> | undefined;
  #snapshot: string | undefined;
  #deleted = false;
  /** Set once the request has let go of the user: a load still waiting then lets go at once. */
  #closed = false;

  constructor(
    /** CLOVA user id; undefined when the request carries none (then load() gives `{}` and nothing is saved). */
    readonly id: string | undefined,
    private readonly store: UserStore | undefined,
    private readonly time: RequestTime,
  ) {}

  /** The attributes object; mutate it and cekit saves it. Loaded once per request. */
  load(): Promise<Partial<U>> {
    this.#pending ??= this.#open();
    return this.#pending;
  }

  /**
   * Removes everything stored for the user (answer `ClovaSkill.SkillDisabled` with this, spec §3.4.1).
   * The removal is written with the answer; what is set after it is stored instead.
   */
  async delete(): Promise<void> {
    await this.load();
    const empty: Partial<U> = {};
    this.#loaded = empty;
    this.#deleted = true;
    this.#pending = Promise.resolve(empty); // later load() calls see the fresh object
  }

  /** Whether `load()` (or `delete()`) was called during this request. */
  get isLoaded(): boolean {
    return this.#pending !== undefined;
  }

  /** @internal Writes back when loaded and changed (or deleted), then lets go of the user. */
  async save(): Promise<boolean> {
    if (this.#pending === undefined) return false;
    try {
      await this.#pending;
    } catch {
      return false; // the load failed and the handler caught it: nothing to save, its answer stands
    }
    const record = this.#take();
    if (record === undefined) return false;
    let json: string | undefined;
    try {
      checkStorable(this.#loaded);
      json = JSON.stringify(this.#loaded);
      if (!this.#deleted && json === this.#snapshot) {
        await record.release();
        return false;
      }
      if (this.#deleted && json === '{}')
        json = undefined; // nothing set since delete(): remove the entry
      else checkSize(json, this.store?.maxBytes ?? DEFAULT_MAX_BYTES);
    } catch (error) {
      await record.release();
      throw error;
    }
    await record.commit(json);
    return true;
  }

  /** @internal Lets go of the user without writing (the handler failed or the budget ran out). */
  async discard(): Promise<void> {
    this.#closed = true;
    await this.#take()?.release();
  }

  /** The record, once: whoever takes it ends the hold. */
  #take(): UserRecord | undefined {
    const record = this.#record;
    this.#record = undefined;
    return record;
  }

  async #open(): Promise<Partial<U>> {
    // Nothing to hold: no record is taken, so save() writes nothing.
    if (this.id === undefined || !this.store) return (this.#loaded = {});
    const { signal, deadline } = this.time;
    const now = performance.now();
    const holdMs = Math.max(0, (deadline ?? now + HOLD_WITHOUT_DEADLINE_MS) - now);
    const record = await openWithin(this.store, this.id, signal, holdMs);
    if (this.#closed || signal.aborted) {
      await record.release(); // the request is over: its answer went out without these attributes
      throw new StoreError('STORE_LOCK_TIMEOUT', 'The request ended before the user attributes were loaded.');
    }
    let loaded: Partial<U>;
    try {
      loaded = record.json === undefined ? {} : (fromStoredJson(record.json) as Partial<U>);
    } catch (error) {
      await record.release();
      throw error;
    }
    this.#record = record;
    // A handler that hangs past the budget must not keep the user from everyone else.
    signal.addEventListener('abort', () => void this.discard(), { once: true });
    this.#loaded = loaded;
    this.#snapshot = record.json === undefined ? '{}' : JSON.stringify(loaded);
    return loaded;
  }
}

/** `store.open()` waiting at most until shortly before the deadline, or until the budget aborts. */
async function openWithin(
  store: UserStore,
  userId: string,
  budget: AbortSignal,
  holdMs: number,
): Promise<UserRecord> {
  const wait = new AbortController();
  const stop = () => wait.abort();
  const timer = setTimeout(stop, Math.max(0, holdMs - ANSWER_RESERVE_MS));
  budget.addEventListener('abort', stop, { once: true });
  try {
    return await store.open(userId, { signal: wait.signal, holdMs });
  } finally {
    clearTimeout(timer);
    budget.removeEventListener('abort', stop);
  }
}
