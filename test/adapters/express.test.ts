import { describe, expect, it } from 'vitest';
import express5 from 'express';
import express4 from 'express4';
import { silentLogger, type Logger } from 'cekit';
import { keepRawBody, toExpressHandler } from 'cekit/express';
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
    serve: (endpoint) => {
      const app = express();
      app.all('/clova', toExpressHandler(endpoint, { logger: silentLogger }));
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
