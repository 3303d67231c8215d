import type { Endpoint, RawResponse } from '../core/endpoint.js';
import {
  DEFAULT_BODY_TIMEOUT_MS,
  rejectionResponse,
  unfinishedBodyResponse,
  type StreamRead,
} from './raw-body.js';

/**
 * Answers a Fetch API `Request` whose body stream is still unread (cekit/fetch, cekit/hono). The body
 * is read as bytes, never as text, so the signature is checked over exactly what was sent, and
 * reading stops as soon as it passes the limit.
 */
export async function answerFetchRequest(
  endpoint: Endpoint,
  request: Request,
  limit: number,
  receivedAt = performance.now(),
  timeoutMs = DEFAULT_BODY_TIMEOUT_MS,
): Promise<RawResponse> {
  const { method, headers } = request;
  // A declared oversize body is refused unread, with the answer the core gives once it has it.
  if (Number(headers.get('content-length')) > limit)
    return unfinishedBodyResponse('too-large', method, headers, limit);
  let body: Uint8Array | StreamRead;
  try {
    body = await readLimited(request, limit, timeoutMs);
  } catch {
    // The body stream broke (client gone, bad framing): a refusal like any other, never a 500.
    return rejectionResponse('MALFORMED_HTTP');
  }
  if (typeof body === 'string') return unfinishedBodyResponse(body, method, headers, limit);
  return endpoint.handle({ method, headers, body, receivedAt });
}

/**
 * The body as bytes; `'too-large'` once it passes the limit, `'timed-out'` when it has not arrived
 * whole within `timeoutMs` (either way the rest is not read).
 */
async function readLimited(
  request: Request,
  limit: number,
  timeoutMs: number,
): Promise<Uint8Array | Exclude<StreamRead, Buffer>> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  let timedOut = false;
  // Cancelling ends the pending read() as if the body were complete; the flag tells them apart.
  const timer = setTimeout(() => {
    timedOut = true;
    reader.cancel().catch(() => {});
  }, timeoutMs);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (timedOut) return 'timed-out';
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        return 'too-large';
      }
      chunks.push(value);
    }
  } finally {
    clearTimeout(timer);
  }
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** A core answer as a Fetch API `Response`. */
export function toResponse(answer: RawResponse): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
