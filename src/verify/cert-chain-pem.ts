import type { X509Certificate } from 'node:crypto';
import { RejectionError } from '../core/errors.js';
import { decodeBase64, isBase64, requireNodeCrypto } from './rsa.js';

const BLOCK = /-----BEGIN CERTIFICATE-----\r?\n([A-Za-z0-9+/=\r\n]+?)-----END CERTIFICATE-----/g;

/**
 * Parses a downloaded chain: one or more `CERTIFICATE` PEM blocks (RFC 7468) and nothing else but
 * whitespace between them. Anything else (another block type, stray text, bad base64, DER with
 * trailing bytes) makes the whole document `CERT_CHAIN_MALFORMED`: a chain is taken as served,
 * never repaired.
 */
export function parsePemChain(text: string, maxCertificates: number): X509Certificate[] {
  const certificates: X509Certificate[] = [];
  let consumed = 0;
  for (const match of text.matchAll(BLOCK)) {
    if (text.slice(consumed, match.index).trim() !== '') malformed('Unexpected text between PEM blocks.');
    consumed = match.index + match[0].length;
    if (certificates.length === maxCertificates) {
      malformed(`The chain has more than ${maxCertificates} certificates.`);
    }
    certificates.push(decodeBlock(match[1] ?? ''));
  }
  if (text.slice(consumed).trim() !== '') malformed('Unexpected text after the last PEM block.');
  if (certificates.length === 0) malformed('No CERTIFICATE PEM block found.');
  return certificates;
}

function decodeBlock(body: string): X509Certificate {
  const base64 = body.replace(/\r?\n/g, '');
  if (!isBase64(base64)) malformed('A PEM block is not valid base64.');
  const der = decodeBase64(base64);
  let certificate: X509Certificate;
  try {
    certificate = new (requireNodeCrypto('certChainVerifier').X509Certificate)(der);
  } catch {
    return malformed('A PEM block is not an X.509 certificate.');
  }
  if (certificate.raw.length !== der.length) malformed('A certificate has trailing bytes.');
  return certificate;
}

function malformed(detail: string): never {
  throw new RejectionError('CERT_CHAIN_MALFORMED', detail);
}
