import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEndpoint, silentLogger } from 'cekit';
import { serve, type RunningServer } from 'cekit/node';
import { loadTestKeyPair } from 'cekit/testing';
import { main } from '../../src/cli/main.js';
import { createDiceExtension } from '../../examples/dice/extension.js';
import { bufferIo } from './io.js';
import { FIXTURES_DIR } from '../helpers/fixtures.js';

const DICE_MODEL = fileURLToPath(new URL('../../examples/models/dice.json', import.meta.url));
const ORDER_MODEL = fileURLToPath(new URL('../../examples/models/order', import.meta.url));
let cwd: string;
let server: RunningServer;
let keyPem: string;

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'cekit-cli-'));
  const { io } = bufferIo(cwd);
  expect(await main(['keygen'], io)).toBe(0);
  keyPem = readFileSync(join(cwd, '.cekit/dev-key.pem'), 'utf8');
  const keys = loadTestKeyPair(keyPem);
  const app = createDiceExtension({ verify: keys.verifyOptions, logger: silentLogger, random: () => 0.5 });
  server = await serve(app, { port: 0, handleSignals: false });
});

afterAll(async () => {
  await server?.close();
  rmSync(cwd, { recursive: true, force: true });
});

describe('cekit keygen and sign', () => {
  it('keygen writes a private key (0600) and its public key, and refuses to overwrite without --force', async () => {
    expect(readFileSync(join(cwd, '.cekit/dev-key.pub.pem'), 'utf8')).toContain('BEGIN PUBLIC KEY');
    expect(statSync(join(cwd, '.cekit/dev-key.pem')).mode & 0o777).toBe(0o600);
    const again = bufferIo(cwd);
    expect(await main(['keygen'], again.io)).toBe(2);
    expect(again.out.stderr).toContain('exists; pass --force');
    const other = bufferIo(cwd);
    expect(await main(['keygen', '--out', 'other/key.pem', '--force'], other.io)).toBe(0);
    expect(other.out.stdout).toContain('other/key.pub.pem');
  });

  it('sign prints a SignatureCEK that verifies over the exact bytes (stdin)', async () => {
    const body = '{"version":"1.0","request":{"type":"LaunchRequest"}}';
    const { io, out } = bufferIo(cwd, { stdin: body });
    expect(await main(['sign', '-'], io)).toBe(0);
    const publicKey = readFileSync(join(cwd, '.cekit/dev-key.pub.pem'), 'utf8');
    expect(verify('sha256', Buffer.from(body), publicKey, Buffer.from(out.stdout.trim(), 'base64'))).toBe(
      true,
    );
  });

  it('sign --curl prints a command that sends the file unchanged', async () => {
    writeFileSync(join(cwd, 'request.json'), '{"a":1}');
    const { io, out } = bufferIo(cwd);
    expect(await main(['sign', '--curl', 'http://127.0.0.1:3000/', 'request.json'], io)).toBe(0);
    expect(out.stdout).toMatch(
      /^curl -sS -X POST 'http:\/\/127\.0\.0\.1:3000\/' .*-H 'SignatureCEK: [A-Za-z0-9+/=]+' --data-binary @'request\.json'\n$/,
    );
  });
});

describe('cekit check', () => {
  it('passes a cekit extension in black-box mode, JSON report on stdout, progress on stderr', async () => {
    const { io, out } = bufferIo(cwd);
    expect(await main(['check', server.url, '--json'], io)).toBe(0);
    const report = JSON.parse(out.stdout) as { passed: boolean; mode: string; checks: { id: string }[] };
    expect(report).toMatchObject({ passed: true, mode: 'black-box' });
    expect(report.checks).toHaveLength(9);
    expect(out.stderr).toContain('[9/9]');
  });

  it('runs the trusted checks with --key and prints a readable report', async () => {
    const { io, out } = bufferIo(cwd);
    const code = await main(
      ['check', server.url, '--key', '.cekit/dev-key.pem', '--extension-id', 'com.example.dice'],
      io,
    );
    expect(out.stdout).toContain('all 15 checks passed');
    expect(out.stdout).toContain('PASS Signed request for another Extension ID is refused');
    expect(out.stdout).not.toContain('\u001b['); // plain when piped
    expect(code).toBe(0);
  });

  it('exits 1 and names the field when replies break the schema', async () => {
    const keys = loadTestKeyPair(keyPem);
    const broken = createEndpoint({
      extensionId: 'com.example.extension',
      verify: keys.verifyOptions,
      logger: silentLogger,
      requestLog: false,
      dispatcher: {
        kinds: ['custom'],
        dispatch: () => ({
          version: '1.0',
          sessionAttributes: {},
          response: {
            outputSpeech: { type: 'SimpleSpeech' },
            card: {},
            directives: [],
            shouldEndSession: true,
          },
        }),
      },
    });
    const brokenServer = await serve(broken, { port: 0, handleSignals: false });
    try {
      const { io, out } = bufferIo(cwd);
      expect(await main(['check', brokenServer.url, '--key', '.cekit/dev-key.pem'], io)).toBe(1);
      expect(out.stdout).toContain('FAIL LaunchRequest gets a valid reply');
      expect(out.stdout).toContain('response.outputSpeech.values: is required');
    } finally {
      await brokenServer.close();
    }
  });
});

describe('cekit check --replay', () => {
  it('replays a real CEK-signed request (verified with the bundled JP key) and a tampered copy', async () => {
    const vectorPath = join(FIXTURES_DIR, 'validation/signed-launch-request.json');
    const vector = JSON.parse(readFileSync(vectorPath, 'utf8')) as { rawBody: string };
    const applicationId = (
      JSON.parse(vector.rawBody) as { context: { System: { application: { applicationId: string } } } }
    ).context.System.application.applicationId;
    const app = createDiceExtension({
      extensionId: applicationId,
      verify: { keyUrl: false },
      logger: silentLogger,
    });
    const real = await serve(app, { port: 0, handleSignals: false });
    try {
      const { io, out } = bufferIo(cwd);
      expect(await main(['check', real.url, '--replay', vectorPath, '--json'], io)).toBe(0);
      const report = JSON.parse(out.stdout) as { mode: string; checks: { id: string; passed: boolean }[] };
      expect(report.mode).toBe('trusted');
      expect(report.checks.filter((c) => c.id.startsWith('replay-'))).toEqual([
        expect.objectContaining({ id: 'replay-1', passed: true }),
        expect.objectContaining({ id: 'replay-1-tampered', passed: true }),
      ]);
    } finally {
      await real.close();
    }
  });
});

describe('cekit check, unreachable', () => {
  it('says once that nothing answers, exit code 1', async () => {
    const closed = await serve(createDiceExtension({ logger: silentLogger }), {
      port: 0,
      handleSignals: false,
    });
    const url = closed.url;
    await closed.close();
    const { io, out } = bufferIo(cwd);
    expect(await main(['check', url], io)).toBe(1);
    expect(out.stderr).toMatch(
      new RegExp(`cekit check: Cannot reach ${url.replace(/[.]/g, '\\.')}: connect ECONNREFUSED`),
    );
    expect(out.stdout).toBe('');
  });
});

describe('cekit simulate', () => {
  it('runs a script: commands and sentences, the session kept, plain output when piped', async () => {
    writeFileSync(
      join(cwd, 'dialogue.txt'),
      [
        '# a comment',
        '/launch',
        '< How many?',
        'help',
        'roll 2 dice',
        '< The total is 8.',
        '/intent ThrowDiceIntent diceCount=1',
        '/session',
        '/end',
      ].join('\n'),
    );
    const { io, out } = bufferIo(cwd);
    const code = await main(
      [
        'simulate',
        server.url,
        '--key',
        '.cekit/dev-key.pem',
        '--extension-id',
        'com.example.dice',
        '--model',
        DICE_MODEL,
        '--locale',
        'en-US',
        '--script',
        'dialogue.txt',
      ],
      io,
    );
    expect(out.stdout).toContain(
      '> /launch\n  → LaunchRequest\next: Let me roll some dice. How many?\n     reprompt: Say a number of dice from 1 to 10.',
    );
    expect(out.stdout).toContain('> help\n  → Clova.GuideIntent');
    expect(out.stdout).toContain(
      '  → ThrowDiceIntent diceCount=2  (matched "roll {diceCount} dice")\next: I rolled 2 dice. The total is 8.\n     [session ended]',
    );
    expect(out.stdout).toContain('ext: I rolled 1 die. The total is 4.');
    expect(out.stdout).toContain('  ✓ says "The total is 8."');
    expect(out.stdout).not.toContain('\u001b[');
    expect(code).toBe(0);
  });

  it('a failed expectation in a script is exit code 1', async () => {
    writeFileSync(join(cwd, 'expect.txt'), '< nothing yet\n/launch\n< Goodbye\n');
    const { io, out } = bufferIo(cwd);
    const args = [
      'simulate',
      server.url,
      '--key',
      '.cekit/dev-key.pem',
      '--extension-id',
      'com.example.dice',
    ];
    expect(await main([...args, '--script', 'expect.txt'], io)).toBe(1);
    expect(out.stdout).toContain('✗ expected "nothing yet", got "(nothing was sent yet)"');
    expect(out.stdout).toContain('✗ expected "Goodbye", got "サイコロを振ります。何個振りますか?"');
  });

  it('shows near misses, refusals and problems; exit code 1 when a reply had a problem', async () => {
    writeFileSync(join(cwd, 'bad.txt'), 'roll lots of dice\n/launch\n');
    const { io, out } = bufferIo(cwd);
    // No --key: the extension refuses unsigned requests.
    const code = await main(['simulate', server.url, '--model', DICE_MODEL, '--script', 'bad.txt'], io);
    expect(out.stdout).toContain('? no sample matched; CEK would send Clova.GuideIntent');
    expect(out.stdout).toContain('ext: HTTP 401');
    expect(out.stdout).toContain('✗ HTTP status 401, expected 200');
    expect(out.stdout).toContain('hint: the extension verifies signatures: pass --key');
    expect(code).toBe(1);
  });

  it('suggests the closest slot value in a near miss', async () => {
    writeFileSync(join(cwd, 'typo.txt'), 'ペパロにを2枚\n');
    const { io, out } = bufferIo(cwd);
    await main(['simulate', server.url, '--model', ORDER_MODEL, '--script', 'typo.txt'], io);
    expect(out.stdout).toContain(
      'near miss OrderPizza "<pizzaType>ペパロニ</pizzaType>を<pizzaAmount>2枚</pizzaAmount>": slot pizzaType: "ペパロに" is not a PIZZA_TYPE value (did you mean "ペパロニ"?)',
    );
  });

  it('colors its output on a terminal', async () => {
    writeFileSync(join(cwd, 'one.txt'), '/launch\n');
    const { io, out } = bufferIo(cwd);
    io.stdout.isTTY = true;
    await main(
      [
        'simulate',
        server.url,
        '--key',
        '.cekit/dev-key.pem',
        '--extension-id',
        'com.example.dice',
        '--script',
        'one.txt',
      ],
      io,
    );
    expect(out.stdout).toContain('\u001b[36mext:\u001b[39m');
  });

  it('reads commands from stdin interactively', async () => {
    const { io, out } = bufferIo(cwd, { stdin: '/launch\n/quit\n' });
    expect(
      await main(
        ['simulate', server.url, '--key', '.cekit/dev-key.pem', '--extension-id', 'com.example.dice'],
        io,
      ),
    ).toBe(0);
    expect(out.stdout).toContain('> /launch\n  → LaunchRequest\next: サイコロを振ります。何個振りますか?');
  });
});

describe('cekit simulate, Clova Home', () => {
  it('/home discover and /home <Action> <id> key=value, value objects filled in', async () => {
    const keys = loadTestKeyPair(keyPem);
    const seen: unknown[] = [];
    const home = createEndpoint({
      verify: keys.verifyOptions,
      logger: silentLogger,
      requestLog: false,
      dispatcher: {
        kinds: ['home'],
        dispatch: (message) => {
          const { header, payload } = message as {
            header: { name: string };
            payload: Record<string, unknown>;
          };
          seen.push(payload);
          const action = header.name.replace(/Request$/, '');
          const name =
            action === 'DiscoverAppliances' ? 'DiscoverAppliancesResponse' : `${action}Confirmation`;
          const reply =
            action === 'DiscoverAppliances'
              ? { discoveredAppliances: [{ applianceId: 'light-1', actions: ['SetBrightness'] }] }
              : { brightness: payload.brightness };
          return {
            header: { messageId: 'm1', name, namespace: 'ClovaHome', payloadVersion: '1.0' },
            payload: reply,
          };
        },
      },
    });
    const homeServer = await serve(home, { port: 0, handleSignals: false });
    try {
      writeFileSync(
        join(cwd, 'home.txt'),
        '/home discover\n/home SetBrightness light-1 brightness=30\n/home TurnOn light-1\n',
      );
      const { io, out } = bufferIo(cwd);
      const code = await main(
        ['simulate', homeServer.url, '--key', '.cekit/dev-key.pem', '--script', 'home.txt'],
        io,
      );
      expect(out.stdout).toContain(
        'ext: DiscoverAppliancesResponse {"discoveredAppliances":[{"applianceId":"light-1"',
      );
      expect(out.stdout).toContain('ext: SetBrightnessConfirmation {"brightness":{"value":30}}');
      expect(seen[1]).toMatchObject({ appliance: { applianceId: 'light-1' }, brightness: { value: 30 } });
      // Like CLOVA, an action the appliance did not declare is not sent.
      expect(out.stdout).toContain(
        '! CLOVA would not forward this request: appliance "light-1" does not declare TurnOn',
      );
      expect(seen).toHaveLength(2);
      expect(code).toBe(1);
    } finally {
      await homeServer.close();
    }
  });
});

describe('usage errors', () => {
  it.each([
    [['nope'], 'Unknown command "nope"'],
    [['check'], 'Give the URL of the extension to check'],
    [['check', 'ftp://x'], 'Expected an http(s) URL'],
    [['simulate', 'http://127.0.0.1:1/', '--bogus'], "Unknown option '--bogus'"],
    [['dev', 'missing.ts'], 'missing.ts does not exist'],
  ])('%j exits 2 with a message', async (argv, message) => {
    const { io, out } = bufferIo(cwd);
    expect(await main(argv, io)).toBe(2);
    expect(out.stderr).toContain(message);
  });

  it('prints help', async () => {
    const { io, out } = bufferIo(cwd);
    expect(await main(['check', '--help'], io)).toBe(0);
    expect(out.stdout).toContain('Usage: cekit check <url>');
  });
});
