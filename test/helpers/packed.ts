import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The package as a user gets it: built and packed with `npm pack`. Several test files install it, and
// vitest runs them in parallel processes; building writes dist/ (tsup cleans it first), so two builds
// at once would break each other. Build and pack therefore run under a lock held across processes,
// and a tarball is reused while the files it is made from are unchanged (the second test file of a
// run, or a rerun, skips a 20 s build).
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KEY = createHash('sha256').update(ROOT).digest('hex').slice(0, 12);
/** Outside the repository, so nothing needs ignoring; keyed by the checkout, so worktrees do not share. */
const CACHE = join(tmpdir(), `cekit-packed-${KEY}`);
const LOCK = join(tmpdir(), `cekit-packed-${KEY}.lock`);
/** Longer than a build and pack ever takes: a lock this old was left by a process that is gone. */
const LOCK_MAX_AGE_MS = 10 * 60_000;

export interface PackedCekit {
  /** Absolute path of the tarball. */
  tarball: string;
  /** The package-relative paths it holds, as `npm pack --json` lists them. */
  files: string[];
}

const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Builds and packs cekit (or reuses the tarball of the same sources); safe to call from parallel test files. */
export async function packedCekit(): Promise<PackedCekit> {
  mkdirSync(CACHE, { recursive: true });
  const release = await acquireLock(LOCK);
  try {
    const fingerprint = inputsFingerprint();
    const manifest = join(CACHE, 'manifest.json');
    const cached = readJson<PackedCekit & { fingerprint: string }>(manifest);
    if (cached?.fingerprint === fingerprint && existsSync(cached.tarball))
      return { tarball: cached.tarball, files: cached.files };

    // Built here, packed with --ignore-scripts: `prepack` would build a second time.
    run('npm', ['run', 'build', '--silent'], ROOT);
    const [packed] = JSON.parse(
      run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', CACHE], ROOT),
    ) as { filename: string; files: { path: string }[] }[];
    // Named after its sources, so a test file still installing an older tarball keeps its file.
    const tarball = join(CACHE, `${packed!.filename.replace(/\.tgz$/, '')}-${fingerprint.slice(0, 12)}.tgz`);
    renameSync(join(CACHE, packed!.filename), tarball);
    const result = { tarball, files: packed!.files.map((file) => file.path) };
    writeFileSync(manifest, JSON.stringify({ fingerprint, ...result }));
    removeOldTarballs(tarball);
    return result;
  } finally {
    release();
  }
}

/**
 * A hash of everything the tarball is made from: the build's inputs (sources, configuration, the
 * lockfile that pins the build tools) and the files "files" ships as they are.
 */
function inputsFingerprint(): string {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
  const roots = [
    'package.json',
    'package-lock.json',
    'tsup.config.ts',
    'tsconfig.json',
    'src',
    ...manifest.files.filter((entry) => entry !== 'dist'),
  ];
  const hash = createHash('sha256');
  const add = (path: string) => {
    const absolute = join(ROOT, path);
    if (!existsSync(absolute)) return;
    if (statSync(absolute).isDirectory()) {
      for (const name of readdirSync(absolute).sort()) if (name !== 'node_modules') add(`${path}/${name}`);
    } else hash.update(`${path}\0`).update(readFileSync(absolute)).update('\0');
  };
  for (const path of roots) add(path);
  return hash.digest('hex');
}

function removeOldTarballs(keep: string) {
  for (const name of readdirSync(CACHE)) {
    const path = join(CACHE, name);
    // An hour's grace: another test file may be installing it right now.
    if (name.endsWith('.tgz') && path !== keep && Date.now() - statSync(path).mtimeMs > 3_600_000)
      rmSync(path, { force: true });
  }
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * A lock across processes: `mkdir` is atomic, so exactly one process creates the folder; the holder's
 * pid inside lets a waiter see that the holder died (a test run killed mid-build) and take over.
 */
export async function acquireLock(path: string, timeoutMs = 5 * 60_000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(path);
      writeFileSync(join(path, 'pid'), String(process.pid));
      return () => rmSync(path, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = lockHolder(path);
    if (holder.stale) {
      breakLock(path, holder.pid);
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(
        `waited ${timeoutMs / 1000} s for ${path} (held by pid ${holder.pid ?? 'unknown'}); ` +
          'delete it if no test is running',
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function lockHolder(path: string): { pid?: number; stale: boolean } {
  let age: number;
  try {
    age = Date.now() - statSync(path).mtimeMs;
  } catch {
    return { stale: false }; // Released meanwhile: try again.
  }
  const pid = readJson<number>(join(path, 'pid'));
  // No pid: the holder has not written it yet, or died before it could.
  if (pid === undefined) return { stale: age > 10_000 };
  // A pid may be reused by an unrelated process: past the longest build, the lock is stale anyway.
  if (age > LOCK_MAX_AGE_MS) return { pid, stale: true };
  try {
    process.kill(pid, 0); // Signal 0 only asks whether the process exists.
    return { pid, stale: false };
  } catch (error) {
    return { pid, stale: (error as NodeJS.ErrnoException).code === 'ESRCH' };
  }
}

/**
 * Moves the stale lock aside before deleting it (rename is atomic), then checks that what was moved is
 * the dead holder's: if another waiter broke it first and a live process already holds a new one, that
 * one is put back.
 */
function breakLock(path: string, deadPid: number | undefined) {
  const aside = `${path}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // Someone else moved it first.
  }
  if (readJson<number>(join(aside, 'pid')) !== deadPid) {
    try {
      renameSync(aside, path);
      return;
    } catch {
      // A third process took the path meanwhile: this once two holders overlap (three-way race after a crash).
    }
  }
  rmSync(aside, { recursive: true, force: true });
}

/**
 * Writes `tsconfig.<name>.json` into a test project: strict, ES2022, no emit, Node's types from this
 * repository, `options` on top, checking only `files`. Returns the file name, for `tsc -p`.
 */
export function writeStrictTsconfig(
  project: string,
  name: string,
  options: Record<string, unknown>,
  files: readonly string[],
): string {
  const config = `tsconfig.${name}.json`;
  const compilerOptions = {
    ...options,
    target: 'ES2022',
    strict: true,
    noEmit: true,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules/@types')],
  };
  writeFileSync(join(project, config), JSON.stringify({ compilerOptions, files }));
  return config;
}
