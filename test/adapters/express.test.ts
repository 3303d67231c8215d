import { describe, expect, it, vi } from 'vitest';
import { createServer, type ServerResponse } from 'node:http';
import express5 from 'express';
import express4 from 'express4';
import { silentLogger, type Endpoint, type Logger } from 'cekit';
import { protectServer } from 'cekit/node';
import { keepRawBody, toExpressErrorHandler, toExpressHandler } from 'cekit/express';
import {
  countingDispatcher,
  expectBodyAlreadyParsed,
  runConformance,
  signedLaunch,
  testEndpoint,
  type AdapterHarness,
} from './conformance.js';
import { listenOnLoopback, servedBy } from './loopback.js';
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';

type ExpressFactory = typeof express5;

/** Express 4 and 5 behind one harness; `express4` is the npm alias of express@4. */
function expressHarness(name: string, express: ExpressFactory): AdapterHarness {
  return {
    name,
    streams: true,
    socket: true,
    serve: (endpoint, options) => {
      const app = express();
      app.all('/clova', toExpressHandler(endpoint, { logger: silentLogger, ...options }));
      return listenOnLoopback(app);
    },
    preParsed: [
      {
        name: 'express.json() mounted globally without a hook is refused with BODY_ALREADY_PARSED',
        expect: 'refused',
        serve: (endpoint) => {
          const app = express();
          app.use(express.json());
          app.all('/clova', toExpressHandler(endpoint, { logger: silentLogger }));
          return listenOnLoopback(app);
        },
      },
      {
        name: 'express.json({ verify: keepRawBody }) keeps the exact bytes',
        expect: 'core',
        serve: (endpoint) => {
          const app = express();
          app.use(express.json({ verify: keepRawBody }));
          app.all('/clova', toExpressHandler(endpoint, { logger: silentLogger }));
          return listenOnLoopback(app);
        },
      },
      {
        name: 'express.text() for every type (consumes the stream) is refused',
        expect: 'refused',
        serve: (endpoint) => {
          const app = express();
          app.use(express.text({ type: '*/*' }));
          app.all('/clova', toExpressHandler(endpoint, { logger: silentLogger }));
          return listenOnLoopback(app);
        },
      },
      {
        name: 'req.rawBody kept by the platform (Firebase / Google Cloud Functions) is used',
        expect: 'core',
        serve: (endpoint) => {
          const app = express();
          // What the Functions Framework does: parse, and keep the bytes in req.rawBody.
          app.use(
            express.raw({
              type: '*/*',
              verify: (req, _res, buffer) => Object.assign(req, { rawBody: buffer }),
            }),
          );
          app.use((req, _res, next) => {
            req.body = JSON.parse(req.body.toString());
            next();
          });
          app.all('/clova', toExpressHandler(endpoint, { logger: silentLogger }));
          return listenOnLoopback(app);
        },
      },
    ],
  };
}

const express5Harness = expressHarness('Express 5', express5);
let functionCount = 0;
express5Harness.preParsed!.push({
  name: 'the real Google Cloud Functions Framework (it parses the body and keeps req.rawBody)',
  expect: 'core',
  serve: async (endpoint) => {
    const name = `clova${++functionCount}`;
    // The cast only bridges a types clash between two dev dependencies: @koa/bodyparser (koa.test.ts)
    // declares IncomingMessage.rawBody a string, the Functions Framework's Request a Buffer.
    functions.http(
      name,
      toExpressHandler(endpoint, { logger: silentLogger }) as unknown as functions.HttpFunction,
    );
    const server = getTestServer(name);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return servedBy(server, '/');
  },
});
runConformance(express5Harness);
runConformance(expressHarness('Express 4', express4));

describe('Express: a body parser mounted before cekit', () => {
  it.each([
    ['Express 5', express5],
    ['Express 4', express4],
  ])(
    '%s: logs the fix once, naming keepRawBody and the parser, never calling the dispatcher',
    async (_name, express) => {
      const errors: string[] = [];
      const fields: Array<Record<string, unknown> | undefined> = [];
      const logger: Logger = {
        ...silentLogger,
        error: (message, extra) => {
          errors.push(message);
          fields.push(extra);
        },
      };
      const dispatcher = countingDispatcher();
      const app = express();
      app.use(express.urlencoded({ extended: false }));
      app.use(express.json());
      app.post('/clova', toExpressHandler(testEndpoint(dispatcher), { logger }));
      const served = await listenOnLoopback(app);
      try {
        for (let i = 0; i < 3; i++) {
          const answer = await served.send(signedLaunch());
          expectBodyAlreadyParsed(answer);
          expect(JSON.parse(answer.body).error.message).toMatch(/Mount cekit before any body parser/);
        }
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatch(/express\.json\(\{ verify: keepRawBody \}\)/);
        // The log names the parser mounted before the cekit route, read from the router stack.
        expect(fields[0]).toMatchObject({
          code: 'BODY_ALREADY_PARSED',
          parsersBeforeCekit: ['express.urlencoded()', 'express.json()'],
        });
        expect(dispatcher.calls).toBe(0);
      } finally {
        await served.close();
      }
    },
  );

  it('a parser that skipped the request (another content type) leaves the stream to cekit', async () => {
    const dispatcher = countingDispatcher();
    const app = express4();
    app.use(express4.urlencoded({ extended: false }));
    app.post('/clova', toExpressHandler(testEndpoint(dispatcher), { logger: silentLogger }));
    const served = await listenOnLoopback(app);
    try {
      const answer = await served.send(signedLaunch());
      expect(answer.status).toBe(200);
      expect(dispatcher.calls).toBe(1);
    } finally {
      await served.close();
    }
  });
});

/**
 * The documented setup for applications that parse JSON globally: the parser keeps the raw bytes,
 * and cekit's error handler, mounted on the CEK path, answers whatever the parser refuses.
 */
function globalParserApp(express: ExpressFactory, endpoint: Endpoint, logger: Logger = silentLogger) {
  const app = express();
  // Development mode: Express's default handler would log a refused body and answer with its stack.
  app.set('env', 'development');
  app.use(express.json({ verify: keepRawBody }));
  app.all('/clova', toExpressHandler(endpoint, { logger }));
  app.use('/clova', toExpressErrorHandler(endpoint, { logger }));
  return app;
}

for (const [name, express] of [
  ['Express 5', express5],
  ['Express 4', express4],
] as const) {
  runConformance({
    name: `${name} behind a global express.json({ verify: keepRawBody }) with toExpressErrorHandler`,
    streams: true,
    socket: true,
    serve: async (endpoint, options) => {
      const server = createServer(globalParserApp(express, endpoint));
      // The parser reads the body, not cekit: the server bounds it (the documented protectServer).
      protectServer(server, { requestTimeoutMs: options?.bodyTimeoutMs });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return servedBy(server, '/clova');
    },
  });
}

describe('Express: toExpressErrorHandler', () => {
  const unsignedSecret = Buffer.from('{"context":{"System":{"user":{"accessToken":"SECRET-TOKEN"');

  it.each([
    ['Express 5', express5],
    ['Express 4', express4],
  ])(
    '%s: a body the parser cannot parse gets the core answer, no HTML, no stack, no log',
    async (_name, express) => {
      const dispatcher = countingDispatcher();
      const logged: unknown[] = [];
      const spy = vi.spyOn(console, 'error').mockImplementation((...args) => void logged.push(args));
      const served = await listenOnLoopback(globalParserApp(express, testEndpoint(dispatcher)));
      try {
        const answer = await served.send({
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: unsignedSecret,
        });
        expect(answer.status).toBe(401);
        expect(answer.headers['content-type']).toMatch(/^application\/json/);
        expect(JSON.parse(answer.body).error.code).toBe('SIGNATURE_MISSING');
        expect(answer.body).not.toMatch(/SECRET-TOKEN|at |<html/i);
        expect(JSON.stringify(logged)).not.toMatch(/SECRET-TOKEN/);
        expect(logged).toEqual([]);
        expect(dispatcher.calls).toBe(0);
      } finally {
        spy.mockRestore();
        await served.close();
      }
    },
  );

  it("a body over the parser's own limit gets a JSON 413, and the mismatch is logged once", async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
    const dispatcher = countingDispatcher();
    // cekit's default bodyLimit (128 KiB) is above body-parser's default (100 kB).
    const endpoint = testEndpoint(dispatcher, { bodyLimit: 128 * 1024 });
    const served = await listenOnLoopback(globalParserApp(express5, endpoint, logger));
    try {
      const body = Buffer.from(`{"padding":"${'x'.repeat(110 * 1024)}"}`);
      for (let i = 0; i < 2; i++) {
        const answer = await served.send({
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        expect(answer.status).toBe(413);
        expect(JSON.parse(answer.body).error.code).toBe('PAYLOAD_TOO_LARGE');
      }
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/limit: 131072/);
      expect(dispatcher.calls).toBe(0);
    } finally {
      await served.close();
    }
  });

  it('an unsupported charset or encoding gets a JSON 415', async () => {
    const dispatcher = countingDispatcher();
    const served = await listenOnLoopback(globalParserApp(express5, testEndpoint(dispatcher)));
    try {
      for (const headers of <Array<Record<string, string>>>[
        { 'content-type': 'application/json; charset=latin1' },
        { 'content-type': 'application/json', 'content-encoding': 'compress' },
      ]) {
        const answer = await served.send({ method: 'POST', headers, body: Buffer.from('{}') });
        expect(answer.status, JSON.stringify(headers)).toBe(415);
        expect(JSON.parse(answer.body).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      }
      expect(dispatcher.calls).toBe(0);
    } finally {
      await served.close();
    }
  });

  it("leaves errors that are not a body parser's to the application's error handler", async () => {
    const app = express5();
    app.use((_req, _res, next) => next(new Error('database down')));
    app.post('/clova', toExpressHandler(testEndpoint(countingDispatcher()), { logger: silentLogger }));
    app.use('/clova', toExpressErrorHandler(testEndpoint(countingDispatcher()), { logger: silentLogger }));
    app.use((error: Error, _req: unknown, res: ServerResponse, _next: unknown) => {
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ app: error.message }));
    });
    const served = await listenOnLoopback(app);
    try {
      const answer = await served.send(signedLaunch());
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body)).toEqual({ app: 'database down' });
    } finally {
      await served.close();
    }
  });
});
