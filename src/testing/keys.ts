import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as rsaSign,
  type KeyObject,
} from 'node:crypto';

/** A key pair that stands in for CEK's own: the extension trusts `publicKeyPem`, tests sign with it. */
export interface TestKeyPair {
  readonly publicKeyPem: string;
  readonly privateKeyPem: string;
  /** `SignatureCEK` for these exact bytes (a string is signed as UTF-8). */
  sign(body: string | Uint8Array): string;
  /**
   * Verifier options that trust only this key and never download one: pass as `verify` to
   * `createEndpoint` or `createExtension` so the real verifier accepts what this pair signs.
   */
  readonly verifyOptions: { keys: string[]; bundledKey: false; keyUrl: false };
}

/** Generates a fresh RSA-2048 key pair, the size CEK uses. */
export function generateTestKeyPair(): TestKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return keyPairFrom(privateKey, publicKey);
}

/** Rebuilds a key pair from a private key PEM (e.g. one kept by `cekit keygen`). */
export function loadTestKeyPair(privateKeyPem: string): TestKeyPair {
  const privateKey = createPrivateKey(privateKeyPem);
  return keyPairFrom(privateKey);
}

function keyPairFrom(privateKey: KeyObject, publicKey?: KeyObject): TestKeyPair {
  // A private KeyObject cannot be exported as SPKI: derive its public half first.
  const publicKeyPem = (publicKey ?? createPublicKey(privateKey))
    .export({ type: 'spki', format: 'pem' })
    .toString();
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    publicKeyPem,
    privateKeyPem,
    sign: (body) => signBody(privateKey, body),
    verifyOptions: { keys: [publicKeyPem], bundledKey: false, keyUrl: false },
  };
}

/** RSASSA-PKCS1-v1_5 with SHA-256 over the exact bytes, base64: the `SignatureCEK` header value. */
export function signBody(privateKey: KeyObject | string, body: string | Uint8Array): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return rsaSign('sha256', bytes, privateKey).toString('base64');
}
