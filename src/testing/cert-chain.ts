import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createTestCertificateAuthority, signBodySha1, type TestCertificate } from './cert-authority.js';
import { startCertificateServer, type CertificateServer } from './cert-server.js';

export interface TestCertChainOptions {
  /** Where the chain is published on the loopback server. Default `/cek/chain.pem`. */
  path?: string;
  /** The leaf's SAN DNS name. Default `cek-requests.clova.ai`, what the verifier requires. */
  sanDomain?: string;
  /**
   * Use one RSA key for the root, intermediate and leaf (the certificates still differ). Saves two
   * key generations (~100-200 ms) but cannot tell which certificate's key signed; default `false`.
   */
  shareKey?: boolean;
}

/**
 * Everything a test needs to send requests signed with the cert-chain scheme: a root CA, an
 * intermediate, a CEK signing certificate, a loopback HTTPS server publishing the chain, and the
 * `certChainVerifier` options that trust exactly this setup.
 */
export interface TestCertChain {
  readonly root: TestCertificate;
  readonly intermediate: TestCertificate;
  readonly leaf: TestCertificate;
  /** Leaf then intermediate, as published. */
  readonly chainPem: string;
  readonly server: CertificateServer;
  /** The published chain's URL: the `SignatureCEKCertChainUrl` value. */
  readonly url: string;
  /** `SignatureCEK` (SHA-1) for these exact bytes, made with the leaf's key. */
  sign(body: string | Uint8Array): string;
  /** Both headers for a body: `{ SignatureCEK, SignatureCEKCertChainUrl }`. */
  headers(body: string | Uint8Array): { SignatureCEK: string; SignatureCEKCertChainUrl: string };
  /** Options for `certChainVerifier` that accept this server and trust only this root. */
  readonly verifyOptions: {
    allowedUrl: { host: string; port: number; pathPrefix: string };
    trustAnchors: string[];
    downloadCa: string;
  };
  close(): Promise<void>;
}

/**
 * Starts a complete cert-chain setup on 127.0.0.1. Close it when done.
 *
 * ```ts
 * const chain = await startTestCertChain();
 * const endpoint = createEndpoint({ dispatcher, verify: certChainVerifier(chain.verifyOptions) });
 * await endpoint.handle({ method: 'POST', headers: { 'content-type': 'application/json', ...chain.headers(body) }, body });
 * await chain.close();
 * ```
 */
export async function startTestCertChain(options: TestCertChainOptions = {}): Promise<TestCertChain> {
  const path = options.path ?? '/cek/chain.pem';
  const sanDomain = options.sanDomain ?? 'cek-requests.clova.ai';
  const pathPrefix = path.slice(0, path.indexOf('/', 1) + 1);
  if (!path.startsWith('/') || pathPrefix === '' || pathPrefix === path) {
    throw new TypeError('startTestCertChain: path must look like /prefix/file, e.g. /cek/chain.pem');
  }
  const shared: KeyObject | undefined = options.shareKey
    ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
    : undefined;
  const keyOption = shared ? { key: shared } : {};
  const root = createTestCertificateAuthority({ commonName: 'cekit Test Root CA', ...keyOption });
  const intermediate = root.issue({ commonName: 'cekit Test Intermediate CA', isCA: true, ...keyOption });
  const leaf = intermediate.issue({ commonName: sanDomain, dnsNames: [sanDomain], ...keyOption });
  const chainPem = leaf.certificatePem + intermediate.certificatePem;
  const server = await startCertificateServer({ authority: root, routes: { [path]: chainPem } });
  const url = server.url(path);
  const sign = (body: string | Uint8Array) => signBodySha1(leaf.privateKey, body);
  return {
    root,
    intermediate,
    leaf,
    chainPem,
    server,
    url,
    sign,
    headers: (body) => ({ SignatureCEK: sign(body), SignatureCEKCertChainUrl: url }),
    verifyOptions: {
      allowedUrl: { host: '127.0.0.1', port: server.port, pathPrefix },
      trustAnchors: [root.certificatePem],
      downloadCa: root.certificatePem,
    },
    close: () => server.close(),
  };
}
