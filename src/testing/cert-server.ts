import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestCertificate } from './cert-authority.js';

/** How the certificate server answers one path. A string is served as a 200 PEM document. */
export interface CertificateRoute {
  /** Default 200. */
  status?: number;
  /** Extra response headers, e.g. `location` for a redirect. */
  headers?: Readonly<Record<string, string>>;
  body?: string;
  /** Wait this long before answering (to exercise download timeouts). */
  delayMs?: number;
}

export interface CertificateServerOptions {
  /**
   * The CA that issues the server's own TLS certificate (for `127.0.0.1`). Clients trust the
   * download by passing `authority.certificatePem` as the CA (`certChainVerifier({ downloadCa })`).
   */
  authority: TestCertificate;
  /** Path → what to serve. More can be added later with `serve()`. */
  routes?: Readonly<Record<string, string | CertificateRoute>>;
}

/** A loopback HTTPS server that publishes certificate chains, standing in for `cek-requests.clova.ai`. */
export interface CertificateServer {
  /** `https://127.0.0.1:<port>` */
  readonly origin: string;
  readonly port: number;
  /** Absolute URL of a path on this server. */
  url(path: string): string;
  /** Adds or replaces what a path serves. */
  serve(path: string, route: string | CertificateRoute): void;
  /** How many GET requests a path has received (to observe caching and single-flight). */
  downloads(path: string): number;
  close(): Promise<void>;
}

/**
 * Starts an HTTPS server on 127.0.0.1 (random port) serving certificate chains, with a TLS
 * certificate issued by `authority` for the IP `127.0.0.1`. Unknown paths answer 404.
 *
 * ```ts
 * const server = await startCertificateServer({ authority: root, routes: { '/cek/chain.pem': chainPem } });
 * server.url('/cek/chain.pem'); // https://127.0.0.1:41234/cek/chain.pem
 * ```
 */
export async function startCertificateServer(options: CertificateServerOptions): Promise<CertificateServer> {
  const tls = options.authority.issue({
    commonName: '127.0.0.1',
    ipAddresses: ['127.0.0.1'],
    dnsNames: ['localhost'],
    // The TLS key does not matter to the tests: reuse the authority's and skip a key generation.
    key: options.authority.privateKey,
  });
  const routes = new Map<string, CertificateRoute>();
  const counts = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const serve = (path: string, route: string | CertificateRoute) => {
    routes.set(path, typeof route === 'string' ? { body: route } : route);
  };
  for (const [path, route] of Object.entries(options.routes ?? {})) serve(path, route);

  const server: Server = createServer({ key: tls.privateKeyPem, cert: tls.certificatePem }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const route = routes.get(path);
    const answer = () => {
      if (!route) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(route.status ?? 200, { 'content-type': 'application/x-pem-file', ...route.headers });
      res.end(route.body ?? '');
    };
    if (route?.delayMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, route.delayMs);
      timers.add(timer);
    } else {
      answer();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `https://127.0.0.1:${port}`;
  return {
    origin,
    port,
    url: (path) => `${origin}${path}`,
    serve,
    downloads: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
