import { generateKeyPairSync, sign as rsaSign, X509Certificate, type KeyObject } from 'node:crypto';
import { createCertificate, type KeyUsage } from './x509.js';

/** What to put in a certificate issued by {@link TestCertificate.issue}. */
export interface IssueOptions {
  /** Subject CN. */
  commonName: string;
  /** SAN DNS names. A CEK signing certificate needs `cek-requests.clova.ai`. */
  dnsNames?: readonly string[];
  /** SAN IP addresses, e.g. `127.0.0.1` for a loopback HTTPS server. */
  ipAddresses?: readonly string[];
  /** Make it a CA (basicConstraints cA=TRUE, keyUsage keyCertSign). Default `false`. */
  isCA?: boolean;
  /** Key-usage bits. Default: keyCertSign+cRLSign for a CA, digitalSignature+keyEncipherment otherwise. */
  keyUsage?: readonly KeyUsage[];
  /** Default: one hour ago (tolerates small clock differences). */
  notBefore?: Date;
  /** Default: 30 days after `notBefore` for leaves, 1 year for CAs. */
  notAfter?: Date;
  /** The private key to certify. Default: a fresh RSA-2048 key (about 50-100 ms to generate). */
  key?: KeyObject;
}

/** A certificate with its private key; it can issue further certificates. */
export interface TestCertificate {
  readonly commonName: string;
  readonly certificatePem: string;
  /** The parsed certificate (Node's `X509Certificate`). */
  readonly certificate: X509Certificate;
  readonly privateKey: KeyObject;
  readonly privateKeyPem: string;
  /**
   * Issues a certificate signed by this certificate's key. Works on any certificate, including a
   * non-CA leaf, so tests can build chains a verifier must refuse.
   */
  issue(options: IssueOptions): TestCertificate;
}

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/**
 * Creates a self-signed root CA for tests (RSA-2048, sha256WithRSAEncryption), from which
 * intermediates, CEK signing certificates and loopback TLS server certificates can be issued.
 *
 * ```ts
 * const root = createTestCertificateAuthority();
 * const intermediate = root.issue({ commonName: 'Test Intermediate', isCA: true });
 * const leaf = intermediate.issue({ commonName: 'cek-requests.clova.ai', dnsNames: ['cek-requests.clova.ai'] });
 * ```
 */
export function createTestCertificateAuthority(
  options: Partial<Omit<IssueOptions, 'isCA' | 'dnsNames' | 'ipAddresses'>> = {},
): TestCertificate {
  const key = options.key ?? generateRsaKey();
  const commonName = options.commonName ?? 'cekit Test Root CA';
  return build(key, key, commonName, { ...options, commonName, isCA: true });
}

/** RSASSA-PKCS1-v1_5 with SHA-1 over the exact bytes, base64: `SignatureCEK` of the cert-chain scheme. */
export function signBodySha1(privateKey: KeyObject | string, body: string | Uint8Array): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return rsaSign('sha1', bytes, privateKey).toString('base64');
}

function build(
  key: KeyObject,
  signingKey: KeyObject,
  issuerName: string,
  options: IssueOptions,
): TestCertificate {
  const notBefore = options.notBefore ?? new Date(Date.now() - HOUR);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + (options.isCA ? 365 : 30) * DAY);
  const isCA = options.isCA ?? false;
  const certificatePem = createCertificate({
    subject: options.commonName,
    issuer: issuerName,
    publicKey: key,
    signingKey,
    notBefore,
    notAfter,
    isCA,
    keyUsage:
      options.keyUsage ?? (isCA ? ['keyCertSign', 'cRLSign'] : ['digitalSignature', 'keyEncipherment']),
    ...(options.dnsNames ? { dnsNames: options.dnsNames } : {}),
    ...(options.ipAddresses ? { ipAddresses: options.ipAddresses } : {}),
  });
  return {
    commonName: options.commonName,
    certificatePem,
    certificate: new X509Certificate(certificatePem),
    privateKey: key,
    privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    issue: (child) => build(child.key ?? generateRsaKey(), key, options.commonName, child),
  };
}

function generateRsaKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}
