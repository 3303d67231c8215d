import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UserStore } from './store.js';

export interface FileStoreOptions {
  /** Directory holding one JSON file per user; created on first write. */
  directory: string;
}

/**
 * One JSON file per user in `directory`. Writes go to a temporary file that is then renamed over the
 * old one, so a crash mid-write leaves the previous value, never half a file. File names are a hash
 * of the user id: ids never become paths.
 */
export function fileStore<T = Record<string, unknown>>(options: FileStoreOptions): UserStore<T> {
  const { directory } = options;
  const fileOf = (userId: string) =>
    join(directory, `${createHash('sha256').update(userId).digest('hex').slice(0, 40)}.json`);
  let created: Promise<unknown> | undefined;

  return {
    async get(userId) {
      try {
        const stored = JSON.parse(await readFile(fileOf(userId), 'utf8')) as { userId: string; value: T };
        return stored.userId === userId ? stored.value : undefined;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async set(userId, value) {
      created ??= mkdir(directory, { recursive: true });
      await created;
      const file = fileOf(userId);
      const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(temporary, JSON.stringify({ userId, value }), { mode: 0o600 });
        await rename(temporary, file);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
    async delete(userId) {
      await rm(fileOf(userId), { force: true });
    },
  };
}
