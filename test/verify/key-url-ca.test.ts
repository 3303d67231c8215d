import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicKeyVerifier, RejectionError, silentLogger, type Logger, type RequestVerifier } from 'cekit';
import {
  createTestCertificateAuthority,
  generateTestKeyPair,
  startCertificateServer,
  type CertificateServer,
} from 'cekit/testing';

/** `keyUrlCa`: an https key URL whose certificate comes from a private CA (issue 10, item 8). */

const BODY = Buffer.from('{"request":{"type":"LaunchRequest"}}');
const keys = generateTestKeyPair();
const privateCa = createTestCertificateAuthority({ commonName: 'Private Key Server CA' });
const otherCa = createTestCertificateAuthority({ commonName: 'Unrelated CA' });

let server: CertificateServer;
beforeAll(async () => {
  server = await startCertificateServer({ authority: privateCa, routes: { '/key.pem': keys.publicKeyPem } });
});
afterAll(() => server.close());

async function check(verifier: RequestVerifier) {
  try {
    await verifier.verify(BODY, { signaturecek: keys.sign(BODY) });
    return 'ok';
  } catch (error) {
    if (error instanceof RejectionError) return error.code;
    throw error;
  }
}

function captureWarnings(): Logger & { reasons: unknown[] } {
  const reasons: unknown[] = [];
  return { ...silentLogger, reasons, warn: (_message, fields) => reasons.push(fields?.reason) };
}

const verifierFor = (extra: { keyUrlCa?: string | readonly string[]; logger?: Logger } = {}) =>
  publicKeyVerifier({ region: 'kr', keyUrl: server.url('/key.pem'), logger: silentLogger, ...extra });

describe('keyUrlCa', () => {
  it('without it, a key server with a private CA is not trusted: the download fails and requests are refused', async () => {
    const logger = captureWarnings();
    const verifier = verifierFor({ logger });
    await verifier.ready!();
    expect(await check(verifier)).toBe('KEY_UNAVAILABLE');
    expect(logger.reasons[0]).toBe('network');
  });

  it('trusts the key download when the private CA is given', async () => {
    const verifier = verifierFor({ keyUrlCa: privateCa.certificatePem });
    await verifier.ready!();
    expect(await check(verifier)).toBe('ok');
    expect(server.downloads('/key.pem')).toBeGreaterThanOrEqual(1);
  });

  it('accepts a list of CAs', async () => {
    const verifier = verifierFor({ keyUrlCa: [otherCa.certificatePem, privateCa.certificatePem] });
    await verifier.ready!();
    expect(await check(verifier)).toBe('ok');
  });

  it('an unrelated CA does not help', async () => {
    const logger = captureWarnings();
    const verifier = verifierFor({ keyUrlCa: otherCa.certificatePem, logger });
    await verifier.ready!();
    expect(await check(verifier)).toBe('KEY_UNAVAILABLE');
    expect(logger.reasons[0]).toBe('network');
  });

  it('is trusted for the key download only, not by the rest of the process', async () => {
    verifierFor({ keyUrlCa: privateCa.certificatePem });
    const outcome = await new Promise<string>((resolve) => {
      request(server.url('/key.pem'), { agent: false }, (res) => {
        res.resume();
        resolve('trusted');
      })
        .on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
        .end();
    });
    expect(outcome).not.toBe('trusted');
  });

  it('refuses at start-up a value that is not PEM certificates', () => {
    expect(() => verifierFor({ keyUrlCa: 'not a certificate' })).toThrow(/keyUrlCa/);
    expect(() => verifierFor({ keyUrlCa: [privateCa.certificatePem, keys.publicKeyPem] })).toThrow(
      /keyUrlCa/,
    );
  });
});
