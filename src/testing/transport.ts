import { performance } from 'node:perf_hooks';
import { toEndpoint, type EndpointSource } from '../core/endpoint.js';

/**
 * How the simulator reaches an extension: in-process through `endpoint.handle()` (no network, the real
 * verifier still runs on the exact bytes) or over HTTP to any URL. Both return what the wire carried.
 */
export interface Exchange {
  status: number;
  /** Response headers, names lower-cased. */
  headers: Record<string, string>;
  body: string;
  /** Wall time from sending to the whole answer, in ms. */
  ms: number;
}

export interface OutgoingRequest {
  method?: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

export interface Transport {
  /** What the transport talks to, for messages: a URL or `in-process`. */
  readonly description: string;
  send(request: OutgoingRequest): Promise<Exchange>;
}

/** Anything the simulator can talk to: a URL, an endpoint or extension object, or a transport. */
export type Target = string | URL | EndpointSource | Transport;

/** The headers CEK sends (spec http-and-validation.md §1.1), with the documented `charset-UTF-8` typo. */
export function cekHeaders(signature: string | undefined): Record<string, string> {
  return {
    'content-type': 'application/json;charset-UTF-8',
    accept: 'application/json',
    'accept-charset': 'utf-8',
    ...(signature !== undefined ? { signaturecek: signature } : {}),
  };
}

const toBytes = (body: string | Uint8Array) => (typeof body === 'string' ? Buffer.from(body, 'utf8') : body);

/** Calls `endpoint.handle()` directly: no sockets, same checks as a served endpoint. */
export function inProcessTransport(source: EndpointSource): Transport {
  const endpoint = toEndpoint(source);
  return {
    description: 'in-process',
    async send(request) {
      const started = performance.now();
      const response = await endpoint.handle({
        method: request.method ?? 'POST',
        headers: request.headers,
        body: toBytes(request.body),
      });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) headers[name.toLowerCase()] = value;
      return { status: response.status, headers, body: response.body, ms: performance.now() - started };
    },
  };
}

export interface HttpTransportOptions {
  /** Give up after this long. Default 10 s: past CEK's 8 s deadline, so slow replies are measured. */
  timeoutMs?: number;
}

/** POSTs to a URL with `fetch`; redirects are not followed (CEK does not follow them either). */
export function httpTransport(url: string | URL, options: HttpTransportOptions = {}): Transport {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw new TypeError(`Expected an http(s) URL, got ${target.href}`);
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    description: target.href,
    async send(request) {
      const started = performance.now();
      const method = request.method ?? 'POST';
      const response = await fetch(target, {
        method,
        headers: request.headers,
        ...(method === 'GET' || method === 'HEAD'
          ? {}
          : { body: typeof request.body === 'string' ? request.body : new Uint8Array(request.body) }),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await response.text();
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => (headers[name] = value));
      return { status: response.status, headers, body, ms: performance.now() - started };
    },
  };
}

const isTransport = (value: unknown): value is Transport =>
  typeof value === 'object' && value !== null && typeof (value as Transport).send === 'function';

/** Turns any `Target` into a transport. */
export function toTransport(target: Target): Transport {
  if (typeof target === 'string' || target instanceof URL) return httpTransport(target);
  if (isTransport(target)) return target;
  return inProcessTransport(target);
}
