import { describe, expect, it } from 'vitest';
import { Hono, type MiddlewareHandler } from 'hono';
import { silentLogger, type Endpoint } from 'cekit';
import { toFetchHandler } from 'cekit/fetch';
import { toHonoHandler } from 'cekit/hono';
import { serve as serveOnNode } from '@hono/node-server';
import type { Server } from 'node:http';
import { once } from 'node:events';
import {
  countingDispatcher,
  runConformance,
  signedLaunch,
  testEndpoint,
  type HarnessOptions,
  type Served,
  type WireRequest,
} from './conformance.js';
import { servedBy } from './loopback.js';

/** A Fetch handler served on a real port by @hono/node-server, the way Hono runs on Node. */
async function onNodeServer(fetch: (request: Request) => Response | Promise<Response>): Promise<Served> {
  const server = serveOnNode({ fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await once(server, 'listening');
  return servedBy(server, '/clova');
}

/** Hono apps are tested the way Hono documents it: `app.request()`, a Fetch `Request` in, `Response` out. */
function viaHono(app: Hono) {
  return {
    send: async (request: WireRequest) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers))
        for (const one of [value].flat()) headers.append(name, one);
      const body = request.body && request.body.byteLength > 0 ? new Uint8Array(request.body) : undefined;
      const response = await app.request('http://127.0.0.1/clova', { method: request.method, headers, body });
      return {
        status: response.status,
        headers: headersOf(response),
        body: await response.text(),
      };
    },
    close: async () => {},
  };
}

function headersOf(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  return headers;
}

function honoApp(endpoint: Endpoint, before?: MiddlewareHandler, options?: HarnessOptions) {
  const app = new Hono();
  if (before) app.use('/clova', before);
  app.all('/clova', toHonoHandler(endpoint, { logger: silentLogger, ...options }));
  return app;
}

runConformance({
  name: 'Hono (cekit/hono)',
  streams: false,
  socket: false,
  serve: async (endpoint) => viaHono(honoApp(endpoint)),
  preParsed: [
    {
      name: 'a middleware that read c.req.json() (Hono caches the text)',
      expect: 'core',
      serve: async (endpoint) =>
        viaHono(
          honoApp(endpoint, async (c, next) => {
            await c.req.json();
            await next();
          }),
        ),
    },
    {
      name: 'a middleware that read c.req.arrayBuffer()',
      expect: 'core',
      serve: async (endpoint) =>
        viaHono(
          honoApp(endpoint, async (c, next) => {
            await c.req.arrayBuffer();
            await next();
          }),
        ),
    },
    {
      name: 'a middleware that consumed c.req.raw directly is refused with BODY_ALREADY_PARSED',
      expect: 'refused',
      serve: async (endpoint) =>
        viaHono(
          honoApp(endpoint, async (c, next) => {
            await c.req.raw.text();
            await next();
          }),
        ),
    },
  ],
});

runConformance({
  name: 'Hono (cekit/hono) on @hono/node-server',
  streams: true,
  socket: true,
  serve: (endpoint, options) => onNodeServer(honoApp(endpoint, undefined, options).fetch),
});

runConformance({
  name: 'cekit/fetch on @hono/node-server',
  streams: true,
  socket: true,
  serve: (endpoint, options) => onNodeServer(toFetchHandler(endpoint, options)),
});

describe('Hono with cekit/fetch', () => {
  it('c.req.raw handed to toFetchHandler is enough when nothing read the body first', async () => {
    const dispatcher = countingDispatcher();
    const handler = toFetchHandler(testEndpoint(dispatcher));
    const app = new Hono();
    app.post('/clova', (c) => handler(c.req.raw));
    const answer = await viaHono(app).send(signedLaunch());
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).response.outputSpeech.values.value).toBe('got LaunchRequest');
    expect(dispatcher.calls).toBe(1);
  });
});
