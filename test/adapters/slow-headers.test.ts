/**
 * Slowloris at the header stage: a client that never finishes its request head. Only the server
 * sees such a request, so each documented setup must bound it: serve() itself, and protectServer()
 * on the servers that frameworks create (Express's and Koa's app.listen(), @hono/node-server). The
 * answer is cekit's JSON 408, and the connection is closed.
 */
import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import express from 'express';
import Koa from 'koa';
import Fastify from 'fastify';
import { cekitFastify } from 'cekit/fastify';
import { Hono } from 'hono';
import { serve as serveOnNode } from '@hono/node-server';
import { protectServer, serve } from 'cekit/node';
import { toExpressHandler } from 'cekit/express';
import { toKoaMiddleware } from 'cekit/koa';
import { toHonoHandler } from 'cekit/hono';
import { silentLogger } from 'cekit';
import { countingDispatcher, testEndpoint } from './conformance.js';

const TIMEOUT = 400;

/** Each setup as the adapters guide documents it, with a short request timeout. */
const SETUPS: Record<string, () => Promise<{ port: number; close(): Promise<void> }>> = {
  'serve()': async () => {
    const running = await serve(testEndpoint(countingDispatcher()), {
      port: 0,
      handleSignals: false,
      requestTimeoutMs: TIMEOUT,
    });
    return { port: running.port, close: running.close };
  },
  'Express app.listen() + protectServer': async () => {
    const app = express();
    app.post('/clova', toExpressHandler(testEndpoint(countingDispatcher()), { logger: silentLogger }));
    return started(protectServer(app.listen(0, '127.0.0.1'), { requestTimeoutMs: TIMEOUT }));
  },
  'Koa app.listen() + protectServer': async () => {
    const app = new Koa();
    app.use(toKoaMiddleware(testEndpoint(countingDispatcher()), { path: '/clova', logger: silentLogger }));
    return started(protectServer(app.listen(0, '127.0.0.1'), { requestTimeoutMs: TIMEOUT }));
  },
  '@hono/node-server + protectServer': async () => {
    const app = new Hono();
    app.post('/clova', toHonoHandler(testEndpoint(countingDispatcher()), { logger: silentLogger }));
    const server = serveOnNode({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    return started(protectServer(server, { requestTimeoutMs: TIMEOUT }));
  },
};

async function started(server: Server) {
  if (!server.listening) await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends part of a request head, then nothing; resolves with what the server said and when it closed. */
function stallHeaders(port: number): Promise<{ text: string; ms: number }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const started = performance.now();
    let text = '';
    socket.on('error', () => {});
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('close', () => resolve({ text, ms: performance.now() - started }));
    socket.write('POST /clova HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl');
    // Far beyond any bound under test: if the server never closes, the test times out and fails.
    setTimeout(() => socket.destroy(), 15_000).unref();
  });
}

function expectJson408({ text, ms }: { text: string; ms: number }): void {
  expect(text).toMatch(/^HTTP\/1\.1 408 /);
  expect(text).toMatch(/\r\nconnection: close\r\n/i);
  expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)).error.code).toBe('REQUEST_TIMEOUT');
  // The timeout, plus at most one check interval (half the timeout here) and some slack.
  expect(ms).toBeLessThan(TIMEOUT * 1.5 + 1000);
}

describe('a request head that never completes', () => {
  for (const [name, setup] of Object.entries(SETUPS)) {
    it(`${name}: answered with JSON 408 and closed within the bound`, async () => {
      const server = await setup();
      try {
        expectJson408(await stallHeaders(server.port));
      } finally {
        await server.close();
      }
    });
  }
});

describe('Fastify + protectServer(app.server)', () => {
  it('closes a stalled head with cekit JSON 408', async () => {
    const app = Fastify();
    protectServer(app.server, { requestTimeoutMs: TIMEOUT });
    await app.register(cekitFastify, { extension: testEndpoint(countingDispatcher()), path: '/clova' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      expectJson408(await stallHeaders((app.server.address() as AddressInfo).port));
    } finally {
      await app.close();
    }
  });
});
