import type * as Crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';

// Count every key decoding cekit does: each must happen once, when the verifier is built or a key
// is downloaded, never per request. cekit asks the runtime for node:crypto on first use
// (process.getBuiltinModule) rather than importing it, so the count wraps the function on the
// built-in module itself.
const decodings = { count: 0 };
const nodeCrypto = process.getBuiltinModule('node:crypto') as typeof Crypto;
const createPublicKey = nodeCrypto.createPublicKey;
vi.spyOn(nodeCrypto, 'createPublicKey').mockImplementation((key) => {
  decodings.count++;
  return createPublicKey(key);
});

const { createEndpoint, silentLogger } = await import('cekit');
const { generateTestKeyPair } = await import('cekit/testing');
const { signedVector } = await import('../helpers/fixtures.js');

describe('keys are decoded once', () => {
  it('decodes the bundled and pinned keys at start-up, then none per request', async () => {
    const keys = generateTestKeyPair();
    const before = decodings.count;
    const endpoint = createEndpoint({
      dispatcher: {
        kinds: ['custom'],
        dispatch: () => ({ version: '1.0', sessionAttributes: {}, response: {} }),
      },
      verify: { keys: [keys.publicKeyPem], keyUrl: false },
      extensionId: 'com.chens.morning',
      logger: silentLogger,
    });
    // The bundled JP key and the pinned test key.
    expect(decodings.count - before).toBe(2);

    const launch = signedVector('signed-launch-request');
    const request = {
      method: 'POST',
      headers: { 'content-type': 'application/json', signaturecek: launch.signatureCEK },
      body: Buffer.from(launch.rawBody),
    };
    const afterStart = decodings.count;
    for (let i = 0; i < 20; i++) expect((await endpoint.handle(request)).status).toBe(200);
    // Forged requests (wrong key) take the slow path, which must not decode either.
    const forged = { ...request, headers: { ...request.headers, signaturecek: keys.sign('other') } };
    for (let i = 0; i < 5; i++) expect((await endpoint.handle(forged)).status).toBe(403);
    expect(decodings.count).toBe(afterStart);
  });
});
