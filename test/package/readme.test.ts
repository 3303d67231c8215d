import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { packedCekit } from '../helpers/packed.js';
import { waitFor } from '../helpers/wait-for.js';

// The README's path for an npm user, followed literally: install cekit (from the packed tarball) and
// tsx, save the README's `hello.ts`, serve it with `cekit dev`, and replay the README's simulate
// transcript with the README's own command line. If the README drifts, this fails.
const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const section = README.slice(README.indexOf('## Or add cekit to your own project'));

/** The first fenced block of `lang` after `marker` in the section. */
function block(marker: string, lang: string): string {
  const start = section.indexOf('```' + lang + '\n', section.indexOf(marker));
  expect(start, `a ${lang} block after "${marker}"`).toBeGreaterThan(-1);
  const from = start + 4 + lang.length;
  return section.slice(from, section.indexOf('\n```', from));
}

let project: string;

beforeAll(async () => {
  const packed = await packedCekit();
  project = mkdtempSync(join(tmpdir(), 'cekit-readme-'));
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'hello', private: true, type: 'module' }),
  );
  const install = block('## Or add cekit to your own project', 'sh');
  expect(install).toMatch(/^npm install cekit$/m);
  expect(install).toMatch(/^npm install --save-dev tsx\b/m);
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', packed.tarball], project);
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--save-dev', 'tsx'], project);
}, 300_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

it("serves the README's hello.ts with cekit dev and holds the README's simulate transcript", async () => {
  writeFileSync(join(project, 'hello.ts'), block('A complete extension, `hello.ts`', 'ts'));
  expect(block('Run it with the dev server', 'sh').trim()).toBe('npx cekit dev hello.ts');
  const cekit = join(project, 'node_modules/.bin/cekit');
  const dev = spawn(cekit, ['dev', 'hello.ts', '--port', '0', '--once'], {
    cwd: project,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  dev.stdout.on('data', (chunk: Buffer) => (out.stdout += chunk.toString()));
  dev.stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => dev.once('exit', (code) => resolve(code)));
  try {
    const url = await waitFor(
      () => /extension ready on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out.stdout)?.[1],
      out,
      30_000,
    );
    // The transcript: "$ <command>", then "> <typed line>" and the extension's answers.
    const transcript = block('Then talk to it from another terminal', '').split('\n');
    const command = transcript[0]!.replace(/^\$ npx cekit /, '').split(' ');
    expect(command[0]).toBe('simulate');
    const script = transcript
      .filter((line) => line.startsWith('> ') || line.startsWith('ext: '))
      .map((line) =>
        line.startsWith('> ')
          ? line.slice(2)
          : // The dice are random: check the words around the total.
            `< ${line.slice(5).replace(/ \d+\.$/, '')}`,
      );
    expect(script.length).toBeGreaterThanOrEqual(4);
    writeFileSync(join(project, 'dialogue.txt'), `${script.join('\n')}\n`);
    const args = command.map((arg) => (arg === 'http://127.0.0.1:3000/' ? url : arg));
    expect(args).toContain(url);
    const simulate = await run(cekit, [...args, '--script', 'dialogue.txt'], project);
    expect(simulate).toContain('✓ says "I rolled 3 dice. The total is"');
    expect(simulate).not.toContain('✗');
  } finally {
    dev.kill('SIGINT');
    expect(await exited).toBe(0);
  }
  expect(out.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}, 120_000);

function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`${command} ${args.join(' ')}: ${String(error)}\n${stdout}\n${stderr}`))
          : resolve(stdout),
    );
  });
}
