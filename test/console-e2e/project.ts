import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packedCekit } from '../helpers/packed.js';
import { spawnGroup, type GroupResult } from '../helpers/process-group.js';
import { waitFor, type Output } from '../helpers/wait-for.js';

/**
 * A user's project with cekit installed from the packed tarball (and tsx, so `cekit dev` runs the
 * TypeScript examples shipped in node_modules/cekit/examples), the development key created with
 * `cekit keygen`, and the small extension modules the scenarios serve.
 */
export interface Project {
  dir: string;
  /** node_modules/.bin/cekit */
  cekit: string;
  /** The development key `cekit dev` trusts and `cekit simulate --key` signs with (src/cli/keys.ts). */
  keyPath: string;
  remove(): void;
}

export type Result = GroupResult;

const ENV = { ...process.env, NO_COLOR: '1' };

/** Runs a command to its end, never throwing: the test asserts on the exit code with the output at hand. */
export function exec(command: string, args: string[], cwd: string, timeout = 90_000): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, timeout, env: ENV, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

export const explain = (step: string, result: Result) =>
  `${step} exited ${result.signal ?? result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;

/** A Custom extension whose reply CEK would refuse: it speaks French, which CEK does not. */
const BROKEN = `import { createEndpoint } from 'cekit';

// A raw dispatcher, so nothing stands between this reply and the wire.
export default (options) =>
  createEndpoint({
    ...options,
    extensionId: 'com.example.broken',
    dispatcher: {
      kinds: ['custom'],
      dispatch: () => ({
        version: '1.0',
        sessionAttributes: {},
        response: {
          outputSpeech: { type: 'SimpleSpeech', values: { type: 'PlainText', lang: 'fr', value: 'Bonjour' } },
          card: {},
          directives: [],
          shouldEndSession: false,
        },
      }),
    },
  });
`;

/** The shipped podcast example with two episodes at fixed URLs. */
const RADIO = `import { createAudioPlayerExtension, type AudioPlayerOptions } from './node_modules/cekit/examples/audio-player/extension.ts';

export default (options: Pick<AudioPlayerOptions, 'verify' | 'extensionId'>) =>
  createAudioPlayerExtension({
    ...options,
    episodes: [
      { id: 'ep-1', title: '第1回 はじめまして', url: 'https://example.com/radio/ep-1.mp3' },
      { id: 'ep-2', title: '第2回 CEKの仕組み', url: 'https://example.com/radio/ep-2.mp3' },
    ],
  });
`;

export const HOME_TOKEN = 'demo-token';

/** The shipped smart-home example, reachable with one access token. */
const HOME = `import { createSmartHome, type SmartHomeOptions } from './node_modules/cekit/examples/smart-home/home.ts';

export default (options: Omit<SmartHomeOptions, 'accessToken'>) =>
  createSmartHome({ ...options, accessToken: ${JSON.stringify(HOME_TOKEN)} }).home;
`;

export async function createProject(): Promise<Project> {
  const packed = await packedCekit();
  const dir = mkdtempSync(join(tmpdir(), 'cekit-console-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'console-e2e', private: true, type: 'module' }),
    );
    const install = await exec(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', packed.tarball, 'tsx'],
      dir,
      180_000,
    );
    if (install.code !== 0) throw new Error(explain('npm install', install));
    const cekit = join(dir, 'node_modules/.bin/cekit');
    // Created once here: `cekit dev` creates it on first use, and several start at once below.
    const keygen = await exec(cekit, ['keygen'], dir);
    if (keygen.code !== 0) throw new Error(explain('cekit keygen', keygen));
    writeFileSync(join(dir, 'broken.mjs'), BROKEN);
    writeFileSync(join(dir, 'radio.ts'), RADIO);
    writeFileSync(join(dir, 'home.ts'), HOME);
    return { dir, cekit, keyPath: '.cekit/dev-key.pem', remove };
  } catch (error) {
    remove();
    throw error;
  }
}

export interface Running {
  /** Everything the command printed so far. */
  output: Output;
  /** The extension's URL (`extension ready on ...`), for `cekit dev`. */
  extension: string;
  /** The console's URL. */
  console: string;
  /** Stops the command like Ctrl+C (SIGINT to its process group), SIGKILL after 10 s. */
  stop(): Promise<Result>;
}

const EXTENSION_URL = /extension ready on (http:\/\/127\.0\.0\.1:\d+\/)/;
/** `cekit dev` prints the console's URL on a line of its own that names the console. */
const CONSOLE_URL = /console\b[^\n]*?(http:\/\/127\.0\.0\.1:\d+\/)/i;

/** `cekit dev <args>` in the project, until it has printed both URLs. */
export async function startDev(project: Project, args: string[]): Promise<Running> {
  const running = start(project, ['dev', ...args]);
  try {
    const urls = await waitFor(
      () => {
        const extension = EXTENSION_URL.exec(running.output.stdout)?.[1];
        const page = CONSOLE_URL.exec(running.output.stdout)?.[1];
        return extension && page ? { extension, console: page } : undefined;
      },
      running.output,
      60_000,
    );
    if (urls.console === urls.extension)
      throw new Error(`the console has the extension's URL ${urls.console}`);
    return { ...running, ...urls };
  } catch (error) {
    await running.stop();
    throw error;
  }
}

/** `cekit simulate <args> --web` in the project, until it has printed the console's URL. */
export async function startSimulateWeb(project: Project, args: string[]): Promise<Running> {
  const running = start(project, ['simulate', ...args]);
  try {
    const page = await waitFor(
      () => /console ready on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(running.output.stdout)?.[1],
      running.output,
      30_000,
    );
    return { ...running, console: page, extension: '' };
  } catch (error) {
    await running.stop();
    throw error;
  }
}

/** The command in its own process group, so stopping it also stops what it started (cekit dev's worker). */
function start(project: Project, args: string[]): Omit<Running, 'extension' | 'console'> {
  const group = spawnGroup(project.cekit, args, { cwd: project.dir, env: ENV });
  return {
    output: group.output,
    stop: async () => {
      const result = await group.stop();
      group.kill('SIGKILL'); // Whatever is left of the group (nothing, normally).
      return result;
    },
  };
}
