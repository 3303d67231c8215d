/**
 * cekit/clova-sdk as an SDK user runs it: Express, `Middleware({ applicationId })` in front of
 * `Client.configureSkill()...handle()`, and the other setups (handle alone, Firebase, Lambda), with
 * requests signed by a test key the endpoint trusts (and the real CEK-signed vector where it fits).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import express from 'express';
import { createExtension, type Logger } from 'cekit';
import { keepRawBody } from 'cekit/express';
import {
  buildEventRequest,
  buildIntentRequest,
  buildLaunchRequest,
  buildSessionEndedRequest,
  generateTestKeyPair,
} from 'cekit/testing';
import {
  Client,
  Middleware,
  SpeechBuilder,
  type Context,
  type MiddlewareOptions,
  type SkillOptions,
} from 'cekit/clova-sdk';
import { listenOnLoopback } from '../adapters/loopback.js';
import type { Served, WireAnswer } from '../adapters/conformance.js';

const APP_ID = 'com.example.sdk-user';
const keys = generateTestKeyPair();

/** A logger that keeps what it is told, to assert on warnings. */
function recordingLogger(): Logger & { lines: Array<{ level: string; msg: string }> } {
  const lines: Array<{ level: string; msg: string }> = [];
  const at = (level: string) => (msg: unknown) => void lines.push({ level, msg: String(msg) });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const options = (logger: Logger, extra: Partial<SkillOptions> = {}): SkillOptions & MiddlewareOptions => ({
  applicationId: APP_ID,
  verify: keys.verifyOptions,
  logger,
  requestLog: false,
  ...extra,
});

const servers: Served[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(app: express.Express): Promise<Served> {
  const served = await listenOnLoopback(app);
  servers.push(served);
  return served;
}

/** Posts a message, signed by the test key unless `signed: false`; the body's bytes as given. */
function post(
  server: Served,
  message: unknown,
  { signed = true, body }: { signed?: boolean; body?: string } = {},
): Promise<WireAnswer> {
  const text = body ?? JSON.stringify(message);
  return server.send({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signed ? { signaturecek: keys.sign(text) } : {}) },
    body: Buffer.from(text, 'utf8'),
  });
}

// The answers' shapes vary by case; each test reads the fields it checks.
const json = (answer: WireAnswer) => JSON.parse(answer.body) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const spoken = (answer: WireAnswer) => json(answer).response.outputSpeech.values?.value as unknown;

/** The SDK's documented shape: one handler per type, the intent handler a switch. */
function documentedSkill(logger: Logger, extra: Partial<SkillOptions> = {}) {
  const calls: string[] = [];
  const skill = Client.configureSkill({ logger, ...(extra.extension ? { extension: extra.extension } : {}) })
    .onLaunchRequest((helper) => {
      calls.push('launch');
      helper.setSimpleSpeech({ lang: 'ja', type: 'PlainText', value: 'おはよう' });
    })
    .onIntentRequest(async function (this: Context, helper) {
      calls.push(`intent:${helper.getIntentName()}`);
      expect(this).toBe(helper);
      await new Promise((resolve) => setTimeout(resolve, 5));
      switch (helper.getIntentName()) {
        case 'Clova.YesIntent':
          helper.setSimpleSpeech({ lang: 'ja', type: 'PlainText', value: 'はいはい' });
          break;
        case 'Clova.NoIntent':
          helper.setSimpleSpeech(SpeechBuilder.createSpeechText('いえいえ'));
          break;
        case 'Count': {
          const attributes = helper.getSessionAttributes() as { count?: number };
          attributes.count = (attributes.count ?? 0) + 1;
          helper.setSimpleSpeech(SpeechBuilder.createSpeechText(`${attributes.count}`));
          break;
        }
        case 'Boom':
          throw new Error('the handler broke');
        case 'Hang':
          await new Promise((resolve) => setTimeout(resolve, 2000));
          break;
        default:
          helper.setSimpleSpeech(SpeechBuilder.createSpeechText('なんなん'));
      }
    });
  const app = express();
  app.post('/clova', Middleware(options(logger, extra)), skill.handle());
  return { app, calls };
}

describe('cekit/clova-sdk: the SDK’s documented Express setup', () => {
  it('answers signed requests through the handlers, with the context as argument and `this`', async () => {
    const logger = recordingLogger();
    const { app, calls } = documentedSkill(logger);
    const server = await serve(app);
    const launch = await post(server, buildLaunchRequest({ extensionId: APP_ID }));
    expect(launch.status).toBe(200);
    expect(json(launch)).toEqual({
      version: '1.0',
      sessionAttributes: {},
      response: {
        card: {},
        directives: [],
        outputSpeech: { type: 'SimpleSpeech', values: { lang: 'ja', type: 'PlainText', value: 'おはよう' } },
        shouldEndSession: false,
      },
    });
    expect(
      spoken(await post(server, buildIntentRequest('Clova.YesIntent', {}, { extensionId: APP_ID }))),
    ).toBe('はいはい');
    expect(
      spoken(await post(server, buildIntentRequest('Clova.NoIntent', {}, { extensionId: APP_ID }))),
    ).toBe('いえいえ');
    expect(calls).toEqual(['launch', 'intent:Clova.YesIntent', 'intent:Clova.NoIntent']);
  });

  it('carries changes to the session attributes the request brought, as the SDK did', async () => {
    const { app } = documentedSkill(recordingLogger());
    const server = await serve(app);
    const answer = await post(
      server,
      buildIntentRequest(
        'Count',
        {},
        { extensionId: APP_ID, session: { new: false, attributes: { count: 2 } } },
      ),
    );
    expect(spoken(answer)).toBe('3');
    expect(json(answer).sessionAttributes).toEqual({ count: 3 });
  });

  it('refuses forged, unsigned, misdirected and malformed requests with a JSON 4xx; no handler runs', async () => {
    const logger = recordingLogger();
    const { app, calls } = documentedSkill(logger);
    const server = await serve(app);
    const launch = JSON.stringify(buildLaunchRequest({ extensionId: APP_ID }));
    const cases: Array<[string, Promise<WireAnswer>, number, string]> = [
      [
        'forged body',
        server.send({
          method: 'POST',
          headers: { 'content-type': 'application/json', signaturecek: keys.sign(launch) },
          body: Buffer.from(launch.replace('LaunchRequest', 'IntentRequest')),
        }),
        403,
        'SIGNATURE_INVALID',
      ],
      ['unsigned', post(server, undefined, { signed: false, body: launch }), 401, 'SIGNATURE_MISSING'],
      [
        'another extension',
        post(server, buildLaunchRequest({ extensionId: 'com.other' })),
        403,
        'APPLICATION_ID_MISMATCH',
      ],
      ['not JSON', post(server, undefined, { body: '{"version":' }), 400, 'INVALID_JSON'],
      [
        'not a CEK message',
        post(server, { ...buildLaunchRequest({ extensionId: APP_ID }), request: { type: 'Nope' } }),
        400,
        'INVALID_MESSAGE',
      ],
      [
        'a __proto__ key',
        post(server, undefined, { body: '{"__proto__":{"x":1}}' }),
        400,
        'JSON_FORBIDDEN_KEY',
      ],
    ];
    for (const [name, pending, status, code] of cases) {
      const answer = await pending;
      expect(answer.status, name).toBe(status);
      expect(answer.headers['content-type'], name).toMatch(/^application\/json/);
      expect(json(answer).error.code, name).toBe(code);
    }
    expect(calls).toEqual([]);
  });

  it('answers a request type without a handler with a valid empty response (the SDK answered 500), warned once', async () => {
    const logger = recordingLogger();
    const { app } = documentedSkill(logger);
    const server = await serve(app);
    for (let i = 0; i < 2; i++) {
      const ended = await post(server, buildSessionEndedRequest({ extensionId: APP_ID }));
      expect(ended.status).toBe(200);
      expect(json(ended).response).toEqual({
        card: {},
        directives: [],
        outputSpeech: {},
        shouldEndSession: false,
      });
    }
    const event = await post(
      server,
      buildEventRequest('AudioPlayer.PlayFinished', undefined, { extensionId: APP_ID }),
    );
    expect(event.status).toBe(200);
    expect(json(event).response.shouldEndSession).toBe(true);
    const warnings = logger.lines.filter((line) => line.msg.includes('no handler for'));
    expect(warnings.map((line) => line.msg)).toEqual([
      expect.stringContaining('no handler for SessionEndedRequest'),
      expect.stringContaining('no handler for EventRequest'),
    ]);
  });

  it('answers a handler that throws, or misses the response budget, with the fallback (never a 5xx)', async () => {
    const logger = recordingLogger();
    const { app } = documentedSkill(logger, { responseBudgetMs: 300 });
    const server = await serve(app);
    const broken = await post(server, buildIntentRequest('Boom', {}, { extensionId: APP_ID }));
    expect(broken.status).toBe(200);
    expect(json(broken).response.shouldEndSession).toBe(true);
    expect(typeof spoken(broken)).toBe('string');
    const started = performance.now();
    const hung = await post(server, buildIntentRequest('Hang', {}, { extensionId: APP_ID }));
    expect(hung.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(json(hung).response.shouldEndSession).toBe(true);
  });

  it('lets a handler of the user’s own after the Middleware answer with the verified req.body', async () => {
    const app = express();
    app.post('/clova', Middleware(options(recordingLogger())), (req, res) => {
      res.json({ seen: (req.body as { request: { type: string } }).request.type });
    });
    const server = await serve(app);
    const answer = await post(server, buildLaunchRequest({ extensionId: APP_ID }));
    expect(answer.status).toBe(200);
    expect(json(answer)).toEqual({ seen: 'LaunchRequest' });
    const unsigned = await post(server, buildLaunchRequest({ extensionId: APP_ID }), { signed: false });
    expect(unsigned.status).toBe(401);
  });

  it('refuses to start a Middleware without an applicationId (the SDK answered every request 500)', () => {
    expect(() => Middleware({ applicationId: '' })).toThrow(
      expect.objectContaining({ code: 'EXTENSION_ID_REQUIRED' }),
    );
    expect(() => Middleware({ applicationId: undefined as unknown as string })).toThrow(/applicationId/);
  });
});

describe('cekit/clova-sdk: a JSON body parser in front', () => {
  function parsedFirst(extra: Partial<SkillOptions>, logger = recordingLogger()) {
    let calls = 0;
    const skill = Client.configureSkill({ logger, requestLog: false, ...extra }).onLaunchRequest((helper) => {
      calls++;
      helper.setSimpleSpeech(SpeechBuilder.createSpeechText('ok'));
    });
    const app = express();
    app.post('/clova', express.json(), skill.handle());
    return { app, logger, calls: () => calls };
  }

  it('is refused with BODY_ALREADY_PARSED, the fix logged once; the handler never runs', async () => {
    const { app, logger, calls } = parsedFirst({});
    const server = await serve(app);
    for (const signed of [false, true]) {
      const answer = await post(server, buildLaunchRequest({ extensionId: APP_ID }), { signed });
      expect(answer.status).toBe(400);
      expect(json(answer).error.code).toBe('BODY_ALREADY_PARSED');
    }
    expect(calls()).toBe(0);
    const fixes = logger.lines.filter((line) => line.msg.includes('Middleware({ applicationId })'));
    expect(fixes).toHaveLength(1);
    expect(fixes[0]!.level).toBe('error');
  });

  it('is accepted unverified only behind the explicit opt-out, which warns', async () => {
    const { app, logger, calls } = parsedFirst({ verify: false });
    const server = await serve(app);
    const answer = await post(server, buildLaunchRequest({ extensionId: 'any.id' }), { signed: false });
    expect(answer.status).toBe(200);
    expect(spoken(answer)).toBe('ok');
    expect(calls()).toBe(1);
    expect(
      logger.lines.some((line) => line.level === 'warn' && /VERIFICATION IS DISABLED/.test(line.msg)),
    ).toBe(true);
  });

  it('takes the opt-out from CEKIT_CLOVA_SDK_VERIFY=false too (for suites that cannot change), nothing else', async () => {
    vi.stubEnv('CEKIT_CLOVA_SDK_VERIFY', 'no');
    expect(
      (await post(await serve(parsedFirst({}).app), buildLaunchRequest(), { signed: false })).status,
    ).toBe(400);
    vi.stubEnv('CEKIT_CLOVA_SDK_VERIFY', 'false');
    const { app, logger } = parsedFirst({});
    expect((await post(await serve(app), buildLaunchRequest(), { signed: false })).status).toBe(200);
    expect(logger.lines.some((line) => line.msg.includes('CEKIT_CLOVA_SDK_VERIFY=false'))).toBe(true);
  });

  it('refuses the opt-out at start-up when NODE_ENV=production, by option or by environment', () => {
    vi.stubEnv('NODE_ENV', 'production');
    const refused = expect.objectContaining({ code: 'VERIFICATION_DISABLED_IN_PRODUCTION' });
    expect(() => Client.configureSkill({ verify: false, logger: recordingLogger() }).handle()).toThrow(
      refused,
    );
    expect(() => Client.configureSkill({ verify: false, logger: recordingLogger() }).lambda()).toThrow(
      refused,
    );
    expect(() => Middleware({ applicationId: APP_ID, verify: false, logger: recordingLogger() })).toThrow(
      refused,
    );
    vi.stubEnv('CEKIT_CLOVA_SDK_VERIFY', 'false');
    expect(() => Client.configureSkill({ logger: recordingLogger() }).handle()).toThrow(refused);
  });

  it('express.json({ verify: keepRawBody }) keeps the bytes: verified by the skill alone', async () => {
    const skill = Client.configureSkill(options(recordingLogger())).onLaunchRequest((helper) =>
      helper.setSimpleSpeech(SpeechBuilder.createSpeechText('kept')),
    );
    const app = express();
    app.use(express.json({ verify: keepRawBody }));
    app.post('/clova', skill.handle());
    const server = await serve(app);
    expect(spoken(await post(server, buildLaunchRequest({ extensionId: APP_ID })))).toBe('kept');
    expect((await post(server, buildLaunchRequest({ extensionId: APP_ID }), { signed: false })).status).toBe(
      401,
    );
  });
});

describe('cekit/clova-sdk: handle() alone, firebase(), lambda()', () => {
  it('handle() with no Middleware and no applicationId refuses, and says how to fix it', async () => {
    const logger = recordingLogger();
    const skill = Client.configureSkill({ logger, requestLog: false }).onLaunchRequest(() => {
      throw new Error('never reached');
    });
    const app = express();
    app.post('/clova', skill.handle());
    const server = await serve(app);
    const answer = await post(server, buildLaunchRequest({ extensionId: APP_ID }));
    expect(answer.status).toBe(403);
    expect(json(answer).error.code).toBe('APPLICATION_ID_MISMATCH');
    expect(logger.lines.filter((line) => line.level === 'error')[0]?.msg).toMatch(
      /Middleware\(\{ applicationId \}\)/,
    );
  });

  it('firebase() verifies the bytes the platform kept in req.rawBody', async () => {
    const skill = Client.configureSkill(options(recordingLogger())).onLaunchRequest((helper) =>
      helper.setSimpleSpeech(SpeechBuilder.createSpeechText('firebase')),
    );
    const app = express();
    // What Firebase does before the function runs: parse the body and keep its bytes.
    app.use(express.json({ verify: (req, _res, buffer) => Object.assign(req, { rawBody: buffer }) }));
    app.post('/clova', skill.firebase());
    const server = await serve(app);
    expect(spoken(await post(server, buildLaunchRequest({ extensionId: APP_ID })))).toBe('firebase');
    expect((await post(server, buildLaunchRequest({ extensionId: APP_ID }), { signed: false })).status).toBe(
      401,
    );
  });

  const restEvent = (body: string, signature?: string) => ({
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/json', ...(signature ? { SignatureCEK: signature } : {}) },
    body,
    isBase64Encoded: false,
  });

  it('lambda() verifies API Gateway events and answers with an HTTP result', async () => {
    const handler = Client.configureSkill(options(recordingLogger()))
      .onLaunchRequest((helper) => helper.setSimpleSpeech(SpeechBuilder.createSpeechText('lambda')))
      .lambda();
    const body = JSON.stringify(buildLaunchRequest({ extensionId: APP_ID }));
    const ok = await handler(restEvent(body, keys.sign(body)));
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body).response.outputSpeech.values.value).toBe('lambda');
    const forged = await handler(restEvent(body.replace('ja-JP', 'ko-KR'), keys.sign(body)));
    expect(forged.statusCode).toBe(403);
    expect(JSON.parse(forged.body).error.code).toBe('SIGNATURE_INVALID');
  });

  it('lambda() refuses a bare request event (nothing to verify) unless verification is off', async () => {
    const logger = recordingLogger();
    const launch = buildLaunchRequest({ extensionId: APP_ID });
    const verified = Client.configureSkill(options(logger)).onLaunchRequest(() => {
      throw new Error('never reached');
    });
    expect(await verified.lambda()(launch)).toEqual({
      error: expect.objectContaining({ code: 'SIGNATURE_MISSING' }),
    });
    const open = Client.configureSkill({ verify: false, logger, requestLog: false }).onLaunchRequest(
      (helper) => helper.setSimpleSpeech(SpeechBuilder.createSpeechText('open')),
    );
    const answer = await open.lambda()(launch);
    expect(answer.response.outputSpeech.values.value).toBe('open');
  });

  it('lambda() without an applicationId refuses to start (ConfigurationError), naming the fix', () => {
    expect(() => Client.configureSkill({ logger: recordingLogger() }).lambda()).toThrow(
      expect.objectContaining({
        code: 'EXTENSION_ID_REQUIRED',
        message: expect.stringContaining('applicationId'),
      }),
    );
  });
});

describe('cekit/clova-sdk: registering handlers', () => {
  it('keeps the first handler of a type, warning about the ignored one and about unknown types', () => {
    const logger = recordingLogger();
    const first = () => {};
    const skill = Client.configureSkill({ logger })
      .on('LaunchRequest', first)
      .onLaunchRequest(() => {})
      .on('Launch' as 'LaunchRequest', () => {});
    expect(skill.config.requestHandlers.LaunchRequest).toBe(first);
    expect(logger.lines.map((line) => line.msg)).toEqual([
      expect.stringContaining('already registered'),
      expect.stringContaining('"Launch" is not a CEK request type'),
    ]);
  });
});

describe('cekit/clova-sdk: moving to the native API one handler at a time', () => {
  it('a native extension’s handlers answer first, the SDK handlers the rest, behind one endpoint', async () => {
    const native = createExtension({ extensionId: APP_ID, logger: recordingLogger() });
    native.intent('Clova.YesIntent', (ctx) => ctx.say('ネイティブ'));
    native.sessionEnded(() => {});
    const { app, calls } = documentedSkill(recordingLogger(), { extension: native });
    const server = await serve(app);
    expect(
      spoken(await post(server, buildIntentRequest('Clova.YesIntent', {}, { extensionId: APP_ID }))),
    ).toBe('ネイティブ');
    expect(
      spoken(await post(server, buildIntentRequest('Clova.NoIntent', {}, { extensionId: APP_ID }))),
    ).toBe('いえいえ');
    expect(spoken(await post(server, buildLaunchRequest({ extensionId: APP_ID })))).toBe('おはよう');
    // No SDK handler for session ends: the native one answers (a valid empty answer).
    const ended = await post(server, buildSessionEndedRequest({ extensionId: APP_ID }));
    expect(ended.status).toBe(200);
    expect(calls).toEqual(['intent:Clova.NoIntent', 'launch']);
  });

  it('a handler that misses the budget gets the native extension’s fallback speech, through the Middleware too', async () => {
    const native = createExtension({
      extensionId: APP_ID,
      logger: recordingLogger(),
      fallbackSpeech: { ja: { timeout: '少々お待ちください', error: 'ごめんなさい' } },
    });
    native.intent('Slow', async (ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      ctx.say('遅すぎ');
    });
    const { app } = documentedSkill(recordingLogger(), { extension: native, responseBudgetMs: 300 });
    const server = await serve(app);
    expect(spoken(await post(server, buildIntentRequest('Slow', {}, { extensionId: APP_ID })))).toBe(
      '少々お待ちください',
    );
    // The SDK-style handler's failure gets the same extension's error speech.
    expect(spoken(await post(server, buildIntentRequest('Boom', {}, { extensionId: APP_ID })))).toBe(
      'ごめんなさい',
    );
  });
});
