/**
 * `node:http` adapter: a request listener and a `serve()` helper with graceful shutdown.
 * @module
 */
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { REJECTIONS, type RejectionCode } from '../core/errors.js';
import { toEndpoint, type EndpointSource, type RawResponse } from '../core/endpoint.js';

export type { EndpointSource } from '../core/endpoint.js';

/** A `(req, res)` listener for `http.createServer`, `https.createServer` or any Node framework's raw hook. */
export function createListener(source: EndpointSource): RequestListener {
  const endpoint = toEndpoint(source);
  const limit = endpoint.bodyLimit;
  return (req, res) => {
    // Refuse a declared oversize body before reading a byte of it.
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      writeRejection(res, 'PAYLOAD_TOO_LARGE', true);
      req.resume();
      return;
    }
    readBody(req, limit).then(
      (body) => {
        if (body === undefined) {
          writeRejection(res, 'PAYLOAD_TOO_LARGE', true);
          return;
        }
        endpoint.handle({ method: req.method ?? 'GET', headers: req.headers, body }).then(
          (answer) => write(res, answer),
          () => writeRejection(res, 'INVALID_MESSAGE', false),
        );
      },
      () => res.destroy(),
    );
  };
}

/** Collects the body; `undefined` once it passes `limit` (the rest is drained, not buffered). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('error', reject);
  });
}

function write(res: ServerResponse, answer: RawResponse): void {
  res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
  res.end(answer.body);
}

function writeRejection(res: ServerResponse, code: RejectionCode, close: boolean): void {
  const body = JSON.stringify({ error: { code, message: REJECTIONS[code].message } });
  const headers: Record<string, string | number> = {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(body),
  };
  // Closing stops a client that keeps streaming an oversized body.
  if (close) headers.connection = 'close';
  res.writeHead(REJECTIONS[code].status, headers);
  res.end(body);
}

export interface ServeOptions {
  /** Default 3000, or `PORT` from the environment. 0 picks a free port. */
  port?: number;
  /** Default `127.0.0.1`; use `0.0.0.0` behind a TLS-terminating proxy. */
  host?: string;
  /** How long in-flight requests get to finish on shutdown. Default 10 s. */
  shutdownTimeoutMs?: number;
  /** Close on SIGINT/SIGTERM. Default true. */
  handleSignals?: boolean;
}

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /** Stops accepting, lets in-flight requests finish (up to the timeout), then closes. */
  close(): Promise<void>;
}

/**
 * Serves an endpoint over plain HTTP (put TLS in front, as CEK only calls https URLs). Waits for the
 * verification keys before listening, and shuts down gracefully.
 */
export async function serve(source: EndpointSource, options: ServeOptions = {}): Promise<RunningServer> {
  const endpoint = toEndpoint(source);
  await endpoint.ready();
  const server = createServer({ keepAliveTimeout: 65_000 }, createListener(endpoint));
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
  let closing: Promise<void> | undefined;
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
