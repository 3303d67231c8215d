import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type KeyServerMode = 'ok' | 'down' | 'slow' | 'garbage' | 'oversized' | 'redirect';

/**
 * A stand-in for CEK's well-known key URL on loopback. Tests switch its behaviour and count how many
 * downloads cekit made.
 */
export interface KeyServer {
  readonly url: string;
  /** What the server answers with in mode `ok`. */
  pem: string;
  mode: KeyServerMode;
  /** How long mode `slow` waits before answering. */
  slowMs: number;
  downloads: number;
  close(): Promise<void>;
}

export async function startKeyServer(pem: string): Promise<KeyServer> {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const state: KeyServer = {
    url: '',
    pem,
    mode: 'ok',
    slowMs: 2000,
    downloads: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    state.downloads++;
    switch (state.mode) {
      case 'ok':
        res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(state.pem);
        return;
      case 'down':
        res.writeHead(503).end('maintenance');
        return;
      case 'slow': {
        const timer = setTimeout(() => res.writeHead(200).end(state.pem), state.slowMs);
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
