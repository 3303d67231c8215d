import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExtension, silentLogger } from 'cekit';
import { serve, type RunningServer } from 'cekit/node';
import { generateTestKeyPair } from 'cekit/testing';
import { main } from '../../src/cli/main.js';
import { bufferIo } from './io.js';

/**
 * The REPL of `cekit simulate` through the real command (script file and piped stdin), against a
 * served extension that repeats the slot it got, so the test sees exactly what the quoting produced.
 */
const EXTENSION_ID = 'com.example.echo';
let cwd: string;
let server: RunningServer;
const seen: unknown[] = [];

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'cekit-repl-'));
  const keys = generateTestKeyPair();
  writeFileSync(join(cwd, 'key.pem'), keys.privateKeyPem);
  writeFileSync(
    join(cwd, 'echo-model.json'),
    JSON.stringify({
      intents: [{ name: 'EchoIntent', slots: { text: 'ECHO_TEXT' }, samples: ['echo {text}'] }],
      slotTypes: { ECHO_TEXT: [['hello'], ['two words']] },
    }),
  );
  const app = createExtension({
    extensionId: EXTENSION_ID,
    verify: keys.verifyOptions,
    logger: silentLogger,
    requestLog: false,
  });
  app.launch((ctx) => ctx.ask('Say something.'));
  app.intent('EchoIntent', { slots: { text: 'string' } }, (ctx) => {
    seen.push(ctx.slots.text);
    return ctx.ask(`You said [${ctx.slots.text ?? ''}].`);
  });
  server = await serve(app, { port: 0, handleSignals: false });
});

afterAll(async () => {
  await server?.close();
  rmSync(cwd, { recursive: true, force: true });
});

const base = () => ['simulate', server.url, '--key', 'key.pem', '--extension-id', EXTENSION_ID];

async function script(lines: string[], extra: string[] = []) {
  writeFileSync(join(cwd, 'script.txt'), `${lines.join('\n')}\n`);
  const { io, out } = bufferIo(cwd);
  const code = await main([...base(), ...extra, '--script', 'script.txt'], io);
  return { code, stdout: out.stdout, stderr: out.stderr };
}

describe('cekit simulate: quoting in REPL commands', () => {
  it('sends name="two words", "name=two words", mixed quotes and escaped quotes as one slot value each', async () => {
    seen.length = 0;
    const { code, stdout } = await script([
      '/intent EchoIntent text="two words"',
      '< You said [two words].',
      '/intent EchoIntent "text=three more words"',
      '< You said [three more words].',
      "/intent EchoIntent text=a' b 'c",
      '< You said [a b c].',
      '/intent EchoIntent text="say \\"hi\\""',
      '< You said [say "hi"].',
      "/intent EchoIntent text='日本語 の 値'",
    ]);
    expect(seen).toEqual(['two words', 'three more words', 'a b c', 'say "hi"', '日本語 の 値']);
    // The request line printed by the REPL shows the value as sent.
    expect(stdout).toContain('  → EchoIntent text=two words\next: You said [two words].');
    expect(stdout).not.toContain('✗');
    expect(code).toBe(0);
  });

  it('works the same on piped stdin', async () => {
    seen.length = 0;
    const { io, out } = bufferIo(cwd, { stdin: "/intent EchoIntent text='piped words'\n/quit\n" });
    expect(await main(base(), io)).toBe(0);
    expect(seen).toEqual(['piped words']);
    expect(out.stdout).toContain("> /intent EchoIntent text='piped words'\n  → EchoIntent text=piped words");
  });

  it('an unclosed quote is reported, nothing is sent, and the script goes on (exit 1)', async () => {
    seen.length = 0;
    const { code, stdout } = await script([
      '/intent EchoIntent text="two words',
      '/intent EchoIntent text=ok',
    ]);
    expect(stdout).toContain(
      '! Unclosed " in "two words: end the quoted text with " (a quote inside it is written \\")',
    );
    expect(seen).toEqual(['ok']);
    expect(code).toBe(1);
  });

  it('an unquoted value with a space says how to quote it', async () => {
    const { stdout } = await script(['/intent EchoIntent text=two words']);
    expect(stdout).toContain(
      '! Expected name=value, got "words" (a value with spaces is quoted: name="two words")',
    );
  });
});

describe('cekit simulate: messages in CLI terms', () => {
  it('a sentence without --model says to restart with --model or use /intent, not the library call', async () => {
    const { code, stdout } = await script(['echo hello']);
    expect(stdout).toContain(
      '! Typed sentences are resolved with an interaction model: restart with --model <file or folder>, or use /intent <Name> slot=value',
    );
    expect(stdout).not.toMatch(/createConversation|say\(\)/);
    expect(code).toBe(1);
  });

  it('with --model, sentences resolve, and /intent is checked against the model in REPL words', async () => {
    const { stdout } = await script(
      ['echo two words', '/intent EchoIntnt text=x', '/intent EchoIntent txt=x'],
      ['--model', 'echo-model.json'],
    );
    expect(stdout).toContain('  → EchoIntent text=two words  (matched "echo {text}")');
    expect(stdout).toContain(
      '! /intent EchoIntnt: the --model has no such intent, so CEK never sends it (did you mean EchoIntent?)',
    );
    expect(stdout).toContain('! /intent EchoIntent: the --model gives it no slot "txt" (did you mean text?)');
    expect(stdout).not.toContain('intent("');
  });

  it('an unknown command suggests the closest one', async () => {
    const { stdout } = await script(['/lanch', '/tokn abc', '/frobnicate']);
    expect(stdout).toContain('! Unknown command /lanch (did you mean /launch?); /help lists the commands');
    expect(stdout).toContain('! Unknown command /tokn (did you mean /token?)');
    expect(stdout).toContain('! Unknown command /frobnicate; /help lists the commands');
  });

  it('/help lists /token and the quoting rule', async () => {
    const { stdout } = await script(['/help']);
    expect(stdout).toContain('/token <access token>');
    expect(stdout).toContain('name="two words"');
  });

  it('a missing --script or --model file names its flag (usage error, exit 2)', async () => {
    const missingScript = bufferIo(cwd);
    expect(await main([...base(), '--script', 'nope.txt'], missingScript.io)).toBe(2);
    expect(missingScript.out.stderr).toContain('--script nope.txt: no such file');
    const missingModel = bufferIo(cwd);
    expect(await main([...base(), '--model', 'nope.json'], missingModel.io)).toBe(2);
    expect(missingModel.out.stderr).toContain('--model nope.json: no such file or folder');
  });

  it('when nothing listens at the URL, the hint asks whether the extension is running', async () => {
    const closed = await serve(createExtension({ extensionId: EXTENSION_ID, logger: silentLogger }), {
      port: 0,
      handleSignals: false,
    });
    const url = closed.url;
    await closed.close();
    writeFileSync(join(cwd, 'one.txt'), '/launch\n');
    const { io, out } = bufferIo(cwd);
    expect(await main(['simulate', url, '--script', 'one.txt'], io)).toBe(1);
    expect(out.stdout).toContain(`hint: nothing answers at ${url}: is the extension running?`);
  });
});
