/**
 * `node:http` adapter: a request listener and a `serve()` helper with graceful shutdown.
 * @module cekit/node
 */
import {
  createServer,
  STATUS_CODES,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { toEndpoint, type EndpointSource, type RawResponse } from '../core/endpoint.js';
import { oversizedResponse, rejectionResponse } from './raw-body.js';

export type { EndpointSource } from '../core/endpoint.js';

/** A `(req, res)` listener for `http.createServer`, `https.createServer` or any Node framework's raw hook. */
export function createListener(source: EndpointSource): RequestListener {
  return listenerFor(source, () => false);
}

/** The listener behind `createListener` and `serve`; `closing()` makes every answer close its connection. */
function listenerFor(source: EndpointSource, closing: () => boolean): RequestListener {
  const endpoint = toEndpoint(source);
  const limit = endpoint.bodyLimit;
  return (req, res) => {
    // The response budget counts from here: time spent reading a slow body is not the handler's.
    const receivedAt = performance.now();
    // Refuse a declared oversize body before reading a byte of it. (A Content-Length that lies low is
    // cut by Node's parser at the declared length; one that lies high never completes and is ended by
    // serve()'s request timeout. Chunked bodies are counted as they arrive.)
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      write(res, oversizedResponse(req.method ?? 'GET', req.headers, limit), true);
      req.resume();
      return;
    }
    // Plain listeners, no promise per body: this is the hot path.
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Keep draining (not buffering) so the answer can be written; the connection is then closed.
      over = true;
      chunks.length = 0;
      write(res, oversizedResponse(req.method ?? 'GET', req.headers, limit), true);
    });
    req.on('end', () => {
      if (over) return;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      const answer = endpoint.handle({ method: req.method ?? 'GET', headers: req.headers, body, receivedAt });
      if (!('then' in answer)) {
        write(res, answer, closing());
        return;
      }
      answer.then(
        (ready) => write(res, ready, closing()),
        // The endpoint never rejects by contract; answer a 4xx rather than trust that blindly.
        () => write(res, rejectionResponse('INVALID_MESSAGE'), closing()),
      );
    });
    // The client went away mid-body: nobody is left to answer.
    req.on('error', () => res.destroy());
  };
}

function write(res: ServerResponse, answer: RawResponse, close: boolean): void {
  const headers: Record<string, string | number> = {
    ...answer.headers,
    'content-length': Buffer.byteLength(answer.body),
  };
  // During a graceful shutdown, tell keep-alive clients to let go of the connection; after an
  // oversized body, stop a client that keeps streaming it.
  if (close) headers.connection = 'close';
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

/** Options of `serve()`. */
export interface ServeOptions {
  /** Default 3000, or `PORT` from the environment. 0 picks a free port. */
  port?: number;
  /** Default `127.0.0.1`; use `0.0.0.0` behind a TLS-terminating proxy. */
  host?: string;
  /** How long in-flight requests get to finish on shutdown before their connections are cut. Default 10 s. */
  shutdownTimeoutMs?: number;
  /**
   * Longest a client may take to send a whole request. Default 15 s: CEK sends a few KiB at once and
   * gives up after 8 s anyway, so a slower upload is a stuck or hostile client.
   */
  requestTimeoutMs?: number;
  /** Close on SIGINT/SIGTERM. Default true. */
  handleSignals?: boolean;
}

/** What `serve()` resolves to: the listening server, its address, and a graceful `close()`. */
export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /**
   * Stops accepting connections, lets in-flight requests finish (their responses carry
   * `Connection: close`), closes idle keep-alive connections, and resolves once every connection is
   * gone or `shutdownTimeoutMs` passed. Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

/**
 * Serves an endpoint over plain HTTP (put TLS in front, as CEK only calls https URLs). Waits for the
 * verification keys before listening, and shuts down gracefully.
 */
export async function serve(source: EndpointSource, options: ServeOptions = {}): Promise<RunningServer> {
  const endpoint = toEndpoint(source);
  await endpoint.ready();
  let closing: Promise<void> | undefined;
  const requestTimeout = options.requestTimeoutMs ?? 15_000;
  const server = createServer(
    {
      keepAliveTimeout: 65_000,
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, 10_000),
      // Node only checks the timeouts above this often (default 30 s, longer than the timeout itself).
      connectionsCheckingInterval: Math.min(1000, requestTimeout / 2),
    },
    listenerFor(endpoint, () => closing !== undefined),
  );
  server.on('clientError', answerClientError);
  const port = options.port ?? Number(process.env.PORT ?? 3000);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => server.closeAllConnections(), options.shutdownTimeoutMs ?? 10_000);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        endpoint.close();
        resolve();
      });
      server.closeIdleConnections();
    }));
  if (options.handleSignals ?? true) {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      void close();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, port: address.port, url: `http://${shownHost}:${address.port}/`, close };
}

/**
 * Node answers unparseable requests (a CR or LF smuggled into a header, a bad request line, broken
 * chunked framing) with a bare 400 and no body; cekit answers them like every other refusal.
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  // Status, headers and body from the same place as every other refusal; only the framing is written
  // by hand, since there is no ServerResponse for a request Node could not parse.
  const { status, headers, body } = rejectionResponse(
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'REQUEST_TIMEOUT' : 'MALFORMED_HTTP',
  );
  // The stream is out of sync (or timed out): nothing after this on the connection can be trusted.
  const head = { ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' };
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      Object.entries(head)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('') +
      `\r\n${body}`,
  );
}
