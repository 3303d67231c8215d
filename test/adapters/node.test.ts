import { createServer, request, Agent } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createEndpoint, silentLogger, type Dispatcher } from 'cekit';
import { createListener, serve } from 'cekit/node';
import { send } from '../core/http-client.js';
import { signedVector } from '../helpers/fixtures.js';
import { rejectionResponse } from '../../src/adapters/raw-body.js';
import { runConformance, sendHttp } from './conformance.js';
import { listenOnLoopback } from './loopback.js';

const launch = signedVector('signed-launch-request');
const signed = {
  headers: { 'content-type': 'application/json;charset-UTF-8', signaturecek: launch.signatureCEK },
  body: Buffer.from(launch.rawBody),
};
const ANSWER = {
  version: '1.0',
  sessionAttributes: {},
  response: { outputSpeech: {}, card: {}, directives: [], shouldEndSession: true },
};

function endpointWith(dispatch: Dispatcher['dispatch']) {
  return createEndpoint({
    dispatcher: { kinds: ['custom'], dispatch },
    verify: { keyUrl: false },
    extensionId: 'com.chens.morning',
    logger: silentLogger,
  });
}

runConformance({
  name: 'cekit/node serve()',
  streams: true,
  socket: true,
  serve: async (endpoint, options) => {
    const running = await serve(endpoint, {
      port: 0,
      handleSignals: false,
      requestTimeoutMs: options?.bodyTimeoutMs,
    });
    return { url: running.url, send: (request) => sendHttp(running.url, request), close: running.close };
  },
});

runConformance({
  name: 'cekit/node createListener()',
  streams: true,
  socket: true,
  serve: (endpoint, options) => listenOnLoopback(createListener(endpoint, options)),
});

describe('cekit/node: createListener', () => {
  it('plugs into a plain http.createServer', async () => {
    const server = createServer(createListener(endpointWith(() => ANSWER)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const res = await send(url, signed);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
      expect(JSON.parse(res.body)).toEqual(ANSWER);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('answers an endless chunked upload with 413 as soon as it passes the limit', async () => {
    let dispatched = 0;
    const server = createServer(
      createListener(
        createEndpoint({
          dispatcher: { kinds: ['custom'], dispatch: () => (dispatched++, ANSWER) },
          verify: { keyUrl: false },
          extensionId: 'com.chens.morning',
          bodyLimit: 4096,
          logger: silentLogger,
        }),
      ),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      // The client never ends its upload: only an answer given mid-body lets this test finish.
      const answer = await new Promise<{ status: number; connection?: string; body: string }>(
        (resolve, reject) => {
          const req = request(url, { method: 'POST', agent: false });
          req.setHeader('content-type', 'application/json');
          const timer = setInterval(() => req.write(Buffer.alloc(1024, 0x20)), 5);
          req.on('response', (res) => {
            clearInterval(timer);
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk));
            res.on('end', () => {
              req.destroy();
              resolve({ status: res.statusCode!, connection: res.headers.connection, body });
            });
          });
          req.on('error', (error) => (clearInterval(timer), reject(error)));
          req.flushHeaders();
        },
      );
      expect(answer.status).toBe(413);
      expect(answer.connection).toBe('close');
      expect(JSON.parse(answer.body).error.message).toContain('The limit is 4096 bytes.');
      expect(dispatched).toBe(0);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('answers a dispatcher that returns nothing with the fallback, never an empty 200', async () => {
    const server = await serve(
      endpointWith(() => undefined),
      { port: 0, handleSignals: false },
    );
    try {
      const res = await send(server.url, signed);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ version: '1.0', response: { shouldEndSession: true } });
    } finally {
      await server.close();
    }
  });
});

describe('cekit/node: serve()', () => {
  it('listens on loopback with port 0 and reports its URL', async () => {
    const server = await serve(
      endpointWith(() => ANSWER),
      { port: 0, handleSignals: false },
    );
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
      expect(server.port).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('graceful shutdown lets an in-flight request finish, then refuses new connections', async () => {
    let release!: () => void;
    let started!: () => void;
    const inHandler = new Promise<void>((resolve) => (started = resolve));
    const server = await serve(
      endpointWith(async () => {
        started();
        await new Promise<void>((resolve) => (release = resolve));
        return ANSWER;
      }),
      { port: 0, handleSignals: false },
    );
    // A keep-alive client: without `Connection: close` on the last answer it would hold the server open.
    const agent = new Agent({ keepAlive: true });
    const inFlight = new Promise<{ status: number; connection: string | undefined; body: string }>(
      (resolve, reject) => {
        const req = request(server.url, { method: 'POST', agent, headers: signed.headers }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
        });
        req.on('error', reject);
        req.end(signed.body);
      },
    );
    await inHandler;
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    await expect(send(server.url, signed)).rejects.toThrow(/ECONNREFUSED/);

    release();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual(ANSWER);
    expect(answer.connection).toBe('close');
    await closing;
    expect(closed).toBe(true);
    expect(server.server.listening).toBe(false);
    agent.destroy();
  });

  it('cuts connections that outlive shutdownTimeoutMs', async () => {
    const server = await serve(
      endpointWith(() => new Promise(() => {})),
      { port: 0, handleSignals: false, shutdownTimeoutMs: 100 },
    );
    const hanging = send(server.url, signed).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await hanging).toBeInstanceOf(Error);
  });

  it('answers a request whose body never completes with a JSON 408 after requestTimeoutMs', async () => {
    const server = await serve(
      endpointWith(() => ANSWER),
      {
        port: 0,
        handleSignals: false,
        requestTimeoutMs: 300,
      },
    );
    try {
      const res = await send(server.url, { ...signed, declaredLength: signed.body.byteLength + 10 });
      expect(res.status).toBe(408);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'REQUEST_TIMEOUT' } });
    } finally {
      await server.close();
    }
  });

  it('answers a request Node cannot parse with the same refusal as the core, and closes the connection', async () => {
    const server = await serve(
      endpointWith(() => ANSWER),
      { port: 0, handleSignals: false },
    );
    try {
      // A CR smuggled into a header: Node's parser rejects it before any listener runs.
      const text = await new Promise<string>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1');
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('error', reject);
        socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
        socket.end('POST / HTTP/1.1\r\nHost: x\r\nX-A: 1\rX-B: 2\r\nContent-Length: 2\r\n\r\n{}');
      });
      const [head = '', body] = text.split('\r\n\r\n');
      const expected = rejectionResponse('MALFORMED_HTTP');
      expect(body).toBe(expected.body);
      expect(head.split('\r\n')).toEqual([
        'HTTP/1.1 400 Bad Request',
        `content-type: ${expected.headers['content-type']}`,
        `content-length: ${Buffer.byteLength(expected.body)}`,
        'connection: close',
      ]);
    } finally {
      await server.close();
    }
  });

  it('waits for the verification keys before listening (ready)', async () => {
    let ready = false;
    const endpoint = endpointWith(() => ANSWER);
    const waiting = {
      ...endpoint,
      ready: () => new Promise<void>((r) => setTimeout(() => ((ready = true), r()), 50)),
    };
    const server = await serve(waiting, { port: 0, handleSignals: false });
    expect(ready).toBe(true);
    await server.close();
  });
});
