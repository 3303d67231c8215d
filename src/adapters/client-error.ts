/**
 * cekit's answer to what Node's HTTP parser refuses before any request listener runs: a request
 * that could not be parsed, or did not arrive within the server's timeouts. Node's own answer is a
 * bare status line with no body; cekit's is the same JSON as every other refusal, sent in order after
 * any answer still due on the connection.
 * @module
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RejectionCode } from '../core/errors.js';
import { rejectionResponse } from './raw-body.js';

const kRefusing = Symbol('cekit.refusing');

/** Node's own fields on an HTTP server socket, read only when a client error happens. */
type ServerSocket = Duplex & {
  /**
   * The response Node is writing on this socket; the ones queued behind it get the socket in turn.
   * Private, but the field Node's own clientError fallback reads, unchanged for a decade.
   */
  _httpMessage?: ServerResponse | null;
  /** Set once the connection's refusal is decided. */
  [kRefusing]?: true;
};

/**
 * A `clientError` listener: Node answers unparseable requests (a CR or LF smuggled into a header, a
 * bad request line, broken chunked framing) and timed-out ones with a bare status line and no body;
 * this answers them like every other cekit refusal (`400 MALFORMED_HTTP`, `408 REQUEST_TIMEOUT`).
 * `serve()` and `protectServer()` install it; on Fastify pass it as the `clientErrorHandler` option.
 */
export function answerClientError(error: Error & { code?: string }, socket: ServerSocket): void {
  // A parser in error reports again on every later chunk: the connection already has its answer.
  if (socket[kRefusing]) return;
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  socket[kRefusing] = true;
  answerAfterPending(
    socket,
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'REQUEST_TIMEOUT' : 'MALFORMED_HTTP',
  );
}

/**
 * Answers in order (RFC 9112 §9.3.2): the bad bytes came after every request that already has a
 * response on this socket, so those responses go out first, then the refusal. A pipelined request
 * whose handler is still running (or whose answer is queued) would otherwise lose its answer to a
 * refusal written straight onto the socket. Node writes responses one at a time
 * (`socket._httpMessage`) and hands the socket to the next one when a response finishes, before our
 * 'finish' listener runs, so waiting on the current one and looking again walks the whole queue.
 */
function answerAfterPending(socket: ServerSocket, code: RejectionCode): void {
  // A response that asked to close (an oversized body, a shutdown) had the last word.
  if (!socket.writable) return;
  const current = socket._httpMessage;
  if (current && !current.writableFinished && (current.writableEnded || current.req.complete)) {
    current.once('finish', () => answerAfterPending(socket, code));
    return;
  }
  // No response left, or the current one belongs to the request that broke (its body will never
  // complete): the refusal is its answer.
  endWith(socket, code);
}

/** Writes a refusal by hand, since there is no ServerResponse for a request Node could not parse. */
function endWith(socket: Duplex, code: RejectionCode): void {
  // Status, headers and body from the same place as every other refusal; only the framing is ours.
  const { status, headers, body } = rejectionResponse(code);
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
