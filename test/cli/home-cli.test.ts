import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from 'cekit';
import { createHomeExtension, HomeError } from 'cekit/home';
import { serve, type RunningServer } from 'cekit/node';
import { generateTestKeyPair } from 'cekit/testing';
import { main } from '../../src/cli/main.js';
import { bufferIo } from './io.js';

/**
 * A Clova Home extension from the CLI, end to end: a real `createHomeExtension` served on loopback,
 * trusting a test key, that accepts one access token (and calls another expired).
 */
const GOOD = 'good-token';
const EXPIRED = 'old-token';
let cwd: string;
let server: RunningServer;
const state = { on: false, brightness: 0 };
const tokensSeen: string[] = [];
const scenesRun: { sceneId: string; sceneName: string }[] = [];

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'cekit-home-cli-'));
  const keys = generateTestKeyPair();
  writeFileSync(join(cwd, 'key.pem'), keys.privateKeyPem);
  const home = createHomeExtension({
    verify: keys.verifyOptions,
    logger: silentLogger,
    requestLog: false,
    authenticate: (token) => {
      tokensSeen.push(token);
      if (token === EXPIRED) throw new HomeError('ExpiredAccessTokenError');
      if (token !== GOOD) return undefined;
      return {
        user: state,
        appliances: [
          {
            id: 'light-1',
            type: 'LIGHT',
            name: 'Desk light',
            manufacturer: 'ACME',
            model: 'L1',
            actions: ['TurnOn', 'TurnOff', 'SetBrightness'],
          },
        ],
      };
    },
    scenes: () => [{ sceneId: 'scene-1', sceneName: 'おはよう' }],
    actionScene: ({ request }) => void scenesRun.push(request.scene),
    drivers: {
      LIGHT: {
        TurnOn: ({ user }) => void (user.on = true),
        TurnOff: ({ user }) => void (user.on = false),
        SetBrightness: ({ user, request }) => {
          user.brightness = request.brightness.value;
          return { brightness: { value: user.brightness } };
        },
      },
    },
  });
  server = await serve(home, { port: 0, handleSignals: false });
});

afterAll(async () => {
  await server?.close();
  rmSync(cwd, { recursive: true, force: true });
});

async function simulate(lines: string[], extra: string[] = []) {
  writeFileSync(join(cwd, 'home.txt'), `${lines.join('\n')}\n`);
  const { io, out } = bufferIo(cwd);
  const code = await main(['simulate', server.url, '--key', 'key.pem', ...extra, '--script', 'home.txt'], io);
  return { code, stdout: out.stdout };
}

describe('cekit simulate --access-token', () => {
  it('discovery and control carry the token, so they get past authentication', async () => {
    tokensSeen.length = 0;
    const { code, stdout } = await simulate(
      [
        '/home discover',
        '< DiscoverAppliancesResponse',
        '/home TurnOn light-1',
        '< TurnOnConfirmation',
        '/home SetBrightness light-1 brightness=40',
        '< {"brightness":{"value":40}}',
      ],
      ['--access-token', GOOD],
    );
    expect(stdout).toContain(
      'ext: DiscoverAppliancesResponse {"discoveredAppliances":[{"applianceId":"light-1"',
    );
    expect(stdout).not.toContain('✗');
    expect(state).toEqual({ on: true, brightness: 40 });
    expect(tokensSeen).toEqual([GOOD, GOOD, GOOD]);
    expect(code).toBe(0);
  });

  it('without a token, the refusal comes with a hint naming --access-token and /token', async () => {
    const { stdout } = await simulate(['/home discover', '< InvalidAccessTokenError']);
    expect(stdout).toContain('ext: InvalidAccessTokenError {}');
    expect(stdout).toContain(
      'hint: the extension did not accept the access token (none was given, so the placeholder "sample-access-token" was sent): ' +
        'type /token <token> with one it accepts, or restart with --access-token <token>',
    );
    expect(stdout).toContain('✓ says "InvalidAccessTokenError"');
  });

  it('an expired token gets its own hint', async () => {
    const { stdout } = await simulate(['/home discover'], ['--access-token', EXPIRED]);
    expect(stdout).toContain('ext: ExpiredAccessTokenError {}');
    expect(stdout).toContain(
      'hint: the extension says the access token has expired: type /token <token> with one it accepts, or restart with --access-token <token>',
    );
  });

  it('after discovery, an undeclared action is not sent, and the hint points at /home discover', async () => {
    const { stdout, code } = await simulate(
      ['/home discover', '/home SetColor light-1'],
      ['--access-token', GOOD],
    );
    expect(stdout).toContain(
      '! CLOVA would not forward this request: appliance "light-1" does not declare SetColor (its actions: TurnOn, TurnOff, SetBrightness)',
    );
    expect(stdout).toContain('hint: /home discover lists the appliances and the actions each declares');
    expect(code).toBe(1);
  });

  it('/home scenes and /home ActionScene send the scene with the name discovery gave it', async () => {
    scenesRun.length = 0;
    const { code, stdout } = await simulate(
      [
        '/home scenes',
        '< おはよう',
        '/home ActionScene scene-1',
        '< ActionSceneConfirmation',
        '/home ActionScene',
      ],
      ['--access-token', GOOD],
    );
    expect(scenesRun).toEqual([{ sceneId: 'scene-1', sceneName: 'おはよう' }]);
    expect(stdout).toContain(
      '! Usage: /home ActionScene <sceneId> [sceneName=...] (/home scenes lists the scenes)',
    );
    expect(stdout).not.toContain('actionScene(');
    expect(code).toBe(1);
  });

  it('a misspelled action is caught before sending, with the closest name', async () => {
    const { stdout } = await simulate(['/home TrunOn light-1'], ['--access-token', GOOD]);
    expect(stdout).toContain(
      '! Unknown Clova Home action TrunOn (did you mean TurnOn?); /help lists the /home commands',
    );
  });
});

describe('/token in the REPL', () => {
  it('sets, shows and changes the token mid-session; a new token forgets the last discovery', async () => {
    tokensSeen.length = 0;
    state.on = false;
    const { io, out } = bufferIo(cwd, {
      stdin: [
        '/home discover',
        '/token',
        `/token ${GOOD}`,
        '/token',
        '/home discover',
        '/home TurnOn light-1',
        '/token "not the right token"',
        '/home TurnOff light-1',
        '/token a b',
        '/quit',
        '',
      ].join('\n'),
    });
    expect(await main(['simulate', server.url, '--key', 'key.pem'], io)).toBe(0);
    const stdout = out.stdout;
    expect(stdout).toContain(
      '> /home discover\n  → DiscoverAppliancesRequest\next: InvalidAccessTokenError {}',
    );
    expect(stdout).toContain(
      '> /token\nNo access token given: Clova Home requests carry a placeholder. Set one with /token <access token>.',
    );
    expect(stdout).toContain(`> /token\nClova Home requests carry the access token "${GOOD}".`);
    expect(stdout).toContain('ext: TurnOnConfirmation {}');
    // The new token is sent as typed (quotes removed), and the new account's appliances are unknown,
    // so the request is sent rather than refused by the old discovery.
    expect(stdout).toContain('> /home TurnOff light-1\n  → TurnOffRequest\next: InvalidAccessTokenError {}');
    expect(stdout).toContain(
      'hint: the extension did not accept the access token: type /token <token> with one it accepts',
    );
    expect(stdout).toContain('! Usage: /token <access token> (quote a token that has spaces: /token "a b")');
    expect(tokensSeen).toEqual(['sample-access-token', GOOD, GOOD, 'not the right token']);
    expect(state.on).toBe(true);
  });
});

describe('cekit check --kind home', () => {
  const check = async (extra: string[]) => {
    const { io, out } = bufferIo(cwd);
    const code = await main(['check', server.url, '--key', 'key.pem', '--kind', 'home', ...extra], io);
    return { code, ...out };
  };

  it('without --access-token, it refuses to run the trusted checks and says why (exit 2)', async () => {
    const { code, stderr, stdout } = await check([]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^--kind home needs --access-token <token>: Clova Home requests carry/);
    expect(stdout).toBe('');
  });

  it('with a token the extension refuses, the Clova Home checks fail and say to pass --access-token (exit 1)', async () => {
    const { code, stdout } = await check(['--access-token', 'wrong-token']);
    expect(code).toBe(1);
    const refused =
      'answered InvalidAccessTokenError: the extension refused the access token, so the audit never got past authentication: ' +
      'give it an access token the extension accepts (--access-token <token>)';
    expect(stdout).toContain(
      `FAIL DiscoverAppliancesRequest gets a DiscoverAppliancesResponse\n     ${refused}`,
    );
    expect(stdout).toContain(
      `FAIL TurnOnRequest for an unknown appliance gets NoSuchTargetError (HTTP 200)\n     ${refused}`,
    );
    expect(stdout).not.toContain('wrong-token'); // the token is not echoed into reports
  });

  it('the JSON report flags the checks that never got past authentication', async () => {
    const { code, stdout } = await check(['--access-token', 'wrong-token', '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      checks: { id: string; passed: boolean; accessTokenRefused?: boolean }[];
    };
    expect(report.checks.filter((result) => result.accessTokenRefused)).toEqual([
      expect.objectContaining({ id: 'discover-appliances', passed: false }),
      expect.objectContaining({ id: 'unknown-appliance', passed: false }),
    ]);
  });

  it('with the right token, every check passes, the unknown appliance gets NoSuchTargetError (exit 0)', async () => {
    const { code, stdout } = await check(['--access-token', GOOD]);
    expect(stdout).toContain('PASS DiscoverAppliancesRequest gets a DiscoverAppliancesResponse');
    expect(stdout).toContain('schema-valid, 1 appliance');
    expect(stdout).toContain(
      'PASS TurnOnRequest for an unknown appliance gets NoSuchTargetError (HTTP 200)\n     answered NoSuchTargetError',
    );
    expect(stdout).toContain(
      'PASS DiscoverAppliancesRequest with a made-up access token gets InvalidAccessTokenError\n     answered InvalidAccessTokenError',
    );
    expect(stdout).toMatch(/all \d+ checks passed/);
    expect(code).toBe(0);
  });

  it.each([
    [
      ['--access-token', GOOD, '--kind', 'custom'],
      '--access-token is sent in Clova Home requests: add --kind home',
    ],
    [
      ['--kind', 'home', '--access-token', GOOD],
      '--access-token is sent by the trusted Clova Home checks: add --key',
    ],
  ])('%j without what it needs is a usage error', async (args, message) => {
    const { io, out } = bufferIo(cwd);
    expect(await main(['check', server.url, ...args], io)).toBe(2);
    expect(out.stderr).toContain(message);
  });

  it('black-box only, the hint names --key and --access-token', async () => {
    const { io, out } = bufferIo(cwd);
    await main(['check', server.url, '--kind', 'home'], io);
    expect(out.stdout).toContain(
      'Black-box only: add --key <file> (a key the extension trusts) and --access-token <token> for the trusted Clova Home checks.',
    );
  });
});
