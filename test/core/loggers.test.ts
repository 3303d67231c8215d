import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pino } from 'pino';
import winston from 'winston';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  adaptLogger,
  createEndpoint,
  createExtension,
  DEFAULT_REDACTED_KEYS,
  REDACTED,
  silentLogger,
  type Endpoint,
  type Logger,
} from 'cekit';
import { createHomeExtension } from 'cekit/home';
import {
  buildHomeControlRequest,
  buildIntentRequest,
  buildLaunchRequest,
  generateTestKeyPair,
} from 'cekit/testing';
import { recordingLogger } from '../custom/harness.js';

const keys = generateTestKeyPair();
const EXTENSION_ID = 'com.example.loggers';
const TOKEN = 'secret-access-token-7d2e';

type Line = Record<string, unknown>;

/** Signs and sends a message through the real endpoint, as CEK would. */
async function send(app: { endpoint: Endpoint }, message: unknown, signature?: string) {
  const body = JSON.stringify(message);
  return app.endpoint.handle({
    method: 'POST',
    headers: { 'content-type': 'application/json', signaturecek: signature ?? keys.sign(body) },
    body: Buffer.from(body),
  });
}

/**
 * One extension exercising every kind of line: the request log, a user line through ctx.log with
 * secrets at several depths, and a handler that throws.
 */
function extensionWith(logger: Logger, redact?: string[]) {
  const app = createExtension({
    extensionId: EXTENSION_ID,
    verify: keys.verifyOptions,
    logger,
    ...(redact ? { redact } : {}),
  });
  app.launch((ctx) => {
    ctx.log.info('user line', {
      accessToken: TOKEN,
      nested: { deeper: [{ Authorization: `Bearer ${TOKEN}` }], pin: '1234' },
      kept: 'visible',
    });
    return ctx.say('hello');
  });
  app.intent('Boom', () => {
    throw new Error('the kitchen is on fire');
  });
  return app;
}

const launch = () => buildLaunchRequest({ extensionId: EXTENSION_ID, accessToken: TOKEN });
const boom = () => buildIntentRequest('Boom', {}, { extensionId: EXTENSION_ID, accessToken: TOKEN });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('pino', () => {
  function pinoLines() {
    const lines: Line[] = [];
    const logger = pino(
      { level: 'debug' },
      { write: (text: string) => void lines.push(JSON.parse(text) as Line) },
    );
    return { logger, lines };
  }

  it('keeps every field of the request line (pino takes the fields first)', async () => {
    const { logger, lines } = pinoLines();
    const app = extensionWith(logger);
    expect((await send(app, launch())).status).toBe(200);
    const request = lines.find((line) => line.msg === 'cekit: request');
    expect(request).toMatchObject({ level: 30, kind: 'custom', type: 'LaunchRequest', status: 200 });
    expect(typeof request!.ms).toBe('number');
  });

  it("logs a handler's error as pino's err, with its stack; the answer has none", async () => {
    const { logger, lines } = pinoLines();
    const app = extensionWith(logger);
    const answer = await send(app, boom());
    expect(answer.status).toBe(200);
    expect(answer.body).not.toMatch(/kitchen|at .*\.ts/);
    const failure = lines.find((line) => line.msg === 'cekit: handler failed');
    expect(failure).toMatchObject({ level: 50, type: 'IntentRequest', intent: 'Boom' });
    const err = failure!.err as Record<string, unknown>;
    expect(err).toMatchObject({ type: 'Error', message: 'the kitchen is on fire' });
    expect(String(err.stack)).toContain('loggers.test.ts');
  });

  it('redacts ctx.log fields at any depth, with the keys the user names', async () => {
    const { logger, lines } = pinoLines();
    const app = extensionWith(logger, ['pin']);
    await send(app, launch());
    const user = lines.find((line) => line.msg === 'user line');
    expect(user).toMatchObject({
      accessToken: REDACTED,
      nested: { deeper: [{ Authorization: REDACTED }], pin: REDACTED },
      kept: 'visible',
    });
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it('recognises a child logger too, and its bindings stay', async () => {
    const { logger, lines } = pinoLines();
    const app = extensionWith(logger.child({ service: 'clova' }));
    await send(app, launch());
    expect(lines.find((line) => line.msg === 'cekit: request')).toMatchObject({
      service: 'clova',
      type: 'LaunchRequest',
      status: 200,
    });
  });
});

describe('winston', () => {
  /** winston's own Stream transport, writing finished lines to a stream read back here. */
  function winstonLines() {
    const lines: Line[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Line);
        done();
      },
    });
    const logger = winston.createLogger({
      level: 'debug',
      format: winston.format.json(),
      transports: [new winston.transports.Stream({ stream })],
    });
    return { logger, lines, flushed: () => new Promise((resolve) => setImmediate(resolve)) };
  }

  it('keeps every field, redacts secrets and logs errors with their stack', async () => {
    const { logger, lines, flushed } = winstonLines();
    const app = extensionWith(logger, ['pin']);
    await send(app, launch());
    await send(app, boom());
    await flushed();
    expect(lines.find((line) => line.message === 'cekit: request')).toMatchObject({
      level: 'info',
      kind: 'custom',
      type: 'LaunchRequest',
      status: 200,
    });
    expect(lines.find((line) => line.message === 'user line')).toMatchObject({
      accessToken: REDACTED,
      nested: { deeper: [{ Authorization: REDACTED }], pin: REDACTED },
    });
    const failure = lines.find((line) => line.message === 'cekit: handler failed');
    expect(failure).toMatchObject({ level: 'error', error: 'the kitchen is on fire', errorName: 'Error' });
    expect(String(failure!.stack)).toContain('loggers.test.ts');
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });
});

describe('console', () => {
  it('gets the message and the fields object, redacted', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const app = extensionWith(console);
    await send(app, launch());
    await send(app, boom());
    expect(info).toHaveBeenCalledWith(
      'cekit: request',
      expect.objectContaining({ kind: 'custom', type: 'LaunchRequest', status: 200 }),
    );
    expect(info).toHaveBeenCalledWith('user line', expect.objectContaining({ accessToken: REDACTED }));
    expect(error).toHaveBeenCalledWith(
      'cekit: handler failed',
      expect.objectContaining({ stack: expect.stringContaining('the kitchen is on fire') as unknown }),
    );
    expect(JSON.stringify([info.mock.calls, error.mock.calls])).not.toContain(TOKEN);
  });
});

describe('consoleLogger', () => {
  const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const LOGGER = pathToFileURL(fileURLToPath(new URL('../../src/core/logger.ts', import.meta.url))).href;

  /** consoleLogger writes to the descriptors themselves: only a separate process can read them back. */
  function run(code: string): Promise<{ stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        [
          '--import',
          TSX,
          '--input-type=module',
          '-e',
          `const { consoleLogger, adaptLogger } = await import(${JSON.stringify(LOGGER)});\n${code}`,
        ],
        { timeout: 20_000 },
        (error, stdout, stderr) => (error ? reject(error) : resolve({ stdout, stderr })),
      );
    });
  }

  it('writes one JSON line per entry: info on stdout, warn and error on stderr, debug filtered', async () => {
    const { stdout, stderr } = await run(`
      const log = adaptLogger(consoleLogger());
      log.debug('not shown', { a: 1 });
      log.info('cekit: request', { kind: 'custom', status: 200, ms: 1.5, accessToken: 'tok' });
      log.warn('cekit: rejected', { code: 'SIGNATURE_INVALID' });
      log.error('failed', { stack: 'Error: x\\n    at y' });
      const cyclic = { name: 'loop' }; cyclic.self = cyclic;
      consoleLogger().info('cycle', { big: 1n });
    `);
    const out = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Line);
    const err = stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Line);
    expect(out[0]).toMatchObject({
      level: 'info',
      msg: 'cekit: request',
      kind: 'custom',
      status: 200,
      ms: 1.5,
    });
    expect(out[0]!.accessToken).toBe(REDACTED);
    expect(new Date(String(out[0]!.time)).toISOString()).toBe(out[0]!.time);
    expect(out[1]).toMatchObject({ level: 'info', msg: 'cycle' });
    expect(String(out[1]!.logError)).toMatch(/not serialisable/);
    expect(out).toHaveLength(2);
    expect(err.map((line) => line.level)).toEqual(['warn', 'error']);
    expect(err[1]!.stack).toBe('Error: x\n    at y');
  });

  it('goes through console where the runtime has no node:fs descriptors', async () => {
    const { stdout } = await run(`
      process.getBuiltinModule = undefined;
      const log = consoleLogger('debug');
      log.debug('through console', { n: 1 });
    `);
    expect(JSON.parse(stdout.trim())).toMatchObject({ level: 'debug', msg: 'through console', n: 1 });
  });
});

describe('redaction', () => {
  function recorded(redact?: string[]) {
    const target = recordingLogger();
    return { target, logger: adaptLogger(target, redact ? { redact } : {}) };
  }

  it('matches the default keys whatever their case or separators', () => {
    const { target, logger } = recorded();
    logger.info('x', {
      access_token: 'a',
      'Access-Token': 'b',
      ACCESSTOKEN: 'c',
      password: 'd',
      clientSecret: 'e',
      'x-api-key': 'f',
      token: 'audio-stream-token',
    });
    expect(target.entries[0]!.fields).toEqual({
      access_token: REDACTED,
      'Access-Token': REDACTED,
      ACCESSTOKEN: REDACTED,
      password: REDACTED,
      clientSecret: REDACTED,
      'x-api-key': REDACTED,
      token: 'audio-stream-token',
    });
    expect(DEFAULT_REDACTED_KEYS).toContain('accessToken');
  });

  it('never mutates the caller’s objects, and passes them through untouched when nothing is secret', () => {
    const { target, logger } = recorded(['pin']);
    const plain = { a: 1, nested: { b: [1, 2, { c: 'd' }] } };
    logger.info('plain', plain);
    expect(target.entries[0]!.fields).toBe(plain);
    const secret = { a: 1, user: { profile: { pin: '0000', name: 'n' } }, list: [{ password: 'p' }, 'x'] };
    const before = structuredClone(secret);
    logger.info('secret', secret);
    expect(secret).toEqual(before);
    expect(target.entries[1]!.fields).toEqual({
      a: 1,
      user: { profile: { pin: REDACTED, name: 'n' } },
      list: [{ password: REDACTED }, 'x'],
    });
  });

  it('cannot be bypassed by nesting, cycles, errors or depth', () => {
    const { target, logger } = recorded();
    const cyclic: Record<string, unknown> = { accessToken: TOKEN };
    cyclic.self = cyclic;
    const failure = Object.assign(
      new Error('request failed', { cause: { headers: { authorization: TOKEN } } }),
      {
        config: { headers: { Authorization: TOKEN } },
      },
    );
    let deep: Record<string, unknown> = { accessToken: TOKEN };
    for (let i = 0; i < 30; i++) deep = { deep };
    logger.error('x', { cyclic, failure, deep });
    const fields = target.entries[0]!.fields!;
    expect(JSON.stringify(fields)).not.toContain(TOKEN);
    expect(fields.cyclic).toEqual({ accessToken: REDACTED, self: '[Circular]' });
    // A copied error is still an error (its class, message and stack), minus the secrets.
    const copied = fields.failure as Error & { config: unknown; cause: unknown };
    expect(copied).toBeInstanceOf(Error);
    expect(copied).not.toBe(failure);
    expect(copied.message).toBe('request failed');
    expect(copied.stack).toBe(failure.stack);
    expect(copied.config).toEqual({ headers: { Authorization: REDACTED } });
    expect(copied.cause).toEqual({ headers: { authorization: REDACTED } });
    expect(Object.keys(copied)).toEqual(['config']); // cause stays non-enumerable, as on the original
    expect(failure.config.headers.Authorization).toBe(TOKEN); // the original is untouched
  });

  it('looks into maps and sets too, which console prints', () => {
    const { target, logger } = recorded();
    const map = new Map<unknown, unknown>([
      ['accessToken', TOKEN],
      ['user', { password: TOKEN }],
      [1, 'one'],
    ]);
    const set = new Set([{ secret: TOKEN }, 'plain']);
    const untouched = new Map([['a', 1]]);
    logger.info('x', { map, set, untouched });
    const fields = target.entries[0]!.fields!;
    expect(fields.map).toEqual(
      new Map<unknown, unknown>([
        ['accessToken', REDACTED],
        ['user', { password: REDACTED }],
        [1, 'one'],
      ]),
    );
    expect(fields.set).toEqual(new Set([{ secret: REDACTED }, 'plain']));
    expect(fields.untouched).toBe(untouched);
    expect(map.get('accessToken')).toBe(TOKEN);
  });

  it('adapting twice keeps one layer, and adds keys named later', () => {
    const target = recordingLogger();
    const once = adaptLogger(target, { redact: ['pin'] });
    expect(adaptLogger(once)).toBe(once);
    expect(adaptLogger(once, { redact: ['PIN'] })).toBe(once);
    const more = adaptLogger(once, { redact: ['email'] });
    more.info('x', { pin: 1, email: 'e', other: 2 });
    expect(target.entries[0]!.fields).toEqual({ pin: REDACTED, email: REDACTED, other: 2 });
  });

  it('the redact option of an extension reaches ctx.log, the request log and the endpoint', async () => {
    const logger = recordingLogger();
    const app = extensionWith(logger, ['pin']);
    await send(app, launch());
    const user = logger.entries.find((entry) => entry.message === 'user line');
    expect(user?.fields).toMatchObject({ nested: { pin: REDACTED } });
  });

  it('Clova Home: the access token never reaches a line, whatever a handler logs', async () => {
    const logger = recordingLogger();
    const home = createHomeExtension({
      verify: keys.verifyOptions,
      logger,
      authenticate: () => ({
        user: {},
        appliances: [{ id: 'light-1', type: 'LIGHT', name: 'Light', manufacturer: 'm', model: 'x' }],
      }),
      actions: {
        TurnOn: () => {
          throw Object.assign(new Error('device cloud down'), { accessToken: TOKEN });
        },
      },
    });
    const answer = await send(home, buildHomeControlRequest('TurnOn', 'light-1', {}, { accessToken: TOKEN }));
    expect(JSON.parse(answer.body).header.name).toBe('DriverInternalError');
    const failure = logger.entries.find((entry) => entry.level === 'error');
    expect(failure?.fields).toMatchObject({
      name: 'TurnOnRequest',
      applianceId: 'light-1',
      error: 'device cloud down',
    });
    expect(String(failure?.fields?.stack)).toContain('loggers.test.ts');
    expect(JSON.stringify(logger.entries)).not.toContain(TOKEN);
  });
});

describe('levels', () => {
  function endpointWith(logger: Logger, requestLog: 'info' | 'debug' | false = 'info') {
    return createEndpoint({
      extensionId: EXTENSION_ID,
      verify: keys.verifyOptions,
      logger,
      requestLog,
      dispatcher: {
        kinds: ['custom'],
        dispatch: () => ({
          version: '1.0',
          sessionAttributes: {},
          response: { outputSpeech: {}, card: {}, directives: [], shouldEndSession: true },
        }),
      },
    });
  }

  const rejected = (logger: ReturnType<typeof recordingLogger>) =>
    logger.entries
      .filter((entry) => entry.message === 'cekit: rejected')
      .map((entry) => [entry.level, entry.fields?.code]);

  it('a forged, unsigned or misdirected request is a warning; a stray GET is routine', async () => {
    const logger = recordingLogger();
    const endpoint = endpointWith(logger);
    const body = JSON.stringify(launch());
    const post = (headers: Record<string, string>, text = body) =>
      endpoint.handle({
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: Buffer.from(text),
      });
    await endpoint.handle({ method: 'GET', headers: {}, body: new Uint8Array() });
    await post({});
    await post({ signaturecek: keys.sign(body) }, body.replace('LaunchRequest', 'LaunchRequesT'));
    const other = JSON.stringify(buildLaunchRequest({ extensionId: 'com.example.other' }));
    await post({ signaturecek: keys.sign(other) }, other);
    expect(rejected(logger)).toEqual([
      ['info', 'METHOD_NOT_ALLOWED'],
      ['warn', 'SIGNATURE_MISSING'],
      ['warn', 'SIGNATURE_INVALID'],
      ['warn', 'APPLICATION_ID_MISMATCH'],
    ]);
  });

  it('requestLog: debug moves routine lines only; requestLog: false writes none', async () => {
    const quiet = recordingLogger();
    await endpointWith(quiet, 'debug').handle({ method: 'GET', headers: {}, body: new Uint8Array() });
    await endpointWith(quiet, 'debug').handle({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{}'),
    });
    expect(rejected(quiet)).toEqual([
      ['debug', 'METHOD_NOT_ALLOWED'],
      ['warn', 'SIGNATURE_MISSING'],
    ]);
    const off = recordingLogger();
    await endpointWith(off, false).handle({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{}'),
    });
    expect(off.entries).toEqual([]);
  });

  it('a logger that throws never fails the request', async () => {
    const report = vi.spyOn(console, 'error').mockImplementation(() => {});
    const throwing: Logger = {
      ...silentLogger,
      info: () => {
        throw new Error('disk full');
      },
    };
    const answer = await send({ endpoint: endpointWith(throwing) }, launch());
    expect(answer.status).toBe(200);
    expect(report.mock.calls.length).toBeLessThanOrEqual(1);
  });

  it('a logger without the four methods is refused at start-up', () => {
    expect(() =>
      createExtension({ extensionId: EXTENSION_ID, logger: { info() {} } as unknown as Logger }),
    ).toThrow(/debug, info, warn and error/);
  });
});
