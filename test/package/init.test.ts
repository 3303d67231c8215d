import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, loadTestKeyPair } from 'cekit/testing';
import { packedCekit, type PackedCekit } from '../helpers/packed.js';
import { spawnGroup } from '../helpers/process-group.js';

// `cekit init` as a newcomer meets it: the published tarball's command creates a project, npm installs
// it (cekit from the tarball, the dev tools from npm's cache where it can), the project's own `npm test`
// passes, `npm run dev` serves an extension that answers a request signed with the project's development
// key, and the project's simulate and check scripts pass against it. Nothing here reaches into the
// project: only its scripts and its files. The other languages are type-checked and tested once each.

let scratch: string;
let packed: PackedCekit;
/** cekit installed from the tarball into an empty folder, as `npx cekit` would run it. */
let cekitBin: string;

interface Result {
  code: number | null;
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, never throwing: the test asserts on the exit code with the output at hand. */
function exec(command: string, args: string[], cwd: string, timeout = 90_000): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, timeout, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

const explain = (step: string, result: Result) =>
  `${step} exited ${result.signal ?? result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;

beforeAll(async () => {
  packed = await packedCekit();
  scratch = mkdtempSync(join(tmpdir(), 'cekit-init-'));
  const tool = join(scratch, 'tool');
  mkdirSync(tool);
  writeFileSync(join(tool, 'package.json'), JSON.stringify({ name: 'tool', private: true }));
  const installed = await exec(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', packed.tarball],
    tool,
  );
  expect(installed.code, explain('npm install (tool)', installed)).toBe(0);
  cekitBin = join(tool, 'node_modules/.bin/cekit');
}, 300_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

it('ships the templates, including the files npm would otherwise leave out', () => {
  expect(packed.files).toContain('templates/common/gitignore');
  expect(packed.files).toContain('templates/custom/package.json');
  expect(packed.files).toContain('templates/home/src/extension.ts');
});

describe.each(['custom', 'home'] as const)('a %s project from cekit init', (kind) => {
  it('passes its own npm test; its dev server answers CEK, its simulate and check scripts', async () => {
    const project = join(scratch, `${kind}-project`);
    const init = await exec(cekitBin, ['init', project, '--kind', kind], scratch);
    expect(init.code, explain('cekit init', init)).toBe(0);
    expect(init.stdout).toContain('npm run dev');

    // The dev tools come from the template's package.json; npm's cache serves them when it has them.
    const install = await exec(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', packed.tarball],
      project,
    );
    expect(install.code, explain('npm install', install)).toBe(0);

    const test = await exec('npm', ['test'], project);
    expect(test.code, explain('npm test', test)).toBe(0);
    expect(test.stdout).toMatch(/# pass [1-9]/);
    expect(test.stdout).toMatch(/# fail 0/);

    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const dev = await startDev(project);
    let stopped: Result;
    try {
      const keys = loadTestKeyPair(readFileSync(join(project, '.cekit/dev-key.pem'), 'utf8'));
      // The harness is strict: a refused, malformed or late reply throws.
      if (kind === 'custom') {
        // Derived from the folder's name, and passed to the factory by the dev script.
        const extensionId = 'com.example.custom-project';
        expect(manifest.scripts.dev).toContain(`--extension-id ${extensionId}`);
        const cek = createConversation({ target: dev.url, keys, extensionId, locale: 'ja-JP' });
        const reply = await cek.launch();
        expect(reply.speech).toMatch(/サイコロ/);
        expect(reply.shouldEndSession).toBe(false);
      } else {
        const cek = createConversation({ target: dev.url, keys, homeAccessToken: 'demo-access-token' });
        const reply = await cek.discover();
        expect(reply.name).toBe('DiscoverAppliancesResponse');
        const listed = reply.payload.discoveredAppliances as { applianceId: string }[];
        expect(listed.map((appliance) => appliance.applianceId)).toEqual(['light-1', 'aircon-1']);
      }

      // The project's simulate and check scripts as written, pointed at this server's port.
      writeFileSync(
        join(project, 'dialogue.txt'),
        kind === 'custom'
          ? '/launch\n< サイコロ\nサイコロを3個振って\n< 合計は\n'
          : '/home discover\n< light-1\n/home TurnOn light-1\n< TurnOnConfirmation\n',
      );
      const cekit = join(project, 'node_modules/.bin/cekit');
      const simulate = await exec(
        cekit,
        [...scriptArgs(manifest.scripts.simulate, dev.url), '--script', 'dialogue.txt'],
        project,
      );
      expect(simulate.code, explain('npm run simulate', simulate)).toBe(0);
      const check = await exec(cekit, scriptArgs(manifest.scripts.check, dev.url), project);
      expect(check.code, explain('npm run check', check)).toBe(0);
      expect(check.stdout).toMatch(/all \d+ checks passed/);
    } finally {
      stopped = await dev.stop();
    }
    // npm itself dies of the SIGINT it forwarded (as after Ctrl+C in a terminal); what ran under it
    // must stop cleanly, leaving no process behind.
    expect(stopped.code === 0 || stopped.signal === 'SIGINT', explain('npm run dev', stopped)).toBe(true);
    await dev.gone();
    // Ctrl+C is a normal way to leave: no stack trace, no npm error block.
    expect(`${stopped.stdout}\n${stopped.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(stopped.stderr).not.toMatch(/npm (ERR!|error)/);
  }, 150_000);
});

it('gives projects in every language that type-check and pass their tests', async () => {
  // The projects above are Japanese, the default. The other variants share the dev tools installed
  // there: one tsc over all of them, then their tests in one run of Node's test runner.
  const installed = join(scratch, 'custom-project/node_modules');
  expect(existsSync(installed), 'the custom project was installed by the test above').toBe(true);
  const variants = join(scratch, 'variants');
  mkdirSync(variants);
  symlinkSync(installed, join(variants, 'node_modules'), 'dir');
  const folders: string[] = [];
  for (const kind of ['custom', 'home'])
    for (const language of ['ja', 'en', 'ko']) {
      const folder = `${kind}-${language}`;
      const init = await exec(cekitBin, ['init', folder, '--kind', kind, '--language', language], variants);
      expect(init.code, explain(`cekit init ${folder}`, init)).toBe(0);
      folders.push(folder);
    }
  writeFileSync(
    join(variants, 'tsconfig.json'),
    JSON.stringify({ extends: './custom-ja/tsconfig.json', include: ['*/src', '*/test'] }),
  );
  const tsc = await exec(process.execPath, [join(installed, 'typescript/bin/tsc'), '--noEmit'], variants);
  expect(tsc.code, explain('tsc', tsc)).toBe(0);
  const tests = await exec(
    process.execPath,
    ['--import', 'tsx', '--test', ...folders.map((folder) => `${folder}/test/extension.test.ts`)],
    variants,
  );
  expect(tests.code, explain('node --test', tests)).toBe(0);
  expect(tests.stdout).toMatch(/# fail 0/);
  expect(tests.stdout).toMatch(/# pass (1[89]|[2-9]\d)/);
}, 120_000);

/** The arguments of a `cekit ...` npm script, with the dev server's URL for the one it names. */
function scriptArgs(script: string | undefined, url: string): string[] {
  const [command, ...args] = (script ?? '').split(' ');
  expect(command).toBe('cekit');
  expect(args).toContain('http://127.0.0.1:3000/');
  return args.map((arg) => (arg === 'http://127.0.0.1:3000/' ? url : arg));
}

/**
 * `npm run dev -- --port 0` in its own process group (npm, the shell, cekit dev and its worker), so
 * stopping it is what Ctrl+C does in a terminal: SIGINT to the whole group.
 */
async function startDev(
  project: string,
): Promise<{ url: string; stop(): Promise<Result>; gone(): Promise<void> }> {
  const dev = spawnGroup('npm', ['run', 'dev', '--', '--port', '0'], {
    cwd: project,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const { output, stop, gone } = dev;

  const deadline = Date.now() + 30_000;
  for (;;) {
    const url = /extension ready on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output.stdout)?.[1];
    if (url) return { url, stop, gone };
    if (dev.exited || Date.now() > deadline) {
      const result = await stop();
      throw new Error(explain('npm run dev (never announced its URL)', result));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
