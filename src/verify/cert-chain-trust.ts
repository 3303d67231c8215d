import type { X509Certificate } from 'node:crypto';
import type * as Tls from 'node:tls';
import { requireNodeBuiltin } from '../core/builtin.js';
import { requireNodeCrypto } from './rsa.js';

/** A trusted root: PEM text or a parsed certificate. */
export type TrustAnchorInput = string | X509Certificate;

/**
 * The roots a chain may end at, indexed by subject so finding an issuer costs a map lookup. The
 * default set is Node's bundled Mozilla root store (`tls.rootCertificates`), loaded and parsed on
 * first use (about 25 ms) so endpoints that never see this scheme never pay for it.
 */
export class TrustAnchors {
  #bySubject: Map<string, X509Certificate[]> | undefined;
  #fingerprints: Set<string> | undefined;
  readonly #inputs: readonly TrustAnchorInput[] | undefined;
  readonly #custom: boolean;

  constructor(inputs: readonly TrustAnchorInput[] | undefined) {
    this.#inputs = inputs;
    this.#custom = inputs !== undefined;
    // Caller-supplied anchors are parsed now: a bad one is a configuration mistake, found at start-up.
    if (inputs !== undefined) this.#index();
  }

  /** A trusted CA that issued `certificate` and whose key verifies its signature, if any. */
  issuerOf(certificate: X509Certificate): X509Certificate | undefined {
    const candidates = this.#index().get(certificate.issuer);
    if (!candidates) return undefined;
    for (const anchor of candidates) {
      if (certificate.checkIssued(anchor) && certificate.verify(anchor.publicKey)) return anchor;
    }
    return undefined;
  }

  /** True when the exact certificate (same DER) is itself a trusted root. */
  includes(certificate: X509Certificate): boolean {
    this.#index();
    return this.#fingerprints?.has(certificate.fingerprint256) ?? false;
  }

  /** Parses and indexes the anchors (once). */
  warm(): void {
    this.#index();
  }

  #index(): Map<string, X509Certificate[]> {
    if (this.#bySubject) return this.#bySubject;
    const bySubject = new Map<string, X509Certificate[]>();
    const fingerprints = new Set<string>();
    const { X509Certificate: Certificate } = requireNodeCrypto('certChainVerifier');
    for (const input of this.#inputs ?? defaultRoots()) {
      const anchor = typeof input === 'string' ? new Certificate(input) : input;
      // Only CA certificates can anchor a chain; a leaf listed here would otherwise trust itself.
      if (!anchor.ca) {
        if (this.#custom) throw new TypeError(`Trust anchor "${anchor.subject}" is not a CA certificate`);
        continue;
      }
      fingerprints.add(anchor.fingerprint256);
      const list = bySubject.get(anchor.subject);
      if (list) list.push(anchor);
      else bySubject.set(anchor.subject, [anchor]);
    }
    this.#fingerprints = fingerprints;
    this.#bySubject = bySubject;
    return bySubject;
  }
}

/** Node's bundled Mozilla roots (`tls.rootCertificates`); node:tls is loaded for them only. */
function defaultRoots(): readonly string[] {
  return requireNodeBuiltin<typeof Tls>(
    'node:tls',
    'certChainVerifier (its default trust anchors)',
    'elsewhere pass `trustAnchors`',
  ).rootCertificates;
}
