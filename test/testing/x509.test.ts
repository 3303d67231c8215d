import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, verify as rsaVerify, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCertificate, createTestCertificateAuthority, signBodySha1 } from 'cekit/testing';

// One key for the whole file: certificates differ by their fields, not by their keys.
const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const caWindow = { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2052-01-01T00:00:00Z') };
const root = createTestCertificateAuthority({ commonName: 'Root Under Test', key, ...caWindow });
const intermediate = root.issue({ commonName: 'Intermediate Under Test', isCA: true, key, ...caWindow });
const notBefore = new Date('2026-01-02T03:04:05Z');
const notAfter = new Date('2051-06-07T08:09:10Z'); // after 2049: GeneralizedTime (RFC 5280 §4.1.2.5)
const leaf = intermediate.issue({
  commonName: 'cek-requests.clova.ai',
  dnsNames: ['cek-requests.clova.ai', `${'a'.repeat(63)}.${'b'.repeat(63)}.example`],
  ipAddresses: ['127.0.0.1', '::1', '2001:db8::42'],
  notBefore,
  notAfter,
  key,
});

function openssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('createCertificate / createTestCertificateAuthority: parsed back by Node', () => {
  it('writes subject, issuer, validity and SAN exactly as asked', () => {
    const parsed = new X509Certificate(leaf.certificatePem);
    expect(parsed.subject).toBe('CN=cek-requests.clova.ai');
    expect(parsed.issuer).toBe('CN=Intermediate Under Test');
    expect(new Date(parsed.validFrom).toISOString()).toBe(notBefore.toISOString());
    expect(new Date(parsed.validTo).toISOString()).toBe(notAfter.toISOString());
    expect(parsed.subjectAltName).toBe(
      `DNS:cek-requests.clova.ai, DNS:${'a'.repeat(63)}.${'b'.repeat(63)}.example, ` +
        'IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:2001:DB8:0:0:0:0:0:42',
    );
    expect(parsed.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(parsed.ca).toBe(false);
    expect(parsed.publicKey.asymmetricKeyType).toBe('rsa');
  });

  it('makes CAs that are CAs, and chains that verify link by link', () => {
    expect(root.certificate.ca).toBe(true);
    expect(intermediate.certificate.ca).toBe(true);
    expect(root.certificate.subject).toBe(root.certificate.issuer);
    expect(root.certificate.verify(root.certificate.publicKey)).toBe(true);
    expect(intermediate.certificate.checkIssued(root.certificate)).toBe(true);
    expect(intermediate.certificate.verify(root.certificate.publicKey)).toBe(true);
    expect(leaf.certificate.checkIssued(intermediate.certificate)).toBe(true);
    expect(leaf.certificate.checkIssued(root.certificate)).toBe(false);
  });

  it('omits the SAN extension when no names are given', () => {
    const bare = root.issue({ commonName: 'no-san.example', key });
    expect(bare.certificate.subjectAltName).toBeUndefined();
  });

  it('gives every certificate its own positive serial number, or the one asked for', () => {
    const serials = new Set(
      Array.from({ length: 5 }, () => root.issue({ commonName: 'x', key }).certificate.serialNumber),
    );
    expect(serials.size).toBe(5);
    const fixed = createCertificate({
      subject: 's',
      issuer: 's',
      publicKey: key,
      signingKey: key,
      notBefore,
      notAfter,
      serialNumber: Uint8Array.from([0x00, 0x00, 0x80, 0x01]),
    });
    // Leading zeros dropped and a zero put back because 0x80 would read as negative (X.690 §8.3):
    // OpenSSL would show a negative serial otherwise.
    expect(new X509Certificate(fixed).serialNumber).toBe('8001');
  });

  it('refuses what it cannot encode', () => {
    const base = { subject: 's', issuer: 's', publicKey: key, signingKey: key, notBefore, notAfter };
    expect(() => createCertificate({ ...base, ipAddresses: ['not-an-ip'] })).toThrow(TypeError);
    expect(() => createCertificate({ ...base, notBefore: new Date('1900-01-01T00:00:00Z') })).toThrow(
      RangeError,
    );
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(() => createCertificate({ ...base, publicKey: ec })).toThrow(TypeError);
  });

  it('signBodySha1 makes an RSASSA-PKCS1-v1_5/SHA-1 signature over the exact bytes', () => {
    const signature = Buffer.from(signBodySha1(key, '{"a":1}'), 'base64');
    expect(signature).toHaveLength(256);
    expect(rsaVerify('sha1', Buffer.from('{"a":1}'), leaf.certificate.publicKey, signature)).toBe(true);
    expect(rsaVerify('sha256', Buffer.from('{"a":1}'), leaf.certificate.publicKey, signature)).toBe(false);
  });
});

describe.skipIf(!openssl())('createCertificate: cross-checked by the openssl command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cekit-x509-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes `openssl verify -x509_strict` and shows the requested extensions', () => {
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const rootFile = file('root.pem', root.certificatePem);
    const intermediateFile = file('intermediate.pem', intermediate.certificatePem);
    const leafFile = file('leaf.pem', leaf.certificatePem);
    // -attime: the leaf starts in 2026-01; check at a fixed instant inside every window.
    const at = String(Math.floor(Date.parse('2026-06-01T00:00:00Z') / 1000));
    const verified = execFileSync(
      'openssl',
      [
        'verify',
        '-x509_strict',
        '-attime',
        at,
        '-CAfile',
        rootFile,
        '-untrusted',
        intermediateFile,
        leafFile,
      ],
      { encoding: 'utf8' },
    );
    expect(verified.trim()).toBe(`${leafFile}: OK`);

    const text = execFileSync('openssl', ['x509', '-in', leafFile, '-noout', '-text'], { encoding: 'utf8' });
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment/);
    expect(text).toContain('X509v3 Authority Key Identifier');
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
    const caText = execFileSync('openssl', ['x509', '-in', intermediateFile, '-noout', '-text'], {
      encoding: 'utf8',
    });
    expect(caText).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE/);
    expect(caText).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
  });
});
