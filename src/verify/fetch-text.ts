import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface FetchTextOptions {
  /** Whole-exchange deadline, connect to last byte. */
  timeoutMs: number;
  /** The download is aborted as soon as it exceeds this many bytes. */
  maxBytes: number;
  /** Extra trusted CA certificates (PEM) for the TLS connection, mainly for tests. */
  ca?: string | readonly string[];
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

/** True for loopback hosts, the only place plain http is ever fetched from (local tests). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * Downloads a small text resource (a PEM key or certificate chain) the careful way: GET only, no
 * redirects followed, no cookies or credentials sent, a hard deadline and a byte cap. The caller is
 * responsible for checking the URL against its allow-list first.
 */
export function fetchText(url: URL, options: FetchTextOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    if (!secure && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
      reject(new FetchTextError('not-allowed', `Refusing to fetch ${url.protocol} URL`));
      return;
    }
    const send = secure ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'GET',
      headers: { accept: 'application/x-pem-file, text/plain, */*' },
      agent: false,
      ...(secure && options.ca ? { ca: options.ca as string[] } : {}),
    });
    const timer = setTimeout(() => {
      req.destroy(new FetchTextError('timeout', `No complete answer within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    const fail = (error: unknown) => {
      clearTimeout(timer);
      reject(error instanceof FetchTextError ? error : new FetchTextError('network', String(error)));
    };
    req.on('error', fail);
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        res.resume();
        req.destroy(new FetchTextError('redirect', `Redirects are not followed (HTTP ${status})`));
        return;
      }
      if (status !== 200) {
        res.resume();
        req.destroy(new FetchTextError('status', `HTTP ${status}`));
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (declared > options.maxBytes) {
        req.destroy(
          new FetchTextError('too-large', `Content-Length ${declared} exceeds ${options.maxBytes}`),
        );
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
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
    req.end();
  });
}
