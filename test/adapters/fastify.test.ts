import { describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { REJECTIONS, type Endpoint } from 'cekit';
import { cekitFastify } from 'cekit/fastify';
import {
  countingDispatcher,
  runConformance,
  sendHttp,
  signedLaunch,
  testEndpoint,
  type HarnessOptions,
  type Served,
} from './conformance.js';

async function listen(app: FastifyInstance, path = '/clova'): Promise<Served> {
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `${address}${path}`;
  return { url, send: (request) => sendHttp(url, request), close: () => app.close() };
}

async function plainApp(endpoint: Endpoint, options?: HarnessOptions): Promise<Served> {
  const app = Fastify();
  await app.register(cekitFastify, { extension: endpoint, path: '/clova', ...options });
  return listen(app);
}

runConformance({
  name: 'Fastify',
  streams: true,
  socket: true,
  serve: plainApp,
  preParsed: [
    {
      name: 'a JSON parser the application registered (re-serialising bodies) never touches the CEK route',
      expect: 'core',
      serve: async (endpoint) => {
        const app = Fastify();
        app.removeContentTypeParser('application/json');
        app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
          done(null, JSON.parse(body as string));
        });
        await app.register(cekitFastify, { extension: endpoint, path: '/clova' });
        return listen(app);
      },
    },
    {
      name: 'a prefix and sibling routes with their own JSON parsing',
      expect: 'core',
      serve: async (endpoint) => {
        const app = Fastify();
        app.post('/other', async (request) => ({ echoed: request.body }));
        await app.register(cekitFastify, { extension: endpoint, path: '/clova', prefix: '/cek' });
        const address = await app.listen({ port: 0, host: '127.0.0.1' });
        // The application's own JSON routes are untouched by the plugin.
        const other = await sendHttp(`${address}/other`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: Buffer.from('{"a":1}'),
        });
        expect(JSON.parse(other.body)).toEqual({ echoed: { a: 1 } });
        const served: Served = {
          send: (request) => sendHttp(`${address}/cek/clova`, request),
          close: () => app.close(),
        };
        return served;
      },
    },
  ],
});

describe('Fastify plugin', () => {
  it("leaves errors from the application's own hooks to the application's error handler", async () => {
    const dispatcher = countingDispatcher();
    const app = Fastify();
    app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
      reply.code(error.statusCode ?? 500).send({ appError: error.message });
    });
    app.addHook('onRequest', async (request) => {
      if (request.headers['x-api-key'] !== 'secret')
        throw Object.assign(new Error('no key'), { statusCode: 401 });
    });
    await app.register(cekitFastify, { extension: testEndpoint(dispatcher), path: '/clova' });
    try {
      const refused = await app.inject({ method: 'POST', url: '/clova', payload: '{}' });
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toEqual({ appError: 'no key' });
      const launch = signedLaunch();
      const allowed = await app.inject({
        method: 'POST',
        url: '/clova',
        headers: { ...(launch.headers as Record<string, string>), 'x-api-key': 'secret' },
        payload: Buffer.from(launch.body!),
      });
      expect(allowed.statusCode).toBe(200);
      expect(dispatcher.calls).toBe(1);
    } finally {
      await app.close();
    }
  });

  it("answers Fastify's own framing errors with the core's JSON format, not Fastify's", async () => {
    const dispatcher = countingDispatcher();
    const app = Fastify();
    await app.register(cekitFastify, { extension: testEndpoint(dispatcher), path: '/clova' });
    try {
      for (const declared of ['100', '3']) {
        const answer = await app.inject({
          method: 'POST',
          url: '/clova',
          headers: { 'content-type': 'application/json', 'content-length': declared },
          payload: '{"a":1}',
        });
        expect(answer.statusCode).toBe(400);
        expect(answer.json()).toEqual({
          error: { code: 'MALFORMED_HTTP', message: REJECTIONS.MALFORMED_HTTP.message },
        });
      }
      expect(dispatcher.calls).toBe(0);
    } finally {
      await app.close();
    }
  });

  it('is encapsulated: the application keeps its JSON parser and error handler', async () => {
    const dispatcher = countingDispatcher();
    const app = Fastify();
    await app.register(cekitFastify, { extension: testEndpoint(dispatcher), path: '/clova' });
    app.post('/json', async (request) => ({ got: request.body }));
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const json = await sendHttp(`${address}/json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{"a":[1,2]}'),
      });
      expect(JSON.parse(json.body)).toEqual({ got: { a: [1, 2] } });
      const broken = await sendHttp(`${address}/json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{'),
      });
      expect(JSON.parse(broken.body).code).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
      const cek = await sendHttp(`${address}/clova`, signedLaunch());
      expect(cek.status).toBe(200);
      expect(dispatcher.calls).toBe(1);
    } finally {
      await app.close();
    }
  });
});

describe('Fastify plugin: methods', () => {
  it.each(['OPTIONS', 'TRACE', 'DELETE', 'GET'])(
    "answers %s with the core's 405 JSON, not Fastify's 404",
    async (method) => {
      const dispatcher = countingDispatcher();
      const served = await plainApp(testEndpoint(dispatcher));
      try {
        const answer = await served.send({ method, headers: {} });
        expect(answer.status).toBe(405);
        expect(answer.headers.allow).toBe('POST');
        expect(JSON.parse(answer.body).error.code).toBe('METHOD_NOT_ALLOWED');
        expect(dispatcher.calls).toBe(0);
      } finally {
        await served.close();
      }
    },
  );
});
