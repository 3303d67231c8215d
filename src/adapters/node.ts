/**
 * `node:http` adapter: a request listener and a `serve()` helper with graceful shutdown.
 * @module cekit/node
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { protectServer } from './protect-server.js';
import { toEndpoint, type EndpointSource } from '../core/endpoint.js';
import { devSession } from '../core/dev-session.js';
import {
  collectBody,
  declaredLength,
  DEFAULT_BODY_TIMEOUT_MS,
  oversizedResponse,
  rejectionResponse,
  unfinishedBodyResponse,
  writeResponse,
} from './raw-body.js';

export type { EndpointSource } from '../core/endpoint.js';
export { answerClientError } from './client-error.js';
export { protectServer, type ProtectServerOptions } from './protect-server.js';

/** Options of {@link createListener}. */
export interface ListenerOptions {
  /**
   * Longest the client may take to send the body once its headers arrived; a slower body gets
   * `408 REQUEST_TIMEOUT` and the connection is closed. Default 10 s. (Headers are the server's to
   * bound: see {@link protectServer}.)
   */
  bodyTimeoutMs?: number;
}

/** A `(req, res)` listener for `http.createServer`, `https.createServer` or any Node framework's raw hook. */
export function createListener(source: EndpointSource, options: ListenerOptions = {}): RequestListener {
  return listenerFor(source, () => false, options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS);
}

/**
 * The listener behind `createListener` and `serve`; `closing()` makes every answer close its
 * connection. `bodyTimeoutMs` is undefined under `serve()`, whose server bounds the whole request.
 */
function listenerFor(
  source: EndpointSource,
  closing: () => boolean,
  bodyTimeoutMs: number | undefined,
): RequestListener {
  const endpoint = toEndpoint(source);
  const limit = endpoint.bodyLimit;
  return (req, res) => {
    // The response budget counts from here: time spent reading a slow body is not the handler's.
    const receivedAt = performance.now();
    const method = req.method ?? 'GET';
    // Refuse a declared oversize body before reading a byte of it. (A Content-Length that lies low is
    // cut by Node's parser at the declared length; one that lies high never completes and is ended by
    // the body timeout. Chunked bodies are counted as they arrive.)
    if (declaredLength(req.headers) > limit) {
      writeResponse(res, oversizedResponse(method, req.headers, limit), 'linger');
      req.resume();
      return;
    }
    // Callbacks, no promise per body: this is the hot path.
    collectBody(req, limit, bodyTimeoutMs, (body) => {
      // The client went away mid-body: nobody is left to answer.
      if (body instanceof Error) return res.destroy();
      // Too large or too slow: answered now, while the rest of the upload is drained and dropped.
      if (!Buffer.isBuffer(body))
        return writeResponse(res, unfinishedBodyResponse(body, method, req.headers, limit), 'linger');
      const answer = endpoint.handle({ method, headers: req.headers, body, receivedAt });
      if (!('then' in answer)) return writeResponse(res, answer, closing() ? 'close' : 'keep');
      answer.then(
        (ready) => writeResponse(res, ready, closing() ? 'close' : 'keep'),
        // The endpoint never rejects by contract; answer a 4xx rather than trust that blindly.
        () => writeResponse(res, rejectionResponse('INVALID_MESSAGE'), closing() ? 'close' : 'keep'),
      );
    });
  };
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
  // Under `cekit dev` the address is the command's, and so are the signals (it reloads the process).
  const dev = devSession();
  const address = dev?.claimAddress();
  const port = address?.port ?? options.port ?? Number(process.env.PORT ?? 3000);
  const host = address?.host ?? options.host ?? '127.0.0.1';
  const handleSignals = dev ? false : (options.handleSignals ?? true);
  const endpoint = toEndpoint(source);
  await endpoint.ready();
  let closing: Promise<void> | undefined;
  const server = createServer(
    { keepAliveTimeout: 65_000 },
    listenerFor(endpoint, () => closing !== undefined, undefined),
  );
  // The same timeouts, protocol checks and JSON refusals as any server protectServer() guards.
  protectServer(server, { requestTimeoutMs: options.requestTimeoutMs });
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(listenError(error, port, host));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
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
  if (handleSignals) {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      void close();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  const shownHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  const running = { server, port: bound.port, url: `http://${shownHost}:${bound.port}/`, close };
  dev?.listening(running);
  return running;
}

/** Node's listen errors say `listen EADDRINUSE: address already in use`; say what to do about it. */
function listenError(error: NodeJS.ErrnoException, port: number, host: string): Error {
  const where = `${host}:${port}`;
  const message =
    error.code === 'EADDRINUSE'
      ? `Port ${port} is already in use on ${host}: stop the other server, or choose another port (0 picks a free one)`
      : error.code === 'EACCES'
        ? `Not allowed to listen on ${where}: ports below 1024 need privileges; choose a port above 1023`
        : error.code === 'EADDRNOTAVAIL'
          ? `Cannot listen on ${where}: ${host} is not an address of this machine`
          : `Cannot listen on ${where}: ${error.message}`;
  return Object.assign(new Error(message, { cause: error }), { code: error.code });
}
