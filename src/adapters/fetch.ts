/**
 * Web-standard adapter: `(Request) => Promise<Response>` for Hono, Bun, Deno, Cloudflare Workers
 * and anything else that speaks the Fetch API.
 * @module cekit/fetch
 */
import { toEndpoint, type Endpoint, type EndpointSource, type RawResponse } from '../core/endpoint.js';
import { oversizedResponse, rejectionResponse } from './raw-body.js';

/** A Fetch API request handler, as Hono, Bun, Deno and Workers expect. */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * Wraps an endpoint (or an extension) as a Fetch API handler. The body is read as bytes, never as
 * text, so the signature is checked over exactly what was sent; reading stops at the body limit.
 */
export function toFetchHandler(source: EndpointSource): FetchHandler {
  const endpoint: Endpoint = toEndpoint(source);
  const limit = endpoint.bodyLimit;
  return async (request) => {
    // A declared oversize body is refused unread, with the answer the core gives once it has it.
    if (Number(request.headers.get('content-length')) > limit)
      return toResponse(oversizedResponse(request.method, request.headers, limit));
    let body: Uint8Array | undefined;
    try {
      body = await readLimited(request, limit);
    } catch {
      // The body stream broke (client gone, bad framing): answer like any refusal, never a 500.
      return toResponse(rejectionResponse('MALFORMED_HTTP'));
    }
    if (body === undefined) return toResponse(oversizedResponse(request.method, request.headers, limit));
    return toResponse(await endpoint.handle({ method: request.method, headers: request.headers, body }));
  };
}

function toResponse(answer: RawResponse): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/** Reads the body as bytes, stopping as soon as it passes the limit. */
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
