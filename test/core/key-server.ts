import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type KeyServerMode = 'ok' | 'down' | 'slow' | 'garbage' | 'oversized' | 'redirect';

/** Which cache validators mode `ok` sends (and honours in conditional requests with a 304). */
export type KeyServerValidators = 'none' | 'etag' | 'last-modified';

/**
 * A stand-in for CEK's well-known key URL on loopback. Tests switch its behaviour and count how many
 * downloads cekit made.
 */
export interface KeyServer {
  readonly url: string;
  /** What the server answers with in mode `ok`. */
  pem: string;
  mode: KeyServerMode;
  /** How long mode `slow` waits before answering (with the key served when the request arrived). */
  slowMs: number;
  /** Default `none`, a server that sends neither ETag nor Last-Modified. */
  validators: KeyServerValidators;
  /** Every request received, 304s included. */
  downloads: number;
  /** How many of them were answered 304 Not Modified. */
  notModified: number;
  /** Headers of the last request received. */
  lastHeaders: IncomingHttpHeaders | undefined;
  close(): Promise<void>;
}

export async function startKeyServer(pem: string): Promise<KeyServer> {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const state: KeyServer = {
    url: '',
    pem,
    mode: 'ok',
    slowMs: 2000,
    validators: 'none',
    downloads: 0,
    notModified: 0,
    lastHeaders: undefined,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const versions = new Versions();
  const server: Server = createServer((req, res) => {
    state.downloads++;
    state.lastHeaders = req.headers;
    switch (state.mode) {
      case 'ok': {
        const validators = versions.validatorsFor(state.pem, state.validators);
        if (isNotModified(req, validators)) {
          state.notModified++;
          res.writeHead(304, validators).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/x-pem-file', ...validators }).end(state.pem);
        return;
      }
      case 'down':
        res.writeHead(503).end('maintenance');
        return;
      case 'slow': {
        const pem = state.pem;
        const timer = setTimeout(() => res.writeHead(200).end(pem), state.slowMs);
        timers.add(timer);
        return;
      }
      case 'garbage':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Not a key</html>');
        return;
      case 'oversized':
        // No Content-Length: the limit must hold while streaming, not only on the declared size.
        res.writeHead(200);
        res.write(state.pem);
        res.end('x'.repeat(64 * 1024));
        return;
      case 'redirect':
        res.writeHead(302, { location: 'http://127.0.0.1:1/evil.pem' }).end();
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, { url: `http://127.0.0.1:${port}/.well-known/signature-public-key.pem` });
}

/**
 * Last-Modified changes whenever the served key does (as a file's mtime would, even when an older
 * key comes back), at least a second apart: HTTP dates have one-second resolution, and two versions
 * sharing one date would make If-Modified-Since answer 304 for a changed key.
 */
class Versions {
  #pem: string | undefined;
  #seconds = 0;

  validatorsFor(pem: string, kind: KeyServerValidators): Record<string, string> {
    if (kind === 'etag') return { etag: `"${createHash('sha256').update(pem).digest('hex').slice(0, 16)}"` };
    if (kind === 'none') return {};
    if (pem !== this.#pem) {
      this.#pem = pem;
      this.#seconds = Math.max(Math.floor(Date.now() / 1000), this.#seconds + 1);
    }
    return { 'last-modified': new Date(this.#seconds * 1000).toUTCString() };
  }
}

function isNotModified(req: IncomingMessage, validators: Record<string, string>): boolean {
  const etag = validators.etag;
  if (etag !== undefined) return req.headers['if-none-match'] === etag;
  const modified = validators['last-modified'];
  const since = req.headers['if-modified-since'];
  return modified !== undefined && since !== undefined && Date.parse(since) >= Date.parse(modified);
}
