import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fileStore,
  keyValueStore,
  memoryStore,
  silentLogger,
  StoreError,
  type KeyValueStore,
  type UserStore,
} from 'cekit';
import { storeConformance, type StoreCheck } from 'cekit/testing';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'cekit-conformance-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** Runs every check (at once: they use their own user ids) and returns the failures by name. */
async function failures(checks: StoreCheck[]): Promise<Record<string, string>> {
  const failed: Record<string, string> = {};
  await Promise.all(
    checks.map(async (check) => {
      try {
        await check.run();
      } catch (error) {
        failed[check.name] = (error as Error).message;
      }
    }),
  );
  return failed;
}

/** The names of the checks, found by a word of each, so a renamed check fails here loudly. */
function named<const W extends readonly string[]>(...words: W): { [K in keyof W]: string } {
  const names = storeConformance(() => memoryStore(), { crossProcess: true }).map((check) => check.name);
  return words.map((word) => {
    const found = names.filter((name) => name.includes(word));
    if (found.length !== 1) throw new Error(`"${word}" names ${found.length} checks: ${found.join(', ')}`);
    return found[0]!;
  }) as { [K in keyof W]: string };
}

const [
  RELEASE,
  EXCLUSIVE,
  ABORTED_WAITER,
  ALREADY_ABORTED,
  CONCURRENT,
  TRICKY,
  ROUND_TRIP,
  VANISHED,
  FENCED,
] = named(
  'release leaves',
  'second open of the same user waits',
  'aborted waiter',
  'already-aborted',
  'concurrent increments',
  'tricky user ids',
  'commit then open',
  'never ended',
  'STORE_LOCK_LOST',
);

const mapStore = (values = new Map<string, string>()): KeyValueStore => ({
  get: async (userId) => values.get(userId),
  set: async (userId, json) => void values.set(userId, json),
  delete: async (userId) => void values.delete(userId),
});

describe('storeConformance: the built-in stores pass', () => {
  describe('memoryStore()', () => {
    for (const check of storeConformance(() => memoryStore())) it(check.name, check.run);
  });

  describe('fileStore({ directory })', () => {
    for (const check of storeConformance(() => fileStore({ directory, logger: silentLogger })))
      it(check.name, check.run);
  });

  describe('keyValueStore over a Map (one store shared by every check)', () => {
    const store = keyValueStore(mapStore());
    for (const check of storeConformance(() => store)) it(check.name, check.run);
  });

  it('the whole kit takes well under 2 s on memoryStore()', async () => {
    const started = performance.now();
    expect(await failures(storeConformance(() => memoryStore()))).toEqual({});
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('names each check once, and adds the cross-process ones only when asked', () => {
    const local = storeConformance(() => memoryStore()).map((check) => check.name);
    const shared = storeConformance(() => memoryStore(), { crossProcess: true }).map((check) => check.name);
    expect(new Set(shared).size).toBe(shared.length);
    expect(shared.filter((name) => !local.includes(name))).toEqual([VANISHED, FENCED]);
  });
});

/**
 * A database several processes share, with no lock that waits: each "process" (one `connect()`)
 * polls for a per-user lease that lasts `holdMs`, the way a store over Redis or a table works.
 * `fenced: false` is the classic bug: a holder whose lease ran out still writes and still frees.
 */
function leaseDatabase() {
  const values = new Map<string, string>();
  const leases = new Map<string, { token: string; until: number }>();
  return (options: { fenced: boolean }): UserStore => ({
    async open(userId, { signal, holdMs }) {
      for (;;) {
        if (signal.aborted) throw new StoreError('STORE_LOCK_TIMEOUT', 'Gave up waiting for the user.');
        const lease = leases.get(userId);
        if (lease === undefined || lease.until <= performance.now()) break;
        await sleep(2);
      }
      const token = randomUUID();
      leases.set(userId, { token, until: performance.now() + holdMs });
      const mine = () => {
        const lease = leases.get(userId);
        return lease?.token === token && lease.until > performance.now();
      };
      return {
        json: values.get(userId),
        async commit(json) {
          if (options.fenced && !mine()) throw new StoreError('STORE_LOCK_LOST', 'The hold expired.');
          if (json === undefined) values.delete(userId);
          else values.set(userId, json);
          if (!options.fenced || mine()) leases.delete(userId);
        },
        async release() {
          if (!options.fenced || mine()) leases.delete(userId);
        },
      };
    },
  });
}

describe('storeConformance: a correct cross-process store passes (leases with fencing)', () => {
  const connect = leaseDatabase();
  for (const check of storeConformance(() => connect({ fenced: true }), { crossProcess: true }))
    it(check.name, check.run);
});

describe('storeConformance catches broken stores', () => {
  it('a store that does not lock: the exclusion checks fail, the others pass', async () => {
    const values = new Map<string, string>();
    const unlocked: UserStore = {
      async open(userId) {
        return {
          json: values.get(userId),
          commit: async (json) =>
            void (json === undefined ? values.delete(userId) : values.set(userId, json)),
          release: async () => undefined,
        };
      },
    };
    const failed = await failures(storeConformance(() => unlocked));
    expect(Object.keys(failed).sort()).toEqual(
      [RELEASE, EXCLUSIVE, ABORTED_WAITER, ALREADY_ABORTED, CONCURRENT].sort(),
    );
    expect(failed[EXCLUSIVE]).toMatch(/resolved at once; it must wait/);
    expect(failed[CONCURRENT]).toMatch(/ended at \d+: \d+ updates were lost/);
    expect(failed[ALREADY_ABORTED]).toMatch(/resolved; it must reject/);
  });

  it('a store that lets go before its write lands: a commit is lost to the next reader', async () => {
    const values = new Map<string, string>();
    const writeBehind = keyValueStore({
      ...mapStore(values),
      set: async (userId, json) => void setTimeout(() => values.set(userId, json), 20),
    });
    const failed = await failures(storeConformance(() => writeBehind));
    expect(Object.keys(failed)).toEqual(expect.arrayContaining([ROUND_TRIP, EXCLUSIVE, CONCURRENT]));
    expect(failed[ROUND_TRIP]).toMatch(/was undefined, expected/);
    expect(failed[EXCLUSIVE]).toMatch(/read by the waiter after the holder committed was undefined/);
  });

  it('a store whose waiters ignore the signal: the abort checks fail', async () => {
    const inner = keyValueStore(mapStore());
    const never = new AbortController().signal;
    const deaf: UserStore = { open: (userId, options) => inner.open(userId, { ...options, signal: never }) };
    const failed = await failures(storeConformance(() => deaf));
    expect(Object.keys(failed).sort()).toEqual([ABORTED_WAITER, ALREADY_ABORTED].sort());
    expect(failed[ABORTED_WAITER]).toMatch(/still waiting \d+ ms later/);
  });

  it('a store keyed by a plain object: __proto__ is not kept apart', async () => {
    const values: Record<string, string> = {};
    const naive = keyValueStore({
      get: async (userId) => values[userId],
      set: async (userId, json) => void (values[userId] = json),
      delete: async (userId) => void delete values[userId],
    });
    const failed = await failures(storeConformance(() => naive));
    expect(Object.keys(failed)).toEqual([TRICKY]);
    expect(failed[TRICKY]).toMatch(/^Store conformance: user ids were not kept apart: "__proto__" read /);
  });

  it('a store that mixes up ids differing in case or normalisation, or cuts long ones', async () => {
    const inner = keyValueStore(mapStore());
    const folding: UserStore = {
      open: (userId, options) =>
        inner.open(userId.normalize('NFC').toLowerCase().trim().slice(0, 255), options),
    };
    const failed = await failures(storeConformance(() => folding));
    expect(Object.keys(failed)).toEqual([TRICKY]);
    // The last of each set of twins written reads its own value; the others read it too.
    for (const id of ['"User" read', '"user" read', '"caf\u00e9" read', 'uuu" (500 characters) read'])
      expect(failed[TRICKY]).toContain(id);
  });

  it('a store that refuses large values (or mangles Unicode) fails the round trips', async () => {
    const inner = memoryStore();
    const small: UserStore = {
      maxBytes: inner.maxBytes,
      async open(userId, options) {
        const record = await inner.open(userId, options);
        return {
          json: record.json,
          release: () => record.release(),
          // A database column in a legacy encoding: what is not Latin-1 comes back as '?'.
          commit: (json) => record.commit(json?.slice(0, 1000).replace(/[\u0100-\uffff]/g, '?')),
        };
      },
    };
    const failed = await failures(storeConformance(() => small));
    expect(Object.keys(failed)).toEqual(
      expect.arrayContaining([...named('Japanese, Korean', 'maxBytes round-trips')]),
    );
  });
});

describe('storeConformance catches stores that do not hold across processes', () => {
  it('one process-local store per "process" (memoryStore): the exclusion and expiry checks fail', async () => {
    const failed = await failures(storeConformance(() => memoryStore(), { crossProcess: true }));
    expect(Object.keys(failed)).toEqual(expect.arrayContaining([EXCLUSIVE, CONCURRENT, VANISHED]));
    expect(failed[VANISHED]).toMatch(/got the user after \d+ ms, before the first hold expired/);
  });

  it('fileStore on one directory from two processes: no exclusion, as its guide says', async () => {
    const shared = await mkdtemp(join(directory, 'shared-'));
    const failed = await failures(
      storeConformance(() => fileStore({ directory: shared, logger: silentLogger }), { crossProcess: true }),
    );
    expect(Object.keys(failed)).toEqual(expect.arrayContaining([EXCLUSIVE, VANISHED]));
  });

  it('leases without fencing: a late commit overwrites and a late release frees the successor', async () => {
    const connect = leaseDatabase();
    const failed = await failures(storeConformance(() => connect({ fenced: false }), { crossProcess: true }));
    expect(Object.keys(failed).sort()).toEqual([FENCED, VANISHED].sort());
    expect(failed[FENCED]).toMatch(/resolved; it must reject/);
    expect(failed[VANISHED]).toMatch(/resolved at once; it must wait/);
  });

  it('a lock shared by the "processes" that never expires: a vanished holder keeps the user', async () => {
    const inner = keyValueStore(mapStore());
    const failed = await failures(
      storeConformance(() => ({ open: (userId, options) => inner.open(userId, options) }), {
        crossProcess: true,
      }),
    );
    expect(Object.keys(failed).sort()).toEqual([FENCED, VANISHED].sort());
    expect(failed[VANISHED]).toMatch(/STORE_LOCK_TIMEOUT/);
  });

  it('makeStore returning the same store twice is refused with a clear message', async () => {
    const store = memoryStore();
    const [first] = storeConformance(() => store, { crossProcess: true });
    await expect(first!.run()).rejects.toThrow(/returned the same store twice/);
  });

  it('makeStore returning something else than a store is refused', async () => {
    const [first] = storeConformance(() => ({}) as UserStore);
    await expect(first!.run()).rejects.toThrow(/did not return a UserStore/);
    expect(() => storeConformance(undefined as never)).toThrow(TypeError);
  });
});
