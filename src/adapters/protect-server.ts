/**
 * What a `node:http` server needs around cekit that only the server can do: bounds on how long a
 * client may take to send a request, the HTTP/1.1 checks Node's parser lets through, and cekit's
 * JSON for the refusals Node would otherwise answer with a bare status line. `serve()` applies it
 * to its own server; users apply it to the servers frameworks create.
 * @module
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { answerClientError } from './client-error.js';
import { rejectionResponse, writeResponse } from './raw-body.js';

/** Options of {@link protectServer}. */
export interface ProtectServerOptions {
  /**
   * Longest a client may take to send a whole request, headers and body. Default 15 s: CEK sends a
   * few KiB at once and gives up after 8 s anyway. Headers get at most 10 s of it.
   */
  requestTimeoutMs?: number;
}

const kProtected = Symbol('cekit.protected');

/**
 * Protects a `node:http` server that cekit did not create (Express's and Koa's `app.listen()`,
 * `@hono/node-server`'s `serve()`, a Fastify instance's `.server`); `serve()` does the same for
 * its own. It
 * - bounds how long a client may take to send a request (`requestTimeoutMs`, headers at most 10 s);
 * - refuses, before any request listener runs, what HTTP/1.1 says to refuse but Node lets through
 *   or answers bare: no or several `Host` lines, a `Host` that is not a valid host, a version other
 *   than 1.0 and 1.1, an `Expect` other than `100-continue`;
 * - answers what Node's parser refuses (malformed or timed-out requests) with cekit's JSON, in order
 *   after the answers still due on the connection. The server's `clientError` and
 *   `checkExpectation` listeners are replaced (Fastify registers its own).
 *
 * Call it before the server starts listening (in the same tick as `listen()` is fine): Node reads
 * how often to check the timeouts only then, and cekit makes that every second instead of every 30.
 * Calling it again changes nothing. Returns the server.
 */
export function protectServer<S extends Server>(server: S, options: ProtectServerOptions = {}): S {
  // Documented constructor options, read per request (Host) or when the server starts listening.
  const guarded = server as S & {
    [kProtected]?: true;
    connectionsCheckingInterval?: number;
    requireHostHeader?: boolean;
  };
  if (guarded[kProtected]) return server;
  guarded[kProtected] = true;
  const requestTimeout = options.requestTimeoutMs ?? 15_000;
  server.requestTimeout = requestTimeout;
  server.headersTimeout = Math.min(requestTimeout, 10_000);
  guarded.connectionsCheckingInterval = Math.min(1000, requestTimeout / 2);
  // Node answers an HTTP/1.1 request without Host with a bare 400 before any listener runs; the
  // guard below refuses it with cekit's JSON instead.
  guarded.requireHostHeader = false;
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', guard(listeners));
  server.removeAllListeners('checkExpectation');
  // Without a listener Node answers any Expect but 100-continue with a bare 417.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) =>
    refuse(req, res, 'Only the 100-continue expectation is supported.'),
  );
  server.removeAllListeners('clientError');
  server.on('clientError', answerClientError);
  return server;
}

/** The server's request listeners behind the protocol checks: a few field reads per request. */
function guard(listeners: RequestListener[]): RequestListener {
  const [only] = listeners;
  return function guardedRequest(this: Server, req, res) {
    const refusal = protocolRefusal(req);
    if (refusal !== undefined) return refuse(req, res, refusal);
    if (listeners.length === 1) return only!.call(this, req, res);
    for (const listener of listeners) listener.call(this, req, res);
  };
}

/** `uri-host [ ":" port ]` (RFC 9110 §7.2), ASCII only: a bracketed IPv6 address or a reg-name. */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]+)(?::[0-9]*)?$/;

/**
 * The common case, checked without building a URL: a DNS name whose last label is letters only (so
 * the WHATWG parser cannot take it for an IPv4 address) and no punycode label (`xn--`, which it
 * decodes and may refuse), or a dotted IPv4 address, with a port.
 */
const PLAIN_HOST =
  /^(?!.*[xX][nN]--)(?:(?:[A-Za-z0-9-]+\.)*[A-Za-z]+|(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))(?::\d{1,5})?$/;

/** Why a request Node parsed is still malformed HTTP (RFC 9112 §2.3, §3.2), or undefined. */
function protocolRefusal(req: IncomingMessage): string | undefined {
  // Node's parser also accepts a request line without a version (HTTP/0.9) and "HTTP/2.0".
  if (req.httpVersionMajor !== 1) return 'Only HTTP/1.0 and HTTP/1.1 are served.';
  const host = req.headers.host;
  if (host === undefined) {
    return req.httpVersionMinor === 1 ? 'An HTTP/1.1 request needs a Host header.' : undefined;
  }
  // Node keeps the first Host and drops the others from req.headers; only the raw lines tell.
  if (hostLines(req.rawHeaders) > 1) return 'The Host header was sent more than once.';
  // Fetch-based servers (@hono/node-server) build a URL from Host and answer a bare 400 when it
  // does not parse, so the WHATWG parser's view counts too ("1.2.3.x" is not a host there).
  if (PLAIN_HOST.test(host)) return undefined;
  if (!HOST.test(host) || !URL.canParse(`http://${host}/`)) return 'The Host header is not a valid host.';
  return undefined;
}

function hostLines(rawHeaders: string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === 4 && name.toLowerCase() === 'host') count++;
  }
  return count;
}

/**
 * Refuses with `400 MALFORMED_HTTP` without reading the body, and closes: the client may be waiting
 * for a 100 Continue that never comes. For an unsupported `Expect` the RFC allows a 417 but does not
 * require it; cekit keeps its one documented code for malformed HTTP.
 */
function refuse(req: IncomingMessage, res: ServerResponse, detail: string): void {
  req.resume();
  writeResponse(res, rejectionResponse('MALFORMED_HTTP', detail), 'linger');
}
