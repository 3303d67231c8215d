import { createHash, createPublicKey, randomBytes, sign as signBytes, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  explicit,
  implicitPrimitive,
  nullValue,
  objectIdentifier,
  octetString,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './x509-der.js';

/** Key-usage bits an issued certificate may carry (RFC 5280 §4.2.1.3). */
export type KeyUsage = 'digitalSignature' | 'keyEncipherment' | 'keyCertSign' | 'cRLSign';

/** Everything that goes into one X.509 v3 certificate built by {@link createCertificate}. */
export interface CertificateFields {
  /** Subject common name (CN). */
  subject: string;
  /** Issuer common name; equal to `subject` for a self-signed certificate. */
  issuer: string;
  /** The certified key (RSA; a private key is accepted and its public half certified). */
  publicKey: KeyObject;
  /** The issuer's private key, which signs the certificate (sha256WithRSAEncryption). */
  signingKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  /** Subject Alternative Name DNS entries. Omit for a certificate without a SAN extension. */
  dnsNames?: readonly string[];
  /** Subject Alternative Name IP entries (IPv4 or IPv6 text), e.g. for a loopback TLS server. */
  ipAddresses?: readonly string[];
  /** basicConstraints cA flag. Default `false` (the extension is still present, marked critical). */
  isCA?: boolean;
  /** Key-usage bits; omit for no keyUsage extension. */
  keyUsage?: readonly KeyUsage[];
  /** Serial number bytes; default 16 random bytes. */
  serialNumber?: Uint8Array;
}

const OID = {
  sha256WithRSA: '1.2.840.113549.1.1.11',
  commonName: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
} as const;

const KEY_USAGE_BITS: Record<KeyUsage, number> = {
  digitalSignature: 0,
  keyEncipherment: 2,
  keyCertSign: 5,
  cRLSign: 6,
};

/**
 * Builds and signs an RSA X.509 v3 certificate (RFC 5280 §4.1) and returns it as PEM. Meant for
 * tests: it makes exactly the certificates you describe, including broken ones (expired, wrong
 * SAN, a leaf that signs others), so verification code can be exercised against real DER.
 */
export function createCertificate(fields: CertificateFields): string {
  const algorithm = sequence(objectIdentifier(OID.sha256WithRSA), nullValue());
  const tbs = sequence(
    explicit(0, smallInteger(2)), // version v3
    unsignedInteger(fields.serialNumber ?? positiveSerial()),
    algorithm,
    name(fields.issuer),
    sequence(time(fields.notBefore), time(fields.notAfter)),
    name(fields.subject),
    spki(fields.publicKey),
    explicit(3, sequence(...extensions(fields, fields.signingKey))),
  );
  const signature = signBytes('sha256', tbs, fields.signingKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  return toPem(der);
}

/** DER bytes to a `CERTIFICATE` PEM block with 64-character lines (RFC 7468 §2). */
export function toPem(der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function extensions(fields: CertificateFields, issuerKey: KeyObject): Buffer[] {
  const list = [
    extension(OID.basicConstraints, true, sequence(...(fields.isCA ? [boolean(true)] : []))),
    extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(fields.publicKey))),
    extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, keyIdentifier(issuerKey)))),
  ];
  if (fields.keyUsage && fields.keyUsage.length > 0) {
    list.push(extension(OID.keyUsage, true, keyUsageBits(fields.keyUsage)));
  }
  const altNames = [
    ...(fields.dnsNames ?? []).map((dns) => implicitPrimitive(2, Buffer.from(dns, 'ascii'))),
    ...(fields.ipAddresses ?? []).map((ip) => implicitPrimitive(7, ipBytes(ip))),
  ];
  if (altNames.length > 0) list.push(extension(OID.subjectAltName, false, sequence(...altNames)));
  return list;
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value));
}

function name(commonName: string): Buffer {
  return sequence(set(sequence(objectIdentifier(OID.commonName), utf8String(commonName))));
}

function spki(key: KeyObject): Buffer {
  if (key.asymmetricKeyType !== 'rsa') throw new TypeError('createCertificate: only RSA keys are supported');
  // A private key is accepted too (its public half is certified).
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'der' });
}

// RFC 5280 §4.2.1.2 allows any unique identifier; a SHA-1 of the SubjectPublicKeyInfo is simplest.
function keyIdentifier(key: KeyObject): Buffer {
  return createHash('sha1').update(spki(key)).digest();
}

// DER BIT STRING: bit 0 is the most significant bit; trailing zero bits are dropped (X.690 §11.2.2).
function keyUsageBits(usages: readonly KeyUsage[]): Buffer {
  let value = 0;
  for (const usage of usages) value |= 0x8000 >> KEY_USAGE_BITS[usage];
  const bytes = value & 0xff ? [value >> 8, value & 0xff] : [value >> 8];
  const last = bytes[bytes.length - 1] ?? 0;
  let unused = 0;
  while (unused < 7 && last !== 0 && (last & (1 << unused)) === 0) unused++;
  return bitString(Uint8Array.from(bytes), unused);
}

function ipBytes(ip: string): Uint8Array {
  const family = isIP(ip);
  if (family === 4) return Uint8Array.from(ip.split('.').map(Number));
  if (family === 6) {
    const [head = '', tail = ''] = ip.split('::');
    const headGroups = head ? head.split(':') : [];
    const tailGroups = ip.includes('::') && tail ? tail.split(':') : [];
    const zeros = ip.includes('::') ? 8 - headGroups.length - tailGroups.length : 0;
    const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups];
    return Uint8Array.from(groups.flatMap((group) => [parseInt(group, 16) >> 8, parseInt(group, 16) & 0xff]));
  }
  throw new TypeError(`createCertificate: not an IP address: ${ip}`);
}

function positiveSerial(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01; // positive and never leading zero (RFC 5280 §4.1.2.2)
  return bytes;
}
