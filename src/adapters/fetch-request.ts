import type { Endpoint, RawResponse } from '../core/endpoint.js';
import { oversizedResponse, rejectionResponse } from './raw-body.js';

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
): Promise<RawResponse> {
  // A declared oversize body is refused unread, with the answer the core gives once it has it.
  if (Number(request.headers.get('content-length')) > limit)
    return oversizedResponse(request.method, request.headers, limit);
  let body: Uint8Array | undefined;
  try {
    body = await readLimited(request, limit);
  } catch {
    // The body stream broke (client gone, bad framing): a refusal like any other, never a 500.
    return rejectionResponse('MALFORMED_HTTP');
  }
  if (body === undefined) return oversizedResponse(request.method, request.headers, limit);
  return endpoint.handle({ method: request.method, headers: request.headers, body, receivedAt });
}

/** The body as bytes, or undefined once it passes the limit (the rest is not read). */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | undefined> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
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
