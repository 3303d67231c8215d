import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fileStore, silentLogger, type Logger } from 'cekit';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const WRITER = fileURLToPath(new URL('./file-store-writer.ts', import.meta.url));
const USERS = Array.from({ length: 20 }, (_, i) => `U${i}`);
const ROUNDS = 3;

const directories: string[] = [];
afterAll(async () => {
  await Promise.all(directories.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Starts a writer process (the store from source, through tsx) and SIGKILLs it mid-write. */
async function killMidWrite(directory: string, round: number) {
  const child = spawn(process.execPath, ['--import', TSX, WRITER, directory, `${round}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  const deadline = Date.now() + 15_000;
  for (;;) {
    const names = await readdir(directory).catch(() => [] as string[]);
    // Every user written at least once this round (so the files hold this round or the last) and writes in flight.
    if (
      names.some((name) => name.endsWith('.tmp')) &&
      names.filter((n) => n.endsWith('.json')).length === USERS.length
    )
      break;
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`writer did not get going: ${stderr}`);
    await sleep(5);
  }
  child.kill('SIGKILL');
  const [code, signal] = await exited; // reaped, so its pid is no longer live
  expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
}

describe('fileStore after a writer process is killed (SIGKILL) mid-write', () => {
  it('leaves no temporary files once a new store opens the directory, and every value is whole', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'cekit-crash-'));
    directories.push(directory);
    for (let round = 0; round < ROUNDS; round++) await killMidWrite(directory, round);
    const left = (await readdir(directory)).filter((name) => name.endsWith('.tmp'));
    expect(left.length).toBeGreaterThan(0); // the kills did land mid-write

    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message) => void warnings.push(message) };
    const store = fileStore<{ round: number; n: number; pad: string }>({ directory, logger });
    for (const user of USERS) {
      const value = await store.get(user);
      // The last value a round finished writing, or the one before it: never half, never missing.
      expect(value).toEqual({ round: expect.any(Number), n: expect.any(Number), pad: 'x'.repeat(32 * 1024) });
      expect(value!.round).toBeLessThan(ROUNDS);
    }
    expect(warnings).toEqual([]); // nothing was quarantined
    const names = await readdir(directory);
    expect(names.filter((name) => !name.endsWith('.json'))).toEqual([]);
    expect(names).toHaveLength(USERS.length);
  }, 60_000);
});
