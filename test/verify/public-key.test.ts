import { describe, expect, it } from 'vitest';
import {
  JP_PUBLIC_KEY_PEM,
  publicKeyVerifier,
  RejectionError,
  silentLogger,
  type RequestVerifier,
} from 'cekit';
import { listFixtures, signedVector } from '../helpers/fixtures.js';

async function outcome(verifier: RequestVerifier, body: string, signature: string) {
  try {
    await verifier.verify(Buffer.from(body, 'utf8'), { SignatureCEK: signature });
    return 'ok';
  } catch (error) {
    return error instanceof RejectionError ? error.code : String(error);
  }
}

describe('the real CEK-signed vectors with the bundled JP key', () => {
  const verifier = publicKeyVerifier({ keyUrl: false, logger: silentLogger });
  const vectors = listFixtures('validation').map((file) => file.replace(/\.json$/, ''));

  it('bundles the key the vectors were signed with', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(4);
    for (const name of vectors) expect(signedVector(name).publicKeyPem.trim()).toBe(JP_PUBLIC_KEY_PEM.trim());
  });

  it.each(vectors)('%s verifies exactly as the fixture expects', async (name) => {
    const vector = signedVector(name);
    expect(await outcome(verifier, vector.rawBody, vector.signatureCEK)).toBe(
      vector.expectedValid ? 'ok' : 'SIGNATURE_INVALID',
    );
  });

  it('answers the valid vectors without a promise (no extra microtask on the fast path)', () => {
    const vector = signedVector('signed-launch-request');
    const headers = { signaturecek: vector.signatureCEK };
    expect(verifier.verify(Buffer.from(vector.rawBody), headers)).toBeUndefined();
  });

  it('does not trust the bundled key for region kr unless asked to', async () => {
    const vector = signedVector('signed-launch-request');
    const kr = publicKeyVerifier({
      region: 'kr',
      keyUrl: false,
      keys: [],
      bundledKey: true,
      logger: silentLogger,
    });
    expect(await outcome(kr, vector.rawBody, vector.signatureCEK)).toBe('ok');
    expect(() => publicKeyVerifier({ region: 'kr', keyUrl: false, logger: silentLogger })).toThrow(/no key/);
  });
});
