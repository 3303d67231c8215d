import type * as Http from 'node:http';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type * as Https from 'node:https';
import { nodeBuiltin } from '../core/builtin.js';

export interface FetchTextOptions {
  /** Whole-exchange deadline, connect to last byte. */
  timeoutMs: number;
  /** The download is aborted as soon as it exceeds this many bytes. */
  maxBytes: number;
  /**
   * CA certificates (PEM) for the TLS connection. Like Node's own `ca` option this *replaces* the
   * default roots; a caller that wants to add to them passes `tls.rootCertificates` too.
   */
  ca?: string | readonly string[];
}

/** HTTP cache validators of a downloaded document, sent back to ask "has it changed?". */
export interface Validators {
  readonly etag?: string;
  readonly lastModified?: string;
}

/** A document downloaded with a 200, and its validators (empty when the server sent none). */
export interface Downloaded {
  readonly text: string;
  readonly validators: Validators;
}

/** Why an outbound fetch failed; every code is safe to log. */
export type FetchFailure = 'not-allowed' | 'timeout' | 'too-large' | 'status' | 'redirect' | 'network';

export class FetchTextError extends Error {
  readonly reason: FetchFailure;
  constructor(reason: FetchFailure, message: string) {
    super(message);
    this.name = 'FetchTextError';
    this.reason = reason;
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const NO_VALIDATORS: Validators = {};
// A validator is echoed back in a request header: keep only short printable ones, so a strange
// server cannot make the next request fail to build (or grow without limit).
const USABLE_VALIDATOR = /^[\x20-\x7e]{1,256}$/;

/** True for loopback hosts, the only place plain http is ever fetched from (local tests). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * Downloads a small text resource (a PEM key or certificate chain) the careful way: GET only, no
 * redirects followed, no cookies or credentials sent, a hard deadline and a byte cap. The caller is
 * responsible for checking the URL against its allow-list first.
 */
export async function fetchText(url: URL, options: FetchTextOptions): Promise<string> {
  // Without validators no 304 is accepted (see fetchIfChanged), so there is always a document.
  const downloaded = await fetchIfChanged(url, options, NO_VALIDATORS);
  return downloaded?.text ?? '';
}

/**
 * {@link fetchText} as a conditional GET: with validators from an earlier download it sends
 * `If-None-Match` (or `If-Modified-Since` when the server gave no ETag) and resolves `undefined` on
 * `304 Not Modified`, so asking again about an unchanged document costs the server no body. With no
 * validators it is a plain GET.
 *
 * node:http / node:https are loaded here, on the first download, never at start-up: most processes
 * verify with a key they already have and never download anything on their first request. A runtime
 * without them (Cloudflare Workers) downloads with the Fetch API instead, under the same rules.
 */
export function fetchIfChanged(
  url: URL,
  options: FetchTextOptions,
  validators: Validators,
): Promise<Downloaded | undefined> {
  const secure = url.protocol === 'https:';
  if (!secure && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return Promise.reject(new FetchTextError('not-allowed', `Refusing to fetch ${url.protocol} URL`));
  }
  const conditional = conditionalHeaders(validators);
  const send = preferFetchApi(options)
    ? undefined
    : secure
      ? nodeBuiltin<typeof Https>('node:https')?.request
      : nodeBuiltin<typeof Http>('node:http')?.request;
  if (send === undefined) return fetchWithFetchApi(url, options, conditional);
  return new Promise((resolve, reject) => {
    let req: ReturnType<typeof send>;
    try {
      req = send(url, {
        method: 'GET',
        headers: { accept: 'application/x-pem-file, text/plain, */*', ...conditional },
        agent: false,
        ...(secure && options.ca ? { ca: options.ca as string[] } : {}),
      });
    } catch (error) {
      // A runtime may refuse before any I/O (Deno without a permission): still a download that failed.
      reject(new FetchTextError('network', String(error)));
      return;
    }
    const timer = setTimeout(() => {
      req.destroy(new FetchTextError('timeout', `No complete answer within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    const fail = (error: unknown) => {
      clearTimeout(timer);
      reject(error instanceof FetchTextError ? error : new FetchTextError('network', String(error)));
    };
    req.on('error', fail);
    req.on('response', (res) => {
      const verdict = answerVerdict(
        res.statusCode ?? 0,
        Number(res.headers['content-length']),
        conditional,
        options.maxBytes,
      );
      if (verdict === UNCHANGED) {
        res.resume();
        clearTimeout(timer);
        resolve(undefined);
        return;
      }
      if (verdict !== undefined) {
        res.resume();
        req.destroy(verdict);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          req.destroy(new FetchTextError('too-large', `Body exceeds ${options.maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ text: Buffer.concat(chunks).toString('utf8'), validators: validatorsOf(res.headers) });
      });
    });
    req.end();
  });
}

/**
 * Deno and Workers implement node:https on top of their own `fetch`, and Deno's also asks for
 * `--allow-sys` (to read the system's CA list): there `fetch` is used directly, so a download needs
 * no more than network access to the key's host. A private CA still needs node:https.
 */
function preferFetchApi(options: FetchTextOptions): boolean {
  const global = globalThis as { Deno?: unknown; navigator?: { userAgent?: string } };
  return (
    options.ca === undefined &&
    (global.Deno !== undefined || global.navigator?.userAgent === 'Cloudflare-Workers')
  );
}

/**
 * The same download through the Fetch API, for runtimes without node:http (Workers): no redirects
 * followed, a deadline over the whole exchange, the body read up to the cap and no further. A
 * private CA cannot be given to `fetch`, so `ca` is refused rather than silently ignored.
 */
async function fetchWithFetchApi(
  url: URL,
  options: FetchTextOptions,
  conditional: OutgoingHttpHeaders | undefined,
): Promise<Downloaded | undefined> {
  if (options.ca !== undefined) {
    throw new FetchTextError(
      'not-allowed',
      'A private CA needs node:https, which this runtime does not offer',
    );
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  const failure = (error: unknown) =>
    error instanceof FetchTextError
      ? error
      : controller.signal.aborted
        ? new FetchTextError('timeout', `No complete answer within ${options.timeoutMs} ms`)
        : new FetchTextError('network', String(error));
  try {
    const headers: Record<string, string> = { accept: 'application/x-pem-file, text/plain, */*' };
    for (const [name, value] of Object.entries(conditional ?? {})) headers[name] = String(value);
    const res = await fetch(url, { method: 'GET', headers, redirect: 'manual', signal: controller.signal });
    const verdict = answerVerdict(
      res.status,
      Number(res.headers.get('content-length')),
      conditional,
      options.maxBytes,
    );
    if (verdict !== undefined) {
      await res.body?.cancel();
      if (verdict === UNCHANGED) return undefined;
      throw verdict;
    }
    const text = await readCapped(res, options.maxBytes);
    const etag = res.headers.get('etag') ?? undefined;
    const lastModified = res.headers.get('last-modified') ?? undefined;
    return { text, validators: validatorsOf({ etag, 'last-modified': lastModified }) };
  } catch (error) {
    throw failure(error);
  } finally {
    clearTimeout(timer);
  }
}

const UNCHANGED = Symbol('unchanged');

/**
 * What the status line and declared length of an answer mean, the same for node:https and `fetch()`:
 * {@link UNCHANGED} for a 304 to a conditional request, the error to fail with, or `undefined` to go
 * on and read the body. Only a 200 has a body worth reading; redirects are never followed (`fetch()`
 * with `redirect: 'manual'` gives browsers an opaque answer with status 0: a redirect all the same).
 */
function answerVerdict(
  status: number,
  declaredBytes: number,
  conditional: OutgoingHttpHeaders | undefined,
  maxBytes: number,
): typeof UNCHANGED | FetchTextError | undefined {
  if (status === 304 && conditional !== undefined) return UNCHANGED;
  if ((status >= 300 && status < 400 && status !== 304) || status === 0)
    return new FetchTextError('redirect', `Redirects are not followed (HTTP ${status})`);
  if (status !== 200) return new FetchTextError('status', `HTTP ${status}`);
  if (declaredBytes > maxBytes)
    return new FetchTextError('too-large', `Content-Length ${declaredBytes} exceeds ${maxBytes}`);
  return undefined;
}

/** The body as UTF-8 text, refused as soon as it passes `maxBytes`. */
async function readCapped(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new FetchTextError('too-large', `Body exceeds ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const decoder = new TextDecoder();
  let text = '';
  for (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/**
 * The ETag is exact, so it is preferred; `If-Modified-Since` only has one-second resolution and is
 * sent only when the server gave no ETag. `undefined` when there is nothing to ask with.
 */
function conditionalHeaders(validators: Validators): OutgoingHttpHeaders | undefined {
  if (validators.etag !== undefined) return { 'if-none-match': validators.etag };
  if (validators.lastModified !== undefined) return { 'if-modified-since': validators.lastModified };
  return undefined;
}

function validatorsOf(headers: IncomingHttpHeaders): Validators {
  const etag = headers.etag;
  const lastModified = headers['last-modified'];
  return {
    ...(etag !== undefined && USABLE_VALIDATOR.test(etag) ? { etag } : {}),
    ...(lastModified !== undefined && USABLE_VALIDATOR.test(lastModified) ? { lastModified } : {}),
  };
}
