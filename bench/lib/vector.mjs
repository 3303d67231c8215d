// Benchmark payloads: the real CEK-signed fixture vectors (signed by CEK with the JP key), or a body
// the runner signs with a key pair generated for this run.
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';

const FIXTURES = new URL('../../test/fixtures/validation/', import.meta.url);

export function readVector(name) {
  return JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8'));
}

/** The JP public key, taken from the vector itself so the baseline does not depend on cekit. */
export const JP_KEY_PEM = readVector('signed-launch-request').publicKeyPem;

/**
 * Turns a row's `payload` declaration into what the load generator sends, plus the public key the
 * server must trust (only for generated keys).
 * - `{ vector: 'signed-launch-request' }`: a fixture from test/fixtures/validation.
 * - `{ body: {...} | 'text', digest? }`: signed here with a fresh RSA-2048 key (RSASSA-PKCS1-v1_5,
 *   SHA-256 unless `digest` names another hash, e.g. 'sha1' for the legacy cert-chain scheme).
 * - `{ bodies: [...] }`: several bodies signed with that one key, sent in turn on each connection
 *   (`requests`); `body` and `signature` are the first (the probe request, the soak).
 */
export function resolvePayload(payload = { vector: 'signed-launch-request' }) {
  if (payload.vector) {
    const vector = readVector(payload.vector);
    return { body: vector.rawBody, signature: vector.signatureCEK, publicKeyPem: undefined };
  }
  const texts = (payload.bodies ?? [payload.body]).map((body) =>
    typeof body === 'string' ? body : JSON.stringify(body),
  );
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const requests = texts.map((body) => ({
    body,
    signature: sign(payload.digest ?? 'sha256', Buffer.from(body), privateKey).toString('base64'),
  }));
  return {
    ...requests[0],
    ...(payload.bodies ? { requests } : {}),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
