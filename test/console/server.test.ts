import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { silentLogger } from 'cekit';
import { serve, type RunningServer } from 'cekit/node';
import {
  generateTestKeyPair,
  loadInteractionModel,
  signedHeaders,
  type InteractionModel,
  type TestKeyPair,
} from 'cekit/testing';
import { createDiceExtension } from '../../examples/dice/extension.js';
import { createSmartHome } from '../../examples/smart-home/home.js';
import { main } from '../../src/cli/main.js';
import { API, type ConsoleExchange, type ConsoleState, type RunResult } from '../../src/console/protocol.js';
import { startConsole, type RunningConsole } from '../../src/console/server.js';
import { ConsoleSession, type ConsoleSessionOptions } from '../../src/console/session.js';
import { bufferIo } from '../cli/io.js';

/**
 * The console's API end to end: real extensions served on loopback (the dice example and the smart
 * home example, trusting a test key), the console server over real HTTP, and its exports replayed
 * with `cekit simulate --script`.
 */
const DICE_ID = 'com.example.dice';
const HOME_TOKEN = 'secret-home-token';
const MODEL_PATH = fileURLToPath(new URL('../../examples/models/dice.json', import.meta.url));

let cwd: string;
let assets: string;
let keys: TestKeyPair;
let model: InteractionModel;
let dice: RunningServer;
let home: RunningServer;
const consoles: RunningConsole[] = [];

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'cekit-console-'));
  assets = join(cwd, 'assets');
  mkdirSync(assets);
  writeFileSync(join(assets, 'app.js'), `console.log(${JSON.stringify('x'.repeat(2000))});\n`);
  writeFileSync(join(assets, 'app.css'), 'body { color: black; }\n');
  keys = generateTestKeyPair();
  writeFileSync(join(cwd, 'key.pem'), keys.privateKeyPem);
  model = await loadInteractionModel(MODEL_PATH);
  const quiet = { logger: silentLogger, requestLog: false } as const;
  dice = await serve(createDiceExtension({ verify: keys.verifyOptions, random: () => 0, ...quiet }), {
    port: 0,
    handleSignals: false,
  });
  const { home: homeExtension } = createSmartHome({
    accessToken: HOME_TOKEN,
    verify: keys.verifyOptions,
    ...quiet,
  });
  home = await serve(homeExtension, { port: 0, handleSignals: false });
});

afterAll(async () => {
  await Promise.all(consoles.map((running) => running.close()));
  await dice?.close();
  await home?.close();
  rmSync(cwd, { recursive: true, force: true });
});

async function open(options: Partial<ConsoleSessionOptions> = {}, assetsDir = assets) {
  const session = new ConsoleSession({
    target: dice.url,
    keys,
    model,
    extensionId: DICE_ID,
    ...options,
  });
  const running = await startConsole({ session, assetsDir });
  consoles.push(running);
  return { session, running };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/** One raw HTTP request (node:http, so the Host and Origin headers are exactly what the test says). */
function raw(
  running: RunningConsole,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port: running.port,
        path,
        method: init.method ?? 'GET',
        headers: { host: `127.0.0.1:${running.port}`, ...init.headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body,
            text: body.toString(),
          });
        });
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
}

const post = (running: RunningConsole, path: string, body: unknown, headers: Record<string, string> = {}) =>
  raw(running, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

async function run(running: RunningConsole, line: string): Promise<ConsoleExchange> {
  const answer = await post(running, API.run, { line });
  expect(answer.status).toBe(200);
  return (JSON.parse(answer.text) as RunResult).exchange;
}

async function state(running: RunningConsole): Promise<ConsoleState> {
  const answer = await raw(running, API.state);
  expect(answer.status).toBe(200);
  return JSON.parse(answer.text) as ConsoleState;
}

describe('the console API against a Custom extension', () => {
  it('describes the run: target, signing, the model’s intents, events, Home actions, an empty history', async () => {
    const { running } = await open();
    const initial = await state(running);
    expect(initial).toMatchObject({
      target: dice.url,
      signed: true,
      extensionId: DICE_ID,
      locale: 'ja-JP',
      kinds: [],
      accessTokenSet: false,
      session: { open: false, id: null, attributes: {} },
      exchanges: [],
    });
    expect(initial.model?.intents[0]).toEqual({
      name: 'ThrowDiceIntent',
      slots: [{ name: 'diceCount', type: 'CLOVA.NUMBER', values: [] }],
      samples: ['roll {diceCount} dice', 'roll {diceCount} die', 'throw {diceCount} dice'],
    });
    expect(initial.events.find((event) => event.name === 'AudioPlayer.PlayStarted')?.payload).toEqual({
      token: 'sample-stream-token',
      offsetInMilliseconds: 0,
    });
    expect(initial.homeActions.find((action) => action.name === 'SetBrightness')).toEqual({
      name: 'SetBrightness',
      category: 'value',
      fields: { brightness: { value: 50 } },
    });
  });

  it('runs /launch, a sentence, /intent, /event and /end through the simulator, signed, keeping the session', async () => {
    const { running } = await open();
    const launch = await run(running, '/launch');
    expect(launch).toMatchObject({ id: 1, line: '/launch', outcome: 'reply', kind: 'custom' });
    expect(launch.reply).toMatchObject({ status: 200, ok: true, problems: [], deadlineMs: 8000 });
    expect(JSON.stringify(launch.reply?.body)).toContain('サイコロを振ります');
    // The headers shown are the ones sent: the signature over the exact body.
    expect(launch.requestHeaders).toEqual(signedHeaders(keys, JSON.stringify(launch.request)));
    expect(launch.requestHeaders?.signaturecek).toBeTruthy();
    expect(launch.session).toEqual({ before: {}, after: {}, ended: false });
    const open1 = await state(running);
    expect(open1.session.open).toBe(true);

    const said = await run(running, 'roll 3 dice');
    expect(said.resolution).toMatchObject({
      type: 'IntentRequest',
      intent: 'ThrowDiceIntent',
      slots: { diceCount: { name: 'diceCount', value: '3' } },
      via: 'sample',
      sample: 'roll {diceCount} dice',
    });
    expect(JSON.stringify(said.reply?.body)).toContain('合計は3です');
    expect(said.session?.ended).toBe(true);
    expect((await state(running)).session.open).toBe(false);

    const intent = await run(running, '/intent ThrowDiceIntent diceCount=2');
    expect(intent.outcome).toBe('reply');
    expect(intent.resolution).toBeUndefined();
    expect(JSON.stringify(intent.reply?.body)).toContain('合計は2です');

    const event = await run(running, '/event AudioPlayer.PlayStarted token=x offsetInMilliseconds=0');
    expect(event.request).toMatchObject({
      request: {
        type: 'EventRequest',
        event: { namespace: 'AudioPlayer', name: 'PlayStarted', payload: { token: 'x' } },
      },
    });
    expect(event.reply?.status).toBe(200);
    expect(event.session?.ended).toBe(false);

    await run(running, '/launch');
    const end = await run(running, '/end');
    expect(end.request).toMatchObject({ request: { type: 'SessionEndedRequest' } });
    expect(end.session?.ended).toBe(true);
    expect((await state(running)).exchanges.map((exchange) => exchange.id)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('answers a usage mistake, an unknown intent and an unreachable extension with outcome error and a hint', async () => {
    const { running } = await open();
    expect(await run(running, '/intent')).toMatchObject({
      outcome: 'error',
      error: { message: 'Usage: /intent <Name> [slot=value ...]' },
    });
    expect((await run(running, '/intent ThrowDiceIntnt')).error?.message).toContain(
      'did you mean ThrowDiceIntent',
    );
    expect((await run(running, '/session')).error?.message).toContain('shows the session');
    const token = await run(running, '/token hunter2');
    expect(token.outcome).toBe('error');
    expect(JSON.stringify(await state(running))).not.toContain('hunter2');

    const stopped = await serve(createDiceExtension({ logger: silentLogger, requestLog: false }), {
      port: 0,
      handleSignals: false,
    });
    await stopped.close();
    const { running: nowhere } = await open({ target: stopped.url });
    const refused = await run(nowhere, '/launch');
    expect(refused.outcome).toBe('error');
    expect(refused.error?.hint).toContain(`nothing answers at ${stopped.url}`);
  });

  it('shows a refusal with its code and hint (an untrusted key)', async () => {
    const { running } = await open({ keys: generateTestKeyPair() });
    const refused = await run(running, '/launch');
    expect(refused.outcome).toBe('reply');
    expect(refused.reply).toMatchObject({ status: 403, ok: false, refusal: { code: 'SIGNATURE_INVALID' } });
    expect(refused.reply?.refusal?.hint).toContain('does not trust this --key');
  });

  it('runs lines one at a time, in order, however fast they come', async () => {
    const { running } = await open();
    const [launch, said] = await Promise.all([run(running, '/launch'), run(running, 'roll 2 dice')]);
    expect([launch.id, said.id]).toEqual([1, 2]);
    // The sentence ran in the session the launch opened.
    expect(said.request).toMatchObject({ session: { new: false } });
  });

  it('answers each line with the session it left, so the page needs no second request', async () => {
    const { running } = await open();
    const launched = JSON.parse((await post(running, API.run, { line: '/launch' })).text) as RunResult;
    expect(launched.exchange.line).toBe('/launch');
    expect(launched.session).toEqual((await state(running)).session);
    expect(launched.session).toMatchObject({ open: true, attributes: {} });
    const ended = JSON.parse((await post(running, API.run, { line: '/end' })).text) as RunResult;
    expect(ended.session).toEqual({ open: false, id: null, attributes: {} });
  });

  it('reset starts a new run: no history, no session', async () => {
    const { running } = await open();
    await run(running, '/launch');
    const answer = await post(running, API.reset, {});
    expect(answer.status).toBe(200);
    const after = JSON.parse(answer.text) as ConsoleState;
    expect(after.exchanges).toEqual([]);
    expect(after.session.open).toBe(false);
    expect((await run(running, '/launch')).id).toBe(1);
  });

  it('exports a --script file that replays the dialogue with cekit simulate, and the history as JSON', async () => {
    const { running } = await open();
    for (const line of [
      '/launch',
      'roll 3 dice',
      '/bogus',
      '/intent ThrowDiceIntent diceCount=2',
      '# roll 2 dice',
    ])
      await run(running, line);
    const script = await raw(running, API.exportScript);
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/plain; charset=utf-8');
    const lines = script.text.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `# cekit simulate ${dice.url} --script <this file> --key <your key file> --model <your model> --extension-id ${DICE_ID}`,
    );
    expect(lines.slice(2)).toEqual([
      '/launch',
      '< サイコロを振ります。何個振りますか?',
      'roll 3 dice',
      '< サイコロを3個振りました。合計は3です。',
      '# not sent: /bogus',
      '/intent ThrowDiceIntent diceCount=2',
      '< サイコロを2個振りました。合計は2です。',
      // A sentence the script reader would take for a comment is written as what it resolved to.
      '/intent Clova.GuideIntent',
      '< たとえば「3個振って」と言ってください。何個振りますか?',
    ]);
    writeFileSync(join(cwd, 'dialogue.txt'), script.text);
    const { io, out } = bufferIo(cwd);
    const code = await main(
      [
        'simulate',
        dice.url,
        '--key',
        'key.pem',
        '--model',
        MODEL_PATH,
        '--extension-id',
        DICE_ID,
        '--script',
        'dialogue.txt',
      ],
      io,
    );
    expect(out.stdout).not.toContain('✗');
    expect(out.stdout.match(/✓ says/g)).toHaveLength(4);
    expect(code).toBe(0);

    const exported = await raw(running, API.exportJson);
    expect(exported.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(exported.text)).toEqual((await state(running)).exchanges);
  });
});

describe('the console API against a Clova Home extension', () => {
  it('discovers and controls appliances, in words, and never lets the access token out', async () => {
    const { running } = await open({
      target: home.url,
      model: undefined,
      extensionId: undefined,
      kinds: ['home'],
    });
    const refused = await run(running, '/home discover');
    expect(refused.home).toMatchObject({ name: 'InvalidAccessTokenError', isError: true });
    expect(refused.home?.summary).toBe('The user revoked the authorisation behind the access token.');

    const set = await post(running, API.token, { token: HOME_TOKEN });
    expect(set.status).toBe(200);
    expect((JSON.parse(set.text) as ConsoleState).accessTokenSet).toBe(true);

    const discovered = await run(running, '/home discover');
    expect(discovered.home?.name).toBe('DiscoverAppliancesResponse');
    expect(discovered.home?.summary).toBe('4 appliances found.');
    expect(discovered.home?.appliances?.[0]).toEqual({
      applianceId: 'light-1',
      friendlyName: 'Living room light',
      applianceType: 'LIGHT',
      manufacturerName: 'cekit',
      location: 'LIVING_ROOM',
      isReachable: true,
      actions: expect.arrayContaining(['TurnOn', 'SetBrightness']),
    });
    expect((await run(running, '/home TurnOn light-1')).home?.summary).toBe('TurnOn confirmed.');
    expect((await run(running, '/home GetCurrentTemperature aircon-1')).home?.summary).toBe(
      'Current temperature: 29.5 °C',
    );
    const notForwarded = await run(running, '/home TurnOn nothing-1');
    expect(notForwarded.outcome).toBe('error');
    expect(notForwarded.error?.message).toContain('CLOVA would not forward this request');
    expect(notForwarded.error?.hint).toContain('/home discover lists the appliances');

    const everything = [
      (await raw(running, API.state)).text,
      (await raw(running, API.exportScript)).text,
      (await raw(running, API.exportJson)).text,
    ];
    for (const text of everything) expect(text).not.toContain(HOME_TOKEN);
    expect(discovered.request).toMatchObject({ payload: { accessToken: '(the access token, hidden)' } });

    // The export replays with the token given on the command line.
    const script = everything[1]!;
    expect(script).toContain('--access-token <token>');
    expect(script).toContain('/home TurnOn light-1\n< TurnOnConfirmation');
    writeFileSync(
      join(cwd, 'home.txt'),
      script.replace(/^\/home discover\n< InvalidAccessTokenError\n/m, ''),
    );
    const { io, out } = bufferIo(cwd);
    const code = await main(
      ['simulate', home.url, '--key', 'key.pem', '--access-token', HOME_TOKEN, '--script', 'home.txt'],
      io,
    );
    expect(out.stdout).not.toContain('✗');
    expect(code).toBe(0);

    // Reset keeps the token.
    const reset = JSON.parse((await post(running, API.reset, {})).text) as ConsoleState;
    expect(reset.accessTokenSet).toBe(true);
    expect((await run(running, '/home discover')).home?.name).toBe('DiscoverAppliancesResponse');
  });
});

describe('the console server', () => {
  it('serves the page with its security headers, and the assets gzipped once with an ETag', async () => {
    const { running } = await open();
    const page = await raw(running, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('/app.js');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'; media-src * data: blob:");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');

    const zipped = await raw(running, '/app.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['cache-control']).toBe('no-cache');
    expect(zipped.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(gunzipSync(zipped.body).toString()).toContain('console.log("xxx');
    const plain = await raw(running, '/app.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe(gunzipSync(zipped.body).toString());
    const etag = String(plain.headers.etag);
    expect(etag).toMatch(/^".+"$/);
    expect((await raw(running, '/app.js', { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await raw(running, '/app.css')).text).toBe('body { color: black; }\n');
  });

  it('answers 503 with what to do when the page is not built', async () => {
    const { running } = await open({}, join(cwd, 'no-such-folder'));
    for (const path of ['/app.js', '/app.css']) {
      const answer = await raw(running, path);
      expect(answer.status).toBe(503);
      expect(answer.text).toContain("the console's page is not built: run npm run build");
    }
    expect((await raw(running, '/')).status).toBe(200);
  });

  it('refuses other hosts, other origins, other media types, large bodies, wrong methods and unknown paths', async () => {
    const { running } = await open();
    const code = (answer: Answer) => (JSON.parse(answer.text) as { error: { code: string } }).error.code;

    const rebound = await raw(running, API.state, { headers: { host: `evil.example:${running.port}` } });
    expect([rebound.status, code(rebound)]).toEqual([403, 'HOST_REFUSED']);
    const otherPort = await raw(running, '/', { headers: { host: `127.0.0.1:${running.port + 1}` } });
    expect(otherPort.status).toBe(403);
    for (const host of [`localhost:${running.port}`, `[::1]:${running.port}`])
      expect((await raw(running, API.state, { headers: { host } })).status).toBe(200);

    const foreign = await post(running, API.run, { line: '/launch' }, { origin: 'http://evil.example' });
    expect([foreign.status, code(foreign)]).toEqual([403, 'ORIGIN_REFUSED']);
    const own = await post(
      running,
      API.run,
      { line: '/launch' },
      { origin: `http://localhost:${running.port}` },
    );
    expect(own.status).toBe(200);

    const form = await raw(running, API.run, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'line=/launch',
    });
    expect([form.status, code(form)]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const noType = await raw(running, API.reset, { method: 'POST' });
    expect(noType.status).toBe(415);

    const huge = await post(running, API.run, { line: 'x'.repeat(70 * 1024) });
    expect([huge.status, code(huge)]).toEqual([413, 'BODY_TOO_LARGE']);

    const notJson = await raw(running, API.run, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{line',
    });
    expect([notJson.status, code(notJson)]).toEqual([400, 'BAD_JSON']);
    const noLine = await post(running, API.run, { text: '/launch' });
    expect([noLine.status, code(noLine)]).toEqual([400, 'BAD_BODY']);

    const getRun = await raw(running, API.run);
    expect([getRun.status, code(getRun), getRun.headers.allow]).toEqual([405, 'METHOD_NOT_ALLOWED', 'POST']);
    const postState = await post(running, API.state, {});
    expect([postState.status, postState.headers.allow]).toEqual([405, 'GET']);
    const postPage = await raw(running, '/', { method: 'POST' });
    expect([postPage.status, postPage.headers.allow]).toEqual([405, 'GET']);

    const unknown = await raw(running, '/api/nope');
    expect([unknown.status, code(unknown)]).toEqual([404, 'NOT_FOUND']);
    expect(unknown.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('listens on 127.0.0.1 only', async () => {
    const session = new ConsoleSession({ target: dice.url });
    await expect(startConsole({ session, host: '0.0.0.0' })).rejects.toMatchObject({
      code: 'CONSOLE_NOT_LOOPBACK',
    });
    const { running } = await open();
    expect(running.url).toBe(`http://127.0.0.1:${running.port}/`);
  });

  it('keeps the last exchanges only, so a long run stays small', async () => {
    const session = new ConsoleSession({ target: dice.url, historyLimit: 3 });
    for (let i = 0; i < 5; i++) await session.run(`/bogus${i}`);
    expect(session.state().exchanges.map((exchange) => exchange.line)).toEqual([
      '/bogus2',
      '/bogus3',
      '/bogus4',
    ]);
  });
});
