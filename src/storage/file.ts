import type * as Crypto from 'node:crypto';
import type * as Fs from 'node:fs/promises';
import type * as Os from 'node:os';
import type * as Path from 'node:path';
import { nodeBuiltin } from '../core/builtin.js';
import { describeError, resolveLogger, type Logger } from '../core/logger.js';
import { withAccess, type StoreAccess } from './access.js';
import { DEFAULT_MAX_BYTES } from './json-text.js';
import { keyValueStore } from './key-value.js';
import type { UserStore } from './store.js';

export interface FileStoreOptions {
  /** Directory holding one JSON file per user; created on first write. */
  directory: string;
  /**
   * fsync each write before `set` resolves (the file before the rename, the directory after it), so a
   * value `set` returned for survives power loss, not only a process crash. Default `true`; `false`
   * makes a write roughly 2-3 times faster and leaves the last seconds of writes to the OS.
   */
  durable?: boolean;
  /** Where quarantined files and clean-up failures are reported. Default `consoleLogger()`. */
  logger?: Logger;
  /** The longest JSON (UTF-8 bytes) one user's attributes may take. Default 64 KiB. */
  maxBytes?: number;
}

/** A temporary file older than this is abandoned whoever wrote it: a live write takes milliseconds. */
const ABANDONED_AFTER_MS = 60 * 60 * 1000;
const TEMPORARY = /\.([0-9a-f]{8})-(\d+)-[0-9a-f]+\.tmp$/;

// The Node modules a file store uses, loaded by its first operation (loadNodeModules), not when
// `cekit` is imported: most processes never use a file store, and none needs it at start-up.
let createHash: typeof Crypto.createHash;
let randomBytes: typeof Crypto.randomBytes;
let mkdir: typeof Fs.mkdir;
let open: typeof Fs.open;
let readdir: typeof Fs.readdir;
let rename: typeof Fs.rename;
let rm: typeof Fs.rm;
let stat: typeof Fs.stat;
let join: typeof Path.join;
/** Temporary names carry host and pid, so a store can tell a dead local writer's file from a live one. */
let HOST: string;
let loaded: Promise<void> | undefined;

function loadNodeModules(): Promise<void> {
  return (loaded ??= (async () => {
    const [crypto, fs, os, path] = await Promise.all([
      builtin<typeof Crypto>('node:crypto'),
      builtin<typeof Fs>('node:fs/promises'),
      builtin<typeof Os>('node:os'),
      builtin<typeof Path>('node:path'),
    ]);
    ({ createHash, randomBytes } = crypto);
    ({ mkdir, open, readdir, rename, rm, stat } = fs);
    ({ join } = path);
    HOST = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8);
  })());
}

async function builtin<T>(id: `node:${string}`): Promise<T> {
  const found = nodeBuiltin<T>(id);
  if (found !== undefined) return found;
  // Node 20.0-20.15 have no process.getBuiltinModule. A variable specifier: bundlers leave it alone.
  const specifier: string = id;
  return (await import(specifier)) as T;
}

/**
 * One JSON file per user in `directory`. Writes go to a temporary file that is then renamed over the
 * old one, so a crash mid-write leaves the previous value, never half a file. File names are a hash
 * of the user id: ids never become paths. Requests for one user are serialised inside this process
 * only: processes sharing the directory can lose each other's updates (use `redisStore` or
 * `postgresStore` for several instances).
 */
export function fileStore<T = Record<string, unknown>>(
  options: FileStoreOptions,
): UserStore & StoreAccess<T> {
  const { directory, durable = true, maxBytes = DEFAULT_MAX_BYTES } = options;
  const logger = resolveLogger(options.logger);
  const fileOf = (userId: string) =>
    join(directory, `${createHash('sha256').update(userId).digest('hex').slice(0, 40)}.json`);
  let created: Promise<unknown> | undefined;
  let swept: Promise<void> | undefined;

  /** Removes the temporary files writers killed mid-write left behind (once, on first use). */
  async function sweep(): Promise<void> {
    await loadNodeModules(); // every operation starts here
    try {
      const names = (await readdir(directory)).filter((name) => name.endsWith('.tmp'));
      await Promise.all(
        names.map(async (name) => {
          const path = join(directory, name);
          if (abandoned(name, (await stat(path).catch(() => undefined))?.mtimeMs))
            await rm(path, { force: true });
        }),
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // no directory yet: nothing to clean
      logger.warn('cekit: fileStore could not clean up temporary files', {
        directory,
        ...describeError(error),
      });
    }
  }

  /** Moves an unreadable user file aside (kept for an operator, never logged: it may hold personal data). */
  async function quarantine(file: string, reason: string): Promise<void> {
    const aside = `${file}.corrupt-${new Date().toISOString().replaceAll(':', '-').replace('.', '-')}`;
    try {
      await rename(file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // a concurrent get moved it already
      throw error;
    }
    logger.warn('cekit: fileStore moved an unreadable user file aside; that user starts fresh', {
      file,
      quarantinedAs: aside,
      reason,
    });
  }

  async function syncDirectory(): Promise<void> {
    if (process.platform === 'win32') return; // a directory cannot be opened there; NTFS journals renames
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  const store = keyValueStore({
    async get(userId) {
      await (swept ??= sweep());
      const file = fileOf(userId);
      for (;;) {
        let text: string;
        let inode: number;
        try {
          const handle = await open(file, 'r');
          try {
            [text, inode] = [await handle.readFile('utf8'), (await handle.stat()).ino];
          } finally {
            await handle.close();
          }
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
          throw error;
        }
        const stored = parse(text);
        if (typeof stored !== 'string')
          return stored.userId === userId && stored.value !== undefined
            ? JSON.stringify(stored.value)
            : undefined;
        // A concurrent set may have renamed a good file over the bad one since we read it: read that instead.
        if ((await stat(file).catch(() => undefined))?.ino !== inode) continue;
        await quarantine(file, stored);
        return undefined;
      }
    },
    async set(userId, json) {
      await (swept ??= sweep());
      await (created ??= mkdir(directory, { recursive: true }));
      const file = fileOf(userId);
      const temporary = `${file}.${HOST}-${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
      try {
        const handle = await open(temporary, 'wx', 0o600);
        try {
          await handle.writeFile(`{"userId":${JSON.stringify(userId)},"value":${json}}`);
          if (durable) await handle.datasync(); // the bytes are on disk before the name points at them
        } finally {
          await handle.close();
        }
        await rename(temporary, file);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      if (durable) await syncDirectory(); // the rename itself is on disk
    },
    async delete(userId) {
      await (swept ??= sweep());
      await rm(fileOf(userId), { force: true });
      // A deleted user (SkillDisabled) must not come back after a power cut.
      if (durable) await syncDirectory().catch(ignoreMissing);
    },
  });
  return withAccess<UserStore, T>(Object.assign(store, { maxBytes }), maxBytes);
}

/** The stored `{ userId, value }`, or why the text is not one (a reason to log: never the content). */
function parse(text: string): { userId: string; value: unknown } | string {
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    return text === '' ? 'empty file' : 'not valid JSON'; // JSON.parse's message quotes the content
  }
  // No `value` key is what JSON.stringify makes of an undefined value: that one is ours, not corrupt.
  const record = stored as { userId?: unknown } | null;
  if (
    typeof record !== 'object' ||
    record === null ||
    Array.isArray(record) ||
    typeof record.userId !== 'string'
  )
    return 'not a { userId, value } object';
  return record as { userId: string; value: unknown };
}

/**
 * Whether a temporary file is safe to remove: old (whoever wrote it, a live write takes milliseconds),
 * or written on this host by a process that no longer runs. A file from another host, or from a live
 * process (this one included), is left alone while young. Removing a live writer's file anyway would
 * only fail that `set` (its rename finds nothing), never corrupt a value.
 */
function abandoned(name: string, mtimeMs: number | undefined): boolean {
  if (mtimeMs === undefined) return false; // gone already
  if (Date.now() - mtimeMs > ABANDONED_AFTER_MS) return true;
  const [, host, pid] = TEMPORARY.exec(name) ?? [];
  return host === HOST && !alive(Number(pid));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: checks existence, sends nothing
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
