import { RejectionError } from '../core/errors.js';
import { readHeader, singleHeader, type HeaderSource } from '../core/headers.js';
import { describeError, resolveLogger, type Logger } from '../core/logger.js';
import { ChainCache, type CachedChain } from './cert-chain-cache.js';
import { parsePemChain } from './cert-chain-pem.js';
import { TrustAnchors, type TrustAnchorInput } from './cert-chain-trust.js';
import {
  CEK_CERT_CHAIN_URL,
  checkCertChainUrl,
  resolveUrlPolicy,
  type CertChainUrlPolicy,
} from './cert-chain-url.js';
import { checkValidity, validateChain, type ValidatedChain } from './cert-chain-validate.js';
import { fetchText, FetchTextError } from './fetch-text.js';
import { decodeSignature } from './public-key.js';
import { requireNodeCrypto } from './rsa.js';
import type { RequestVerifier } from './verifier.js';

/** The header naming the chain (spec http-and-validation.md §1.1), looked up in lower case. */
export const CERT_CHAIN_URL_HEADER = 'signaturecekcertchainurl';
/** The DNS name the signing certificate must carry (spec §4.1 `SignatureSANDomain`). */
export const CEK_CERT_SAN_DOMAIN = 'cek-requests.clova.ai';

export interface CertChainVerifierOptions {
  /**
   * Where chains may be downloaded from. Default: host `cek-requests.clova.ai`, port 443, path
   * prefix `/cek/` (spec §4.1). Override only to point at your own loopback server in tests.
   */
  allowedUrl?: Partial<CertChainUrlPolicy>;
  /** The DNS name the leaf's SAN must contain. Default `cek-requests.clova.ai`. */
  sanDomain?: string;
  /** Roots a chain may end at. Default: Node's root store (`tls.rootCertificates`). */
  trustAnchors?: readonly TrustAnchorInput[];
  /** Extra CA certificates (PEM) trusted for the HTTPS download itself; for a loopback test server. */
  downloadCa?: string | readonly string[];
  /** Per-download deadline. Default 3000 ms. */
  fetchTimeoutMs?: number;
  /** Largest chain document accepted. Default 64 KiB (a three-certificate chain is about 5 KiB). */
  maxChainBytes?: number;
  /** Most certificates in a chain. Default 5. */
  maxChainLength?: number;
  /** Validated chains kept (least recently used dropped first). Default 16. */
  maxCachedChains?: number;
  /** A validated chain is downloaded again after this long, even if still valid. Default 1 hour. */
  cacheTtlMs?: number;
  /** A URL that failed is refused from memory for this long before it is tried again. Default 10 s. */
  failureTtlMs?: number;
  /** Downloads at once over all URLs; more are refused with CERT_CHAIN_UNAVAILABLE. Default 4. */
  maxConcurrentDownloads?: number;
  logger?: Logger;
  /** Clock in ms since the epoch, for tests. */
  now?: () => number;
}

/**
 * Scheme (b), the obsolete 2018 KR draft (spec http-and-validation.md §4): `SignatureCEK` is base64
 * RSASSA-PKCS1-v1_5/SHA-1 over the raw body, made with the key of an X.509 certificate whose chain
 * CEK publishes at the URL in `SignatureCEKCertChainUrl`. Every step fails closed with its own
 * code; see docs/guides/cert-chain.md.
 *
 * ```ts
 * createEndpoint({ dispatcher, verify: certChainVerifier() });
 * ```
 */
export function certChainVerifier(options: CertChainVerifierOptions = {}): RequestVerifier {
  // X.509 parsing has no WebCrypto equivalent: without node:crypto this scheme cannot exist.
  const { verify: rsaVerify } = requireNodeCrypto('certChainVerifier');
  const policy = resolveUrlPolicy(options.allowedUrl);
  const sanDomain = (options.sanDomain ?? CEK_CERT_SAN_DOMAIN).toLowerCase();
  const anchors = new TrustAnchors(options.trustAnchors);
  const logger = resolveLogger(options.logger);
  const now = options.now ?? Date.now;
  const fetchOptions = {
    timeoutMs: options.fetchTimeoutMs ?? 3000,
    maxBytes: options.maxChainBytes ?? 64 * 1024,
    ...(options.downloadCa ? { ca: options.downloadCa } : {}),
  };
  const maxChainLength = options.maxChainLength ?? 5;
  const cache = new ChainCache({
    maxEntries: options.maxCachedChains ?? 16,
    ttlMs: options.cacheTtlMs ?? 60 * 60_000,
    failureTtlMs: options.failureTtlMs ?? 10_000,
    maxConcurrent: options.maxConcurrentDownloads ?? 4,
    now,
  });
  if (
    policy.host !== CEK_CERT_CHAIN_URL.host ||
    policy.port !== CEK_CERT_CHAIN_URL.port ||
    policy.pathPrefix !== CEK_CERT_CHAIN_URL.pathPrefix
  ) {
    logger.warn('cekit: certChainVerifier downloads chains from a non-default location', { ...policy });
  }

  async function download(url: URL): Promise<ValidatedChain> {
    let text: string;
    try {
      text = await fetchText(url, fetchOptions);
    } catch (error) {
      const reason = error instanceof FetchTextError ? error.reason : 'network';
      logger.warn('cekit: could not download a certificate chain', {
        url: url.href,
        reason,
        ...describeError(error),
      });
      throw new RejectionError('CERT_CHAIN_UNAVAILABLE', `Download failed (${reason}).`, { cause: error });
    }
    try {
      const certificates = parsePemChain(text, maxChainLength);
      const chain = validateChain(certificates, sanDomain, anchors, now());
      logger.info('cekit: certificate chain validated', { url: url.href, certificates: certificates.length });
      return chain;
    } catch (error) {
      if (error instanceof RejectionError) throw error;
      // Node's X.509 API throwing on a certificate it parsed: still the chain's fault, still refused.
      throw new RejectionError('CERT_CHAIN_MALFORMED', 'A certificate could not be examined.', {
        cause: error,
      });
    }
  }

  // Spec §4.2 part 2: the RSA public-key operation on the decoded value must give the SHA-1 digest
  // of the exact body; that is RSASSA-PKCS1-v1_5 verification with SHA-1 (RFC 8017 §8.2.2).
  function checkSignature(chain: CachedChain, body: Uint8Array, signature: Uint8Array): void {
    if (!rsaVerify('sha1', body, chain.leafKey, signature)) throw new RejectionError('SIGNATURE_INVALID');
  }

  async function verifyCold(body: Uint8Array, signature: Uint8Array, raw: string): Promise<void> {
    const url = checkCertChainUrl(raw, policy);
    const chain = await cache.load(raw, now(), () => download(url));
    // Validity is checked on use, not only at download: a shared download may finish long after.
    checkValidity(chain, now());
    checkSignature(chain, body, signature);
  }

  return {
    scheme: 'SignatureCEKCertChainUrl',
    verify(body, headers) {
      // The signature first: a request without one never triggers a download.
      const signature = decodeSignature(headers);
      const raw = readChainUrl(headers);
      const time = now();
      const cached = cache.get(raw, time);
      if (cached === undefined) return verifyCold(body, signature, raw);
      if (time > cached.notAfter || time < cached.notBefore) {
        // Never trust a cached chain outside its validity: drop it and fetch again (CEK may have
        // put a renewed chain at the same URL); the fresh chain is judged on its own.
        cache.delete(raw);
        return verifyCold(body, signature, raw);
      }
      checkSignature(cached, body, signature);
      return undefined;
    },
    ready() {
      anchors.warm();
      return Promise.resolve();
    },
    close() {
      cache.clear();
    },
  };
}

function readChainUrl(headers: HeaderSource): string {
  const { value, duplicated } = singleHeader(readHeader(headers, CERT_CHAIN_URL_HEADER));
  if (duplicated) throw new RejectionError('CERT_CHAIN_URL_DUPLICATED');
  if (value === undefined) throw new RejectionError('CERT_CHAIN_URL_MISSING');
  // Node and fetch join a repeated header into one value with ", ". The URL check would refuse the
  // space anyway; this names the real problem.
  if (value.includes(', ')) throw new RejectionError('CERT_CHAIN_URL_DUPLICATED');
  return value;
}
