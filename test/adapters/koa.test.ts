import { describe, expect, it } from 'vitest';
import Koa, { type Middleware } from 'koa';
import { silentLogger, type Endpoint, type Logger } from 'cekit';
import { toKoaMiddleware } from 'cekit/koa';
import {
  countingDispatcher,
  expectBodyAlreadyParsed,
  runConformance,
  signedLaunch,
  testEndpoint,
  type HarnessOptions,
  type Served,
} from './conformance.js';
import { listenOnLoopback } from './loopback.js';
import { bodyParser } from '@koa/bodyparser';
import { createRequire } from 'node:module';

// koa-bodyparser (the older, still common parser) ships no types.
const legacyBodyParser = createRequire(import.meta.url)('koa-bodyparser') as () => Middleware;

/**
 * A minimal JSON body parser: reads the whole stream, parses it into ctx.request.body and, when
 * `keepRaw`, keeps the text in rawBody as koa-bodyparser and @koa/bodyparser do. Without `keepRaw` it
 * stands for the parsers that keep nothing.
 */
function jsonBodyParser(keepRaw: boolean): Middleware {
  return async (ctx, next) => {
    if (ctx.is('application/json')) {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      const request = ctx.request as typeof ctx.request & { body?: unknown; rawBody?: string };
      request.body = JSON.parse(text);
      if (keepRaw) request.rawBody = text;
    }
    await next();
  };
}

function serveKoa(endpoint: Endpoint, before: Middleware[] = [], options?: HarnessOptions): Promise<Served> {
  const app = new Koa();
  // Koa itself logs aborted client requests (the mid-body disconnect case) unless silent.
  app.silent = true;
  for (const middleware of before) app.use(middleware);
  app.use(toKoaMiddleware(endpoint, { path: '/clova', logger: silentLogger, ...options }));
  return listenOnLoopback(app.callback());
}

runConformance({
  name: 'Koa',
  streams: true,
  socket: true,
  serve: (endpoint, options) => serveKoa(endpoint, [], options),
  preParsed: [
    {
      name: 'a parser that keeps ctx.request.rawBody (koa-bodyparser style) is fine',
      expect: 'core',
      serve: (endpoint) => serveKoa(endpoint, [jsonBodyParser(true)]),
    },
    {
      name: 'the real @koa/bodyparser mounted first is fine (it keeps ctx.request.rawBody)',
      expect: 'core',
      serve: (endpoint) => serveKoa(endpoint, [bodyParser() as Middleware]),
    },
    {
      name: 'the real koa-bodyparser mounted first is fine (it keeps ctx.request.rawBody)',
      expect: 'core',
      serve: (endpoint) => serveKoa(endpoint, [legacyBodyParser()]),
    },
    {
      name: 'a parser that keeps no raw text is refused with BODY_ALREADY_PARSED',
      expect: 'refused',
      serve: (endpoint) => serveKoa(endpoint, [jsonBodyParser(false)]),
    },
  ],
});

describe('Koa middleware', () => {
  it('passes other paths on to the next middleware', async () => {
    const app = new Koa();
    app.use(toKoaMiddleware(testEndpoint(countingDispatcher()), { path: '/clova', logger: silentLogger }));
    app.use((ctx) => {
      ctx.body = { path: ctx.path };
    });
    const served = await listenOnLoopback(app.callback(), '/other');
    try {
      const answer = await served.send(signedLaunch());
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ path: '/other' });
    } finally {
      await served.close();
    }
  });

  it('logs the fix once when a parser consumed the body', async () => {
    const errors: string[] = [];
    const logger: Logger = { ...silentLogger, error: (message) => errors.push(message) };
    const dispatcher = countingDispatcher();
    const app = new Koa();
    app.use(jsonBodyParser(false));
    app.use(toKoaMiddleware(testEndpoint(dispatcher), { logger }));
    const served = await listenOnLoopback(app.callback());
    try {
      expectBodyAlreadyParsed(await served.send(signedLaunch()));
      expectBodyAlreadyParsed(await served.send(signedLaunch()));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/ctx\.request\.rawBody/);
      expect(dispatcher.calls).toBe(0);
    } finally {
      await served.close();
    }
  });
});
