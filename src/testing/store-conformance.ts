import { randomUUID } from 'node:crypto';
import type { UserRecord, UserStore } from '../storage/store.js';

/** One property every `UserStore` must have, as a named check a test runner can run. */
export interface StoreCheck {
  /** What the check proves, as a test title. */
  readonly name: string;
  /** Resolves when the store passes; rejects with an `Error` saying what it did wrong. Safe to pass unbound. */
  run(): Promise<void>;
}

export interface StoreConformanceOptions {
  /**
   * The store is shared by several processes. `makeStore` is then called twice per check, and each
   * call must return a new store over the same database: the exclusion checks run across the two, as
   * two processes would, and two checks are added: a vanished holder's hold ends after `holdMs`, and
   * its late commit is refused with `STORE_LOCK_LOST`.
   */
  crossProcess?: boolean;
}

/** Default `maxBytes` of a store that does not say (the built-in stores' default). */
const DEFAULT_MAX_BYTES = 64 * 1024;
/** The largest value the size check builds, for a store with a very large (or no) limit. */
const LARGEST_CHECKED_BYTES = 4 * 1024 * 1024;
/** How long an open that must succeed may take before the check gives up (ms). */
const OPEN_MS = 3000;
/** How long an open that must wait is watched to see that it does (ms). */
const WATCH_MS = 100;
/** How long a waiter may take to give up once its signal aborts (ms). */
const GIVE_UP_MS = 1000;
/** The `holdMs` of the holder that vanishes, in the cross-process checks. */
const SHORT_HOLD_MS = 300;
/** Requests in the concurrent-increment check. */
const CONCURRENT = 50;

/**
 * Checks that a `UserStore` keeps the contract cekit relies on: reads what was committed, lets one
 * request at a time hold a user, gives up waiting when told to, and keeps every user id apart. Runs
 * under any test runner; each check opens users with fresh random ids, so one store (or database)
 * may serve them all.
 *
 * @example
 * for (const check of storeConformance(() => myStore())) it(check.name, check.run);
 */
export function storeConformance(
  makeStore: () => UserStore | Promise<UserStore>,
  options: StoreConformanceOptions = {},
): StoreCheck[] {
  if (typeof makeStore !== 'function')
    throw new TypeError('storeConformance(makeStore): makeStore must be a function returning a UserStore.');
  const crossProcess = options.crossProcess === true;

  /** The store a check works on, and the one its contenders use (another "process" when crossProcess). */
  async function stores(): Promise<{ store: UserStore; other: UserStore }> {
    const store = await made();
    if (!crossProcess) return { store, other: store };
    const other = await made();
    if (other === store)
      throw new Error(
        'crossProcess: makeStore() returned the same store twice. Return a new store over the same database on ' +
          'each call, so the checks can stand for two processes.',
      );
    return { store, other };
  }

  async function made(): Promise<UserStore> {
    const store = await makeStore();
    if (typeof store?.open !== 'function')
      throw new Error('makeStore() did not return a UserStore: it has no open() method.');
    return store;
  }

  const check = (name: string, body: (holds: Holds) => Promise<void>): StoreCheck => ({
    name,
    run: async () => {
      const holds = new Holds();
      try {
        await body(holds);
      } finally {
        await holds.releaseAll();
      }
    },
  });

  const checks: StoreCheck[] = [
    check('an unknown user opens with json undefined', async (holds) => {
      const { store } = await stores();
      const record = await holds.open(store, freshId('unknown'));
      if (record.json !== undefined)
        fail(`open() of a user nothing was stored for gave json ${show(record.json)}, expected undefined.`);
      await holds.release(record);
    }),

    check('commit then open reads the same JSON', async (holds) => {
      const { store } = await stores();
      await roundTrip(holds, store, freshId('round-trip'), {
        name: 'Hanako',
        visits: 3,
        ratio: 0.1,
        negative: -42,
        big: 2 ** 53,
        tiny: 1.5e-7,
        yes: true,
        no: false,
        nothing: null,
        empty: { list: [], object: {}, text: '' },
        nested: { list: [1, 'two', { three: [3] }], deeper: { deepest: { at: 'bottom' } } },
      });
    }),

    check('JSON in Japanese, Korean and emoji round-trips', async (holds) => {
      const { store } = await stores();
      await roundTrip(holds, store, freshId('unicode'), {
        名前: '山田花子',
        greeting: 'こんにちは、世界。半角ｶﾅと全角１２３',
        korean: '안녕하세요, 세계',
        emoji: '👍🏽 👨‍👩‍👧 🇯🇵',
        combining: 'e\u0301 が', // a base letter and a combining mark, then a precomposed kana
        separators: 'line\u2028paragraph\u2029end',
        escapes: 'quote " backslash \\ slash / tab \t newline \n control \u0001',
        '🔑 key': ['配列', '배열'],
      });
    }),

    check('release leaves the stored value unchanged and lets the next open in', async (holds) => {
      const { store, other } = await stores();
      const userId = freshId('release');
      const value = { kept: 'as it was' };
      await holds.commit(await holds.open(store, userId), JSON.stringify(value));

      const holder = await holds.open(store, userId);
      const waiter = holds.openLater(other, userId);
      await expectPending(waiter, 'a second open of a user another open holds');
      await holds.release(holder);
      const next = await within(waiter, OPEN_MS, 'the open waiting for a released user');
      expectJson(next.json, value, 'after a release');
      await holds.release(next);

      const unknown = freshId('release-unknown');
      await holds.release(await holds.open(store, unknown));
      const again = await holds.open(store, unknown);
      if (again.json !== undefined)
        fail(`releasing an unknown user stored ${show(again.json)}; it must write nothing.`);
      await holds.release(again);
    }),

    check('commit(undefined) deletes the stored value', async (holds) => {
      const { store } = await stores();
      const userId = freshId('delete');
      await holds.commit(await holds.open(store, userId), JSON.stringify({ doomed: true }));
      await holds.commit(await holds.open(store, userId), undefined);
      const after = await holds.open(store, userId);
      if (after.json !== undefined)
        fail(`after commit(undefined) the next open gave json ${show(after.json)}, expected undefined.`);
      // Deleting what is not there is not an error (SkillDisabled for a user who never saved anything).
      await holds.commit(after, undefined);
    }),

    check(
      'a second open of the same user waits until the first commits, then sees its value',
      async (holds) => {
        const { store, other } = await stores();
        const userId = freshId('exclusive');
        const first = await holds.open(store, userId);
        const second = holds.openLater(other, userId);
        await expectPending(second, 'a second open of a user another open holds');
        const value = { writtenBy: 'the first holder' };
        await holds.commit(first, JSON.stringify(value));
        const record = await within(second, OPEN_MS, 'the open waiting for a committed user');
        expectJson(record.json, value, 'by the waiter after the holder committed');
        await holds.release(record);
      },
    ),

    check('different users do not wait for each other', async (holds) => {
      const { store, other } = await stores();
      await holds.open(store, freshId('held')); // held until the check ends
      const outcome = await settle(holds.openLater(other, freshId('free')), OPEN_MS);
      if (outcome.status === 'pending')
        fail(`open() of a free user was still waiting after ${OPEN_MS} ms while another user was held.`);
      if (outcome.status === 'rejected')
        fail(`open() of a free user failed while another user was held: ${explain(outcome.reason)}`);
    }),

    check('an aborted waiter rejects with STORE_LOCK_TIMEOUT and does not take the user', async (holds) => {
      const { store, other } = await stores();
      const userId = freshId('abort');
      const value = { owner: 'the holder' };
      await holds.commit(await holds.open(store, userId), JSON.stringify(value));
      const holder = await holds.open(store, userId);

      const wait = new AbortController();
      const waiter = holds.openLater(other, userId, { signal: wait.signal });
      await expectPending(waiter, 'a second open of a user another open holds');
      wait.abort();
      const outcome = await settle(waiter, GIVE_UP_MS);
      if (outcome.status === 'pending')
        fail(
          `an open whose signal aborted was still waiting ${GIVE_UP_MS} ms later; it must give up at once.`,
        );
      if (outcome.status === 'fulfilled')
        fail('an open whose signal aborted while another open held the user resolved; it must reject.');
      expectStoreError(outcome.reason, 'STORE_LOCK_TIMEOUT', 'an open whose signal aborted');

      await holds.release(holder);
      const next = await holds.open(store, userId, {
        what: 'the open after an aborted waiter (did the waiter take the user?)',
      });
      expectJson(next.json, value, 'after an aborted waiter');
      await holds.release(next);
    }),

    check('an already-aborted signal rejects at once', async (holds) => {
      const { store } = await stores();
      const userId = freshId('aborted');
      const outcome = await settle(
        holds.openLater(store, userId, { signal: AbortSignal.abort() }),
        GIVE_UP_MS,
      );
      if (outcome.status === 'pending')
        fail(`open() with an already-aborted signal was still pending after ${GIVE_UP_MS} ms.`);
      if (outcome.status === 'fulfilled')
        fail('open() with an already-aborted signal resolved; it must reject.');
      expectStoreError(outcome.reason, 'STORE_LOCK_TIMEOUT', 'open() with an already-aborted signal');
      const next = await holds.open(store, userId, { what: 'the open after one with an aborted signal' });
      await holds.release(next);
    }),

    check(`${CONCURRENT} concurrent increments of one user end at ${CONCURRENT}`, async (holds) => {
      const { store, other } = await stores();
      const userId = freshId('counter');
      const increments = Array.from({ length: CONCURRENT }, async (_, i) => {
        const record = await holds.open(i % 2 === 0 ? store : other, userId, { what: `increment ${i + 1}` });
        const count = record.json === undefined ? 0 : (parse(record.json, 'a counter') as { n: number }).n;
        await holds.commit(record, JSON.stringify({ n: count + 1 }));
      });
      const failures = (await Promise.allSettled(increments)).filter(
        (result) => result.status === 'rejected',
      );
      if (failures.length > 0)
        fail(
          `${failures.length} of ${CONCURRENT} increments failed; the first: ${explain(failures[0]!.reason)}`,
        );
      const record = await holds.open(store, userId);
      const count = record.json === undefined ? 0 : (parse(record.json, 'the counter') as { n: number }).n;
      if (count !== CONCURRENT)
        fail(
          `${CONCURRENT} concurrent open → +1 → commit of one user ended at ${count}: ` +
            `${CONCURRENT - count} updates were lost (two requests held the user at once).`,
        );
      await holds.commit(record, undefined);
    }),

    check('tricky user ids are kept apart', async (holds) => {
      const { store } = await stores();
      // Exact ids, not random ones: their spelling is the point. One at a time, so ids a store mixes up
      // show as a wrong value rather than as one open waiting for the other.
      const token = randomUUID();
      for (const id of TRICKY_IDS)
        await holds.commit(await holds.open(store, id), JSON.stringify({ id, token }));
      const mixed: string[] = [];
      for (const id of TRICKY_IDS) {
        const record = await holds.open(store, id);
        if (record.json === undefined || !jsonEqual(tryParse(record.json), { id, token }))
          mixed.push(`${show(id)} read ${record.json === undefined ? 'nothing' : show(String(record.json))}`);
        await holds.release(record);
      }
      for (const id of TRICKY_IDS) await holds.commit(await holds.open(store, id), undefined);
      if (mixed.length > 0) fail(`user ids were not kept apart: ${mixed.join('; ')}.`);
    }),

    check('JSON of maxBytes round-trips exactly', async (holds) => {
      const { store } = await stores();
      const bytes = Math.min(store.maxBytes ?? DEFAULT_MAX_BYTES, LARGEST_CHECKED_BYTES);
      const json = largeJson(bytes);
      const userId = freshId('large');
      await holds.commit(await holds.open(store, userId), json);
      const record = await holds.open(store, userId);
      if (record.json === undefined) fail(`a ${bytes}-byte value read back as nothing.`);
      if (!jsonEqual(parse(record.json, `the ${bytes}-byte value`), JSON.parse(json)))
        fail(`a ${bytes}-byte value (maxBytes) read back different: ${show(record.json)}.`);
      await holds.commit(record, undefined);
    }),
  ];

  if (crossProcess)
    checks.push(
      check(
        'a hold that is never ended lets go after holdMs, and its late release frees nothing',
        async (holds) => {
          const { store, other } = await stores();
          const userId = freshId('vanished');
          const started = performance.now();
          const vanished = await holds.open(store, userId, { holdMs: SHORT_HOLD_MS }); // its process "crashed"
          const record = await holds.open(other, userId, {
            what: `an open after a hold of ${SHORT_HOLD_MS} ms that was never ended`,
          });
          const waited = performance.now() - started;
          if (waited < SHORT_HOLD_MS / 2)
            fail(
              `the second open got the user after ${Math.round(waited)} ms, before the first hold expired.`,
            );
          // The expired holder coming back to let go must not free the user its successor holds now.
          await holds.release(vanished);
          const third = holds.openLater(store, userId);
          await expectPending(third, 'an open after an expired holder released (its successor still holds)');
          await holds.release(record);
          await holds.release(await within(third, OPEN_MS, 'the open waiting for the successor'));
        },
      ),

      check(
        'a commit after the hold expired is refused with STORE_LOCK_LOST and writes nothing',
        async (holds) => {
          const { store, other } = await stores();
          const userId = freshId('fenced');
          const late = await holds.open(store, userId, { holdMs: SHORT_HOLD_MS });
          const next = await holds.open(other, userId, { what: 'an open after an expired hold' });
          const value = { writtenBy: 'the request that holds the user now' };
          await holds.commit(next, JSON.stringify(value));
          const outcome = await settle(
            holds.commit(late, JSON.stringify({ writtenBy: 'the request whose hold expired' })),
            OPEN_MS,
          );
          if (outcome.status === 'pending') fail(`a late commit was still pending after ${OPEN_MS} ms.`);
          if (outcome.status === 'fulfilled')
            fail(
              'a commit after its hold had expired (and another open had the user) resolved; it must reject.',
            );
          expectStoreError(outcome.reason, 'STORE_LOCK_LOST', 'a commit after its hold expired');
          const record = await holds.open(store, userId);
          expectJson(record.json, value, 'after a late commit was refused (it must not overwrite)');
          await holds.commit(record, undefined);
        },
      ),
    );
  return checks;
}

/**
 * User ids that break stores keying by string naively: object prototype names, paths, SQL, Redis
 * hash tags and key separators, case and Unicode-normalisation twins, trailing space, emoji, length.
 */
const TRICKY_IDS: readonly string[] = [
  '__proto__',
  'constructor',
  'toString',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  "'; DROP TABLE users; --",
  'a}b{c',
  '{a}',
  'x',
  'x:lock',
  'lock:x',
  'User',
  'user',
  'user ',
  'caf\u00e9', // é precomposed
  'cafe\u0301', // e + combining acute: the same text after normalisation, a different id
  '👤ユーザー',
  '사용자',
  'u'.repeat(500),
  `${'u'.repeat(499)}v`, // the same as the one above to a store that cuts ids short
];

/** Commits `value`, opens the user again and compares what it reads. */
async function roundTrip(holds: Holds, store: UserStore, userId: string, value: unknown): Promise<void> {
  await holds.commit(await holds.open(store, userId), JSON.stringify(value));
  const record = await holds.open(store, userId);
  expectJson(record.json, value, 'after a commit');
  await holds.commit(record, undefined);
}

/**
 * The records a check opened, so none is left held when it fails half-way. Every open here gets a
 * signal that gives up after a while, and a timer of its own in case the store ignores the signal.
 */
class Holds {
  readonly #open = new Set<UserRecord>();
  readonly #late: Promise<unknown>[] = [];

  /** Opens `userId`, failing the check (naming `what`) when that does not succeed within `OPEN_MS`. */
  async open(
    store: UserStore,
    userId: string,
    options: { what?: string; holdMs?: number } = {},
  ): Promise<UserRecord> {
    const opening = this.openLater(store, userId, { signal: AbortSignal.timeout(OPEN_MS), ...options });
    // A little longer than the signal: a store that ignores it still fails the check, with this message.
    return within(opening, OPEN_MS + GIVE_UP_MS, options.what ?? `open(${show(userId)})`);
  }

  /** Starts an open; the record it may give is released at the end of the check. */
  openLater(
    store: UserStore,
    userId: string,
    options: { signal?: AbortSignal; holdMs?: number } = {},
  ): Promise<UserRecord> {
    const signal = options.signal ?? AbortSignal.timeout(OPEN_MS);
    const opening = Promise.resolve()
      .then(() => store.open(userId, { signal, holdMs: options.holdMs ?? OPEN_MS * 2 }))
      .then((record) => {
        if (typeof record?.commit !== 'function' || typeof record.release !== 'function')
          throw new Error(`open(${show(userId)}) resolved with something that is not a UserRecord.`);
        this.#open.add(record);
        return record;
      });
    this.#late.push(opening.catch(() => undefined));
    return opening;
  }

  async commit(record: UserRecord, json: string | undefined): Promise<void> {
    this.#open.delete(record);
    await record.commit(json);
  }

  async release(record: UserRecord): Promise<void> {
    this.#open.delete(record);
    await record.release();
  }

  /** Ends every hold still open, including those of opens that resolve later (each given a moment). */
  async releaseAll(): Promise<void> {
    await settle(Promise.all(this.#late), GIVE_UP_MS);
    const records = [...this.#open];
    this.#open.clear();
    await Promise.all(
      records.map((record) =>
        Promise.resolve()
          .then(() => record.release())
          .catch(() => undefined),
      ),
    );
  }
}

type Outcome<T> =
  { status: 'fulfilled'; value: T } | { status: 'rejected'; reason: unknown } | { status: 'pending' };

/** How `promise` stands after at most `ms`. */
async function settle<T>(promise: Promise<T>, ms: number): Promise<Outcome<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Promise<Outcome<T>>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'pending' }), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        (value): Outcome<T> => ({ status: 'fulfilled', value }),
        (reason: unknown): Outcome<T> => ({ status: 'rejected', reason }),
      ),
      pending,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The value of `promise`, or a failure naming `what` when it rejects or takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  const outcome = await settle(promise, ms);
  if (outcome.status === 'fulfilled') return outcome.value;
  if (outcome.status === 'pending') fail(`${what} did not finish within ${ms} ms.`);
  return fail(`${what} failed: ${explain(outcome.reason)}`, outcome.reason);
}

/** Fails when `promise` settles within a short while: it should be waiting. */
async function expectPending(promise: Promise<unknown>, what: string): Promise<void> {
  const outcome = await settle(promise, WATCH_MS);
  if (outcome.status === 'fulfilled')
    fail(`${what} resolved at once; it must wait until the holder commits or releases.`);
  if (outcome.status === 'rejected') fail(`${what} failed instead of waiting: ${explain(outcome.reason)}`);
}

function expectJson(json: string | undefined, expected: unknown, when: string): void {
  if (json === undefined)
    fail(`the stored value read ${when} was undefined, expected ${show(JSON.stringify(expected))}.`);
  if (!jsonEqual(parse(json, `the value read ${when}`), expected))
    fail(`the stored value read ${when} was ${show(json)}, expected ${show(JSON.stringify(expected))}.`);
}

function expectStoreError(error: unknown, code: string, what: string): void {
  const found = error as { name?: unknown; code?: unknown } | null;
  if (found?.name !== 'StoreError' || found.code !== code)
    fail(`${what} must reject with a StoreError ${code}; it rejected with ${explain(error)}.`, error);
}

/** Whether two JSON values are equal; object keys in any order (a database may reorder them). */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a))
    return a.length === (b as unknown[]).length && a.every((item, i) => jsonEqual(item, (b as unknown[])[i]));
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every(
      (key) =>
        Object.prototype.hasOwnProperty.call(b, key) &&
        jsonEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    )
  );
}

function parse(json: string, what: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return fail(`${what} is not JSON: ${show(json)}.`);
  }
}

function tryParse(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

/**
 * A JSON object of exactly `bytes` UTF-8 bytes, mixing 1- to 4-byte characters and escapes, so a
 * store that counts or escapes differently shows it.
 */
function largeJson(bytes: number): string {
  const head = '{"list":[1,-2.5,true,null,"終わり"],"text":"';
  const tail = '"}';
  const piece = JSON.stringify('abc あいう 한국어 😀 "quoted" \\ \n').slice(1, -1);
  const room = bytes - Buffer.byteLength(head + tail);
  if (room < 0) return '{}';
  const pieceBytes = Buffer.byteLength(piece);
  return `${head}${piece.repeat(Math.floor(room / pieceBytes))}${'x'.repeat(room % pieceBytes)}${tail}`;
}

function freshId(label: string): string {
  return `cekit-conformance-${label}-${randomUUID()}`;
}

/** A value for a message: quoted, its middle left out when long (a stored value may be large). */
function show(text: string): string {
  const quoted = JSON.stringify(text);
  if (quoted.length <= 120) return quoted;
  return `${quoted.slice(0, 80)}…${quoted.slice(-30)} (${text.length} characters)`;
}

function explain(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message}`;
  }
  return String(error);
}

function fail(message: string, cause?: unknown): never {
  throw new Error(`Store conformance: ${message}`, cause === undefined ? undefined : { cause });
}
