import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, signedVector } from '../helpers/fixtures.js';
import { packedCekit, writeStrictTsconfig } from '../helpers/packed.js';
import { spawnGroup, type GroupResult, type ProcessGroup } from '../helpers/process-group.js';
import { waitFor } from '../helpers/wait-for.js';

// `cekit/clova-sdk` as an extension written for @line/clova-cek-sdk-nodejs gets it: the packed package
// installed into an empty CommonJS project, used the way the SDK documented (only the require line
// changed), from CommonJS, from an ES module, and through the resolvers that ignore "exports" (TypeScript's
// node10 resolution, a require of the folder as Jest <= 27 does it), which reach the subpath through the
// `clova-sdk/package.json` folder shipped in the package root.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const LAUNCH = signedVector('signed-launch-request'); // signed by CEK itself, for com.chens.morning
const APPLICATION_ID = 'com.chens.morning';
const LAUNCH_SPEECH = 'おはようございます。何時に起こしましょうか?';

let scratch: string;
let project: string;
let shipped: string[];

const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * A morning-call extension in the SDK's documented style, CommonJS, Express, the port and the Extension
 * ID from the environment. Only the require line differs from code written for the SDK. Each handler
 * prints a line, so the test can tell whether it ran. `/parsed` is the mistake the SDK let through: a
 * JSON parser in front of the handler and no verification.
 */
const APP = `'use strict';
const express = require('express');
const clova = require('cekit/clova-sdk');

const say = (ctx, text) => ctx.setSimpleSpeech(clova.SpeechBuilder.createSpeechText(text));

const clovaSkillHandler = clova.Client.configureSkill()
  .onLaunchRequest((responseHelper) => {
    console.log('handler ran: LaunchRequest ' + responseHelper.getSessionId());
    say(responseHelper, ${JSON.stringify(LAUNCH_SPEECH)});
  })
  .onIntentRequest(async (responseHelper) => {
    const intent = responseHelper.getIntentName();
    console.log('handler ran: IntentRequest ' + intent);
    switch (intent) {
      case 'WakeUpIntent': {
        const time = responseHelper.getSlot('time');
        say(responseHelper, time ? time + 'に起こします' : '何時に起こしましょうか?');
        break;
      }
      case 'Clova.GuideIntent':
        say(responseHelper, '起きる時間を言ってください');
        break;
      default:
        say(responseHelper, 'もう一度お願いします');
    }
  })
  .onSessionEndedRequest((responseHelper) => {
    console.log('handler ran: SessionEndedRequest ' + responseHelper.getSessionId());
  })
  .handle();

const app = express();
const clovaMiddleware = clova.Middleware({ applicationId: process.env.APPLICATION_ID });
app.post('/clova', clovaMiddleware, clovaSkillHandler);
app.post('/parsed', express.json(), clovaSkillHandler);

const server = app.listen(process.env.PORT, () => {
  console.log('listening on ' + server.address().port);
});
`;

/** The environment the extensions run in: production, and nothing of the test run's own cekit settings. */
function appEnv(applicationId: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', PORT: '0' };
  delete env.APPLICATION_ID;
  delete env.CEKIT_CLOVA_SDK_VERIFY;
  if (applicationId !== undefined) env.APPLICATION_ID = applicationId;
  return env;
}

interface Server {
  child: ProcessGroup;
  port: number;
  /** The status of every request sent to it. */
  statuses: number[];
}

/** The same extension, under each Express its users may have: 5 (the current one) and 4. */
const EXPRESSES = [
  { name: 'Express 5', dir: 'express5', module: 'express' },
  { name: 'Express 4', dir: 'express4', module: 'express4' },
] as const;

const servers = new Map<string, Server>();
const children: ProcessGroup[] = [];
let withoutId: GroupResult;
let withoutIdExitedByItself = false;

beforeAll(async () => {
  const packed = await packedCekit();
  shipped = packed.files;
  scratch = mkdtempSync(join(tmpdir(), 'cekit-clova-sdk-'));
  project = join(scratch, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'morning-call', private: true }));
  // No registry: cekit has no dependencies. Express is the user's: each app folder links one of this
  // repository's, and finds cekit in the project's node_modules above it.
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', packed.tarball], project);
  for (const { dir, module } of EXPRESSES) {
    mkdirSync(join(project, dir, 'node_modules'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', module), join(project, dir, 'node_modules/express'), 'dir');
    writeFileSync(join(project, dir, 'app.cjs'), APP);
  }

  // The extensions start in parallel: both Express versions, and one whose Extension ID is not set.
  const started = EXPRESSES.map(async ({ name, dir }) => {
    const child = spawnGroup(process.execPath, ['app.cjs'], {
      cwd: join(project, dir),
      env: appEnv(APPLICATION_ID),
    });
    children.push(child);
    const port = await waitFor(() => {
      if (child.exited) throw new Error(`${name}: the extension exited\n${child.output.stderr}`);
      const match = /^listening on (\d+)$/m.exec(child.output.stdout);
      return match ? Number(match[1]) : undefined;
    }, child.output);
    servers.set(name, { child, port, statuses: [] });
  });
  const unset = spawnGroup(process.execPath, ['app.cjs'], {
    cwd: join(project, EXPRESSES[0].dir),
    env: appEnv(undefined),
  });
  children.push(unset);
  const stopped = (async () => {
    // It must exit by itself; one still running after 20 s is stopped, and the test says so.
    for (const deadline = Date.now() + 20_000; !unset.exited && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 50));
    withoutIdExitedByItself = unset.exited;
    withoutId = await unset.stop();
  })();
  await Promise.all([...started, stopped]);
}, 240_000);

afterAll(async () => {
  await Promise.all(
    children.map(async (child) => {
      await child.stop();
      await child.gone();
    }),
  );
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}, 30_000);

interface Answer {
  status: number;
  contentType: string | null;
  body: unknown;
}

/** POSTs `body` as its exact UTF-8 bytes, the way CEK sends it. */
async function post(server: Server, path: string, body: string, signature?: string): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers.signaturecek = signature;
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`, {
    method: 'POST',
    headers,
    body: Buffer.from(body, 'utf8'),
  });
  server.statuses.push(response.status);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Kept as text: the assertion shows it.
  }
  return { status: response.status, contentType: response.headers.get('content-type'), body: parsed };
}

/** The lines the extension's handlers printed so far. */
const handlerRuns = (server: Server) =>
  server.child.output.stdout.split('\n').filter((line) => line.startsWith('handler ran: '));

const refusal = (code: string) => ({ error: { code, message: expect.any(String) } });

describe.each(EXPRESSES)(
  'an extension written for the SDK, require line changed to cekit/clova-sdk, on $name',
  ({ name }) => {
    const server = () => servers.get(name)!;

    it('answers the request CEK signed with the launch speech', async () => {
      const answer = await post(server(), '/clova', LAUNCH.rawBody, LAUNCH.signatureCEK);
      expect(answer.status).toBe(200);
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(answer.body).toMatchObject({
        version: '1.0',
        sessionAttributes: {},
        response: {
          outputSpeech: {
            type: 'SimpleSpeech',
            values: { type: 'PlainText', lang: 'ja', value: LAUNCH_SPEECH },
          },
          shouldEndSession: false,
        },
      });
      // Printed before the answer was written, but read from another pipe: it may arrive just after.
      const runs = await waitFor(
        () => (handlerRuns(server()).length > 0 ? handlerRuns(server()) : undefined),
        server().child.output,
        5000,
      );
      expect(runs).toEqual(['handler ran: LaunchRequest 606548d7-c0d7-47a8-a696-fe9b8b77796e']);
    });

    it('refuses the same body with one character changed: 403 SIGNATURE_INVALID, no handler run', async () => {
      const tampered = LAUNCH.rawBody.replace('"sessionId":"606548d7', '"sessionId":"606548d8');
      expect(tampered).not.toBe(LAUNCH.rawBody);
      expect(tampered.length).toBe(LAUNCH.rawBody.length);
      const before = handlerRuns(server()).length;
      const answer = await post(server(), '/clova', tampered, LAUNCH.signatureCEK);
      expect(answer).toEqual({
        status: 403,
        contentType: expect.stringMatching(/^application\/json/),
        body: refusal('SIGNATURE_INVALID'),
      });
      expect(handlerRuns(server()).length).toBe(before);
    });

    it('refuses a request CEK signed for another extension: 403 APPLICATION_ID_MISMATCH, no handler run', async () => {
      // A real CEK request that names no applicationId: the signature is good, the extension is not this one.
      const other = signedVector('signed-guide-intent-request');
      const before = handlerRuns(server()).length;
      const answer = await post(server(), '/clova', other.rawBody, other.signatureCEK);
      expect(answer).toEqual({
        status: 403,
        contentType: expect.stringMatching(/^application\/json/),
        body: refusal('APPLICATION_ID_MISMATCH'),
      });
      expect(handlerRuns(server()).length).toBe(before);
    });

    it('refuses a request without a signature: 401 SIGNATURE_MISSING, no handler run', async () => {
      const before = handlerRuns(server()).length;
      const answer = await post(server(), '/clova', LAUNCH.rawBody);
      expect(answer).toEqual({
        status: 401,
        contentType: expect.stringMatching(/^application\/json/),
        body: refusal('SIGNATURE_MISSING'),
      });
      expect(handlerRuns(server()).length).toBe(before);
    });

    it('refuses a JSON parser in front of the handler with no Middleware: 400 BODY_ALREADY_PARSED, no handler run', async () => {
      const before = handlerRuns(server()).length;
      // Correctly signed, even: once parsed, the bytes CEK signed are gone, so nothing can be checked.
      const answer = await post(server(), '/parsed', LAUNCH.rawBody, LAUNCH.signatureCEK);
      expect(answer).toEqual({
        status: 400,
        contentType: expect.stringMatching(/^application\/json/),
        body: refusal('BODY_ALREADY_PARSED'),
      });
      expect(handlerRuns(server()).length).toBe(before);
      // The server's log says what to change.
      const output = server().child.output;
      const logged = `${output.stdout}${output.stderr}`
        .split('\n')
        .filter((line) => line.includes('"code":"BODY_ALREADY_PARSED"'));
      expect(logged).toEqual([
        expect.stringContaining("app.post('/clova', Middleware({ applicationId }), skill.handle())"),
      ]);
    });

    it('kept running through all of it, and answered nothing with a 5xx', () => {
      const { child, statuses } = server();
      expect(statuses).toHaveLength(5);
      // Only the request CEK signed for this extension reached a handler (checked again here, once
      // any late output of the refused ones has had time to arrive).
      expect(handlerRuns(server())).toEqual([
        'handler ran: LaunchRequest 606548d7-c0d7-47a8-a696-fe9b8b77796e',
      ]);
      expect(statuses.filter((status) => status >= 500)).toEqual([]);
      expect(child.exited).toBe(false);
      // Nothing uncaught: no stack trace anywhere in its output.
      expect(child.output.stderr + child.output.stdout).not.toMatch(/^\s+at /m);
    });
  },
);

describe('an extension whose APPLICATION_ID is not set', () => {
  it('stops at start-up with EXTENSION_ID_REQUIRED, before it listens', () => {
    expect(withoutIdExitedByItself, withoutId.stdout + withoutId.stderr).toBe(true);
    expect(withoutId.signal ?? null).toBeNull();
    expect(withoutId.code).toBe(1);
    expect(withoutId.stdout).not.toMatch(/listening on/);
    expect(withoutId.stderr).toMatch(/EXTENSION_ID_REQUIRED/);
    expect(withoutId.stderr).toMatch(/Middleware\(\{ applicationId \}\) needs the Extension ID/);
  });
});

describe('cekit/clova-sdk from an ES module', () => {
  it('imports the default export and the named ones; the default export is the whole surface and the verifier', () => {
    copyFileSync(join(FIXTURES_DIR, 'validation/signed-launch-request.json'), join(project, 'vector.json'));
    writeFileSync(
      join(project, 'esm.mjs'),
      `import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import clova from 'cekit/clova-sdk';
import { Client, Context, SpeechBuilder, Middleware, verifier, VerificationError } from 'cekit/clova-sdk';

const vector = JSON.parse(readFileSync('vector.json', 'utf8'));
const result = {};
result.file = relative(process.cwd(), fileURLToPath(import.meta.resolve('cekit/clova-sdk')));
result.defaultType = typeof clova;
result.sameAsNamed = {
  Client: clova.Client === Client,
  Context: clova.Context === Context,
  SpeechBuilder: clova.SpeechBuilder === SpeechBuilder,
  Middleware: clova.Middleware === Middleware,
  verifier: clova.verifier === verifier,
};
result.verified = await clova(vector.signatureCEK, ${JSON.stringify(APPLICATION_ID)}, vector.rawBody);
result.verifiedFromBytes = await verifier(vector.signatureCEK, ${JSON.stringify(APPLICATION_ID)}, Buffer.from(vector.rawBody));
const refused = async (call) => {
  try {
    await call();
    return 'resolved';
  } catch (error) {
    return { isVerificationError: error instanceof VerificationError, name: error.name, code: error.code, status: error.status };
  }
};
result.otherExtension = await refused(() => clova(vector.signatureCEK, 'com.example.other', vector.rawBody));
result.tampered = await refused(() => verifier(vector.signatureCEK, ${JSON.stringify(APPLICATION_ID)}, vector.rawBody.replace('ja-JP', 'ja-JQ')));
const ctx = new Context(result.verified);
ctx.setSimpleSpeech(SpeechBuilder.createSpeechText('おはよう'));
result.context = { intent: ctx.getIntentName(), response: ctx.responseObject.response.outputSpeech };
result.skill = typeof Client.configureSkill().onLaunchRequest(() => {}).handle();
console.log(JSON.stringify(result));
`,
    );
    const result = JSON.parse(run(process.execPath, ['esm.mjs'], project)) as Record<string, unknown>;
    expect(result.file).toBe(join('node_modules', 'cekit', 'dist', 'clova-sdk', 'index.js'));
    expect(result.defaultType).toBe('function');
    expect(result.sameAsNamed).toEqual({
      Client: true,
      Context: true,
      SpeechBuilder: true,
      Middleware: true,
      verifier: true,
    });
    expect(result.verified).toEqual(JSON.parse(LAUNCH.rawBody));
    expect(result.verifiedFromBytes).toEqual(JSON.parse(LAUNCH.rawBody));
    expect(result.otherExtension).toEqual({
      isVerificationError: true,
      name: 'VerificationError',
      code: 'APPLICATION_ID_MISMATCH',
      status: 403,
    });
    expect(result.tampered).toEqual({
      isVerificationError: true,
      name: 'VerificationError',
      code: 'SIGNATURE_INVALID',
      status: 403,
    });
    expect(result.context).toEqual({
      intent: '', // CEK's launch request carries an intent with an empty name, which the SDK gave as is
      response: { type: 'SimpleSpeech', values: { type: 'PlainText', lang: 'ja', value: 'おはよう' } },
    });
    expect(result.skill).toBe('function');
  });
});

describe('cekit/clova-sdk through resolvers that ignore "exports"', () => {
  it('ships the clova-sdk/package.json folder, pointing at files the package has', () => {
    expect(shipped).toEqual(
      expect.arrayContaining([
        'clova-sdk/package.json',
        'dist/clova-sdk/index.cjs',
        'dist/clova-sdk/index.js',
        'dist/clova-sdk/index.d.ts',
        'dist/clova-sdk/index.d.cts',
      ]),
    );
  });

  it('gives a require of the folder path (the legacy algorithm) the very module require("cekit/clova-sdk") gives', () => {
    writeFileSync(
      join(project, 'legacy.cjs'),
      `const path = require('node:path');
const folder = path.join(__dirname, 'node_modules/cekit/clova-sdk');
const viaFolder = require(folder);
const viaExports = require('cekit/clova-sdk');
console.log(JSON.stringify({
  file: path.relative(__dirname, require.resolve(folder)),
  exportsFile: path.relative(__dirname, require.resolve('cekit/clova-sdk')),
  same: viaFolder === viaExports,
  names: Object.keys(viaFolder).sort(),
  types: ['Client', 'Context', 'SpeechBuilder', 'Middleware', 'verifier', 'VerificationError', 'default']
    .map((name) => name + ':' + typeof viaFolder[name]),
  defaultIsVerifier: viaFolder.default.verifier === viaFolder.verifier && viaFolder.default.Client === viaFolder.Client,
}));
`,
    );
    const result = JSON.parse(run(process.execPath, ['legacy.cjs'], project)) as Record<string, unknown>;
    expect(result.file).toBe(join('node_modules', 'cekit', 'dist', 'clova-sdk', 'index.cjs'));
    expect(result.exportsFile).toBe(result.file);
    expect(result.same).toBe(true);
    expect(result.names).toEqual(
      expect.arrayContaining(['Client', 'Context', 'Middleware', 'SpeechBuilder', 'verifier']),
    );
    expect(result.types).toEqual([
      'Client:function',
      'Context:function',
      'SpeechBuilder:function',
      'Middleware:function',
      'verifier:function',
      'VerificationError:function',
      'default:function',
    ]);
    expect(result.defaultIsVerifier).toBe(true);
  });

  // A TypeScript extension written for the SDK: its types by the `Clova` namespace, the handlers'
  // context inferred. Two lines must fail, so declarations that resolved to `any` would not pass.
  const USER_TS = [
    "import { Client, Context, Middleware, SpeechBuilder, type Clova } from 'cekit/clova-sdk';",
    '',
    'export function greet(body: Clova.RequestBody): Clova.SpeechInfoObject {',
    '  const ctx = new Context(body);',
    '  const intent: string | null = ctx.getIntentName();',
    "  return SpeechBuilder.createSpeechText(intent ?? 'おはよう');",
    '}',
    '',
    'export const handler = Client.configureSkill()',
    '  .onLaunchRequest(async (ctx) => {',
    "    ctx.setSimpleSpeech(SpeechBuilder.createSpeechText('x'));",
    '  })',
    '  .onIntentRequest(async (ctx) => {',
    '    switch (ctx.getIntentName()) {',
    "      case 'Clova.GuideIntent':",
    "        ctx.setSpeechList([SpeechBuilder.createSpeechText('help', 'ja'), SpeechBuilder.createSpeechUrl('https://example.com/a.mp3')]);",
    '        break;',
    '      default:',
    "        ctx.setSimpleSpeech(SpeechBuilder.createSpeechText('?')).endSession();",
    '    }',
    '  })',
    '  .handle();',
    '',
    "export const middleware: Clova.Middleware = Middleware({ applicationId: 'com.example.x' });",
    '',
    '// @ts-expect-error -- CEK speaks ja, ko and en only',
    "SpeechBuilder.createSpeechText('x', 'fr');",
    '// @ts-expect-error -- a request is not a speech',
    'export const wrong: Clova.SpeechInfoObject = {} as Clova.RequestBody;',
    '',
  ].join('\n');

  /** An ES module user of TypeScript, importing the default export. */
  const USER_MTS = [
    "import clova, { VerificationError, type Clova } from 'cekit/clova-sdk';",
    '',
    'export async function check(signature: string, body: Buffer): Promise<Clova.RequestBody | string> {',
    '  try {',
    "    return (await clova(signature, 'com.example.x', body)) as Clova.RequestBody;",
    '  } catch (error) {',
    '    return error instanceof VerificationError ? error.code : String(error);',
    '  }',
    '}',
    'export const skill = clova.Client.configureSkill().onLaunchRequest((ctx) => {',
    "  ctx.setSimpleSpeech(clova.SpeechBuilder.createSpeechText('x'));",
    '});',
    '',
  ].join('\n');

  const CHECKS = [
    {
      resolution: 'node10',
      compilerOptions: { module: 'commonjs', moduleResolution: 'node' },
      files: { 'node10.ts': USER_TS },
      // "exports" does not exist for node10: the types are found through the folder's package.json.
      resolvedTo: ['dist/clova-sdk/index.d.ts'],
      via: 'clova-sdk/package.json',
    },
    {
      resolution: 'node16',
      compilerOptions: { module: 'node16', moduleResolution: 'node16' },
      files: { 'node16.ts': USER_TS, 'node16.mts': USER_MTS },
      // "exports": the require condition for the CommonJS file, the import condition for the .mts.
      resolvedTo: ['dist/clova-sdk/index.d.cts', 'dist/clova-sdk/index.d.ts'],
      via: undefined,
    },
  ];
  /** Each check's tsc output (errors and resolution trace), the runs started together. */
  const compiled = new Map<string, Promise<string>>();

  beforeAll(() => {
    for (const { resolution, compilerOptions, files } of CHECKS) {
      for (const [name, text] of Object.entries(files)) writeFileSync(join(project, name), text);
      const config = writeStrictTsconfig(project, resolution, compilerOptions, Object.keys(files));
      const args = [TSC, '-p', config, '--pretty', 'false', '--traceResolution'];
      compiled.set(
        resolution,
        new Promise((resolve) =>
          // tsc reports its errors on stdout, and exits with 2 when there are any.
          execFile(process.execPath, args, { cwd: project, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) =>
            resolve(stdout || String(error ?? '')),
          ),
        ),
      );
    }
  });

  it.each(CHECKS)(
    "type-checks an SDK user's code under strict with $resolution resolution, with no error",
    async ({ resolution, resolvedTo, via }) => {
      const output = await compiled.get(resolution)!;
      expect(output.split('\n').filter((line) => /error TS\d+/.test(line))).toEqual([]);
      const resolved = [
        ...output.matchAll(/Module name 'cekit\/clova-sdk' was successfully resolved to '([^']+)'/g),
      ].map((match) => match[1]!.slice(join(project, 'node_modules/cekit/').length));
      expect([...new Set(resolved)].sort()).toEqual(resolvedTo);
      if (via !== undefined)
        expect(output).toContain(`Found 'package.json' at '${join(project, 'node_modules/cekit', via)}'`);
    },
    // The two runs share the machine with the rest of the suite; each takes some 7 s alone.
    120_000,
  );
});
