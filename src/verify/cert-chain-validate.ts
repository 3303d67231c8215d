import type { KeyObject, X509Certificate } from 'node:crypto';
import { RejectionError } from '../core/errors.js';
import type { TrustAnchors } from './cert-chain-trust.js';

/**
 * A chain that passed every check except time, reduced to what the per-request path needs: the
 * leaf's public key (decoded once) and the window in which EVERY certificate of the chain,
 * including the root it ends at, is valid, as millisecond timestamps.
 */
export interface ValidatedChain {
  readonly leafKey: KeyObject;
  readonly notBefore: number;
  readonly notAfter: number;
  /** Subject of the certificate that starts the window (for error details). */
  readonly notBeforeSubject: string;
  /** Subject of the certificate that expires first (for error details). */
  readonly notAfterSubject: string;
}

/**
 * Checks a parsed chain (leaf first) the way spec http-and-validation.md §4.2 part 1 asks, steps 3
 * to 5: SAN, chain to a trusted root, validity. See docs/guides/cert-chain.md for what Node's X.509
 * API can and cannot check.
 */
export function validateChain(
  chain: readonly X509Certificate[],
  sanDomain: string,
  anchors: TrustAnchors,
  now: number,
): ValidatedChain {
  const leaf = chain[0];
  if (!leaf) throw new RejectionError('CERT_CHAIN_MALFORMED', 'The chain is empty.');

  // Step 3. OpenSSL's host check on SAN dNSName entries only: never the subject CN, never a
  // wildcard (the spec names the exact domain), case-insensitive as DNS names are.
  const matched = leaf.checkHost(sanDomain, {
    subject: 'never',
    wildcards: false,
    partialWildcards: false,
    multiLabelWildcards: false,
    singleLabelSubdomains: false,
  });
  if (matched === undefined || matched.toLowerCase() !== sanDomain) {
    throw new RejectionError('CERT_SAN_MISMATCH', `Expected the DNS name ${sanDomain}.`);
  }
  if (leaf.ca) throw new RejectionError('CERT_UNTRUSTED', 'The signing certificate is a CA certificate.');
  if (leaf.publicKey.asymmetricKeyType !== 'rsa') {
    throw new RejectionError('CERT_UNTRUSTED', 'The signing certificate does not hold an RSA key.');
  }

  // Step 4. Leaf → root order as served: each certificate issued by the next one, which must be a CA.
  for (let index = 0; index < chain.length - 1; index++) {
    const child = chain[index] as X509Certificate;
    const parent = chain[index + 1] as X509Certificate;
    if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) {
      throw new RejectionError(
        'CERT_UNTRUSTED',
        `Certificate ${index + 1} is not issued by certificate ${index + 2}; the chain must run leaf to root.`,
      );
    }
    if (!parent.ca) {
      throw new RejectionError('CERT_UNTRUSTED', `Certificate ${index + 2} signs others but is not a CA.`);
    }
  }
  const last = chain[chain.length - 1] as X509Certificate;
  let root: X509Certificate | undefined;
  if (last !== leaf && anchors.includes(last)) root = last;
  else root = anchors.issuerOf(last);
  if (!root) throw new RejectionError('CERT_UNTRUSTED', 'The chain does not end at a trusted root.');

  // Step 5. The validity window of the whole path, root included; checked again on every request.
  const path = root === last ? chain : [...chain, root];
  const window = validityWindow(path);
  checkValidity(window, now);
  return { leafKey: leaf.publicKey, ...window };
}

function validityWindow(path: readonly X509Certificate[]) {
  let notBefore = Number.NEGATIVE_INFINITY;
  let notAfter = Number.POSITIVE_INFINITY;
  let notBeforeSubject = '';
  let notAfterSubject = '';
  for (const certificate of path) {
    const from = Date.parse(certificate.validFrom);
    const to = Date.parse(certificate.validTo);
    if (Number.isNaN(from) || Number.isNaN(to)) {
      throw new RejectionError('CERT_CHAIN_MALFORMED', 'A certificate has an unreadable validity period.');
    }
    if (from > notBefore) {
      notBefore = from;
      notBeforeSubject = certificate.subject;
    }
    if (to < notAfter) {
      notAfter = to;
      notAfterSubject = certificate.subject;
    }
  }
  return { notBefore, notAfter, notBeforeSubject, notAfterSubject };
}

/** The per-request time check: two comparisons against precomputed timestamps. */
export function checkValidity(chain: Omit<ValidatedChain, 'leafKey'>, now: number): void {
  if (now > chain.notAfter) {
    throw new RejectionError(
      'CERT_EXPIRED',
      `${oneLine(chain.notAfterSubject)} expired at ${new Date(chain.notAfter).toISOString()}.`,
    );
  }
  if (now < chain.notBefore) {
    throw new RejectionError(
      'CERT_NOT_YET_VALID',
      `${oneLine(chain.notBeforeSubject)} is valid from ${new Date(chain.notBefore).toISOString()}.`,
    );
  }
}

function oneLine(subject: string): string {
  return subject.replace(/\n/g, ', ');
}
