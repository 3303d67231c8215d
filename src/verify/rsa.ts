import type * as Crypto from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { nodeBuiltin, requireNodeBuiltin } from '../core/builtin.js';

/**
 * RSA public keys and RSASSA-PKCS1-v1_5 verification on whatever the runtime offers.
 *
 * Where `node:crypto` exists (Node ≥ 20.16, Bun, Deno, Workers with `nodejs_compat` and
 * `process.getBuiltinModule`), keys are `KeyObject`s and a signature is checked synchronously, so an
 * endpoint whose key is known answers without a single extra microtask. Elsewhere (Cloudflare Workers
 * without `nodejs_compat`, Node 20.0–20.15) keys are imported into WebCrypto and checked with
 * `crypto.subtle.verify`, which is asynchronous. Either way a key is decoded once, when it is
 * configured or downloaded, never per request.
 *
 * `node:crypto` is asked for on first use instead of imported: a static import would make a runtime
 * without it refuse the whole bundle, and would be compiled at start-up even by a process that never
 * verifies anything.
 */

type NodeCrypto = typeof Crypto;

let loaded: NodeCrypto | null | undefined;

/** `node:crypto`, or `undefined` on a runtime without it; loaded once, on first use. */
export function nodeCrypto(): NodeCrypto | undefined {
  if (loaded === undefined) loaded = nodeBuiltin<NodeCrypto>('node:crypto') ?? null;
  return loaded ?? undefined;
}

/** `node:crypto` for a feature that has no WebCrypto equivalent (X.509); throws a clear error without it. */
export function requireNodeCrypto(feature: string): NodeCrypto {
  return nodeCrypto() ?? requireNodeBuiltin<NodeCrypto>('node:crypto', feature);
}

/** A WebCrypto RSA public key: its SPKI bytes (for comparisons) and the key, imported on first use. */
export class WebPublicKey {
  readonly spki: Uint8Array;
  #key: Promise<CryptoKey | undefined> | undefined;

  constructor(spki: Uint8Array) {
    this.spki = spki;
  }

  /**
   * The key imported for RSASSA-PKCS1-v1_5 with SHA-256 (the only hash without node:crypto: the
   * SHA-1 cert-chain scheme needs X.509 anyway), or `undefined` when WebCrypto refused it; the key
   * then verifies nothing.
   */
  key(): Promise<CryptoKey | undefined> {
    this.#key ??= crypto.subtle
      .importKey(
        'spki',
        this.spki as Uint8Array<ArrayBuffer>,
        { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
        false,
        ['verify'],
      )
      .catch(() => undefined);
    return this.#key;
  }
}

/** A trusted RSA public key, decoded once: a `KeyObject` with node:crypto, a WebCrypto key without. */
export type PublicKey = KeyObject | WebPublicKey;

/** What a key may be configured as. */
export type KeyInput = string | KeyObject;

/** Turns a PEM string (or an existing key object) into an RSA public key, once. */
export function toPublicKey(input: KeyInput, option = 'key'): PublicKey {
  const crypto = nodeCrypto();
  if (crypto === undefined) return webPublicKey(input, option);
  let key: KeyObject;
  try {
    if (input instanceof crypto.KeyObject) key = input;
    else if (typeof input === 'string') key = crypto.createPublicKey(input);
    else throw new Error(`got ${input === null ? 'null' : typeof input}`);
  } catch (error) {
    // OpenSSL's own text ("error:1E08010C:DECODER routines::unsupported") names neither the option nor the fix.
    throw notAKey(option, error instanceof Error ? error.message : String(error));
  }
  if (key.type !== 'public' || key.asymmetricKeyType !== 'rsa') {
    throw new TypeError(
      `${option}: a CEK key must be an RSA public key, got ${key.asymmetricKeyType} ${key.type}`,
    );
  }
  return key;
}

/** True when both are the same key (the same SPKI). */
export function sameKey(a: PublicKey, b: PublicKey): boolean {
  if (a instanceof WebPublicKey || b instanceof WebPublicKey) {
    return a instanceof WebPublicKey && b instanceof WebPublicKey && sameBytes(a.spki, b.spki);
  }
  return a.equals(b);
}

/**
 * True when one of `keys` verifies `signature` (RSASSA-PKCS1-v1_5 with SHA-256) over `body`:
 * synchronously with node:crypto, as a promise with WebCrypto.
 */
export function verifyWithAny(
  keys: readonly PublicKey[],
  body: Uint8Array,
  signature: Uint8Array,
): boolean | Promise<boolean> {
  const crypto = nodeCrypto();
  if (crypto === undefined) return verifyWithWebCrypto(keys, body, signature);
  const check = crypto.verify;
  for (const key of keys) {
    if (check('sha256', body, key as KeyObject, signature)) return true;
  }
  return false;
}

async function verifyWithWebCrypto(
  keys: readonly PublicKey[],
  body: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  for (const key of keys) {
    if (!(key instanceof WebPublicKey)) continue;
    const imported = await key.key();
    // WebCrypto's typings want ArrayBuffer-backed views; request bodies always are.
    const [sig, data] = [signature as Uint8Array<ArrayBuffer>, body as Uint8Array<ArrayBuffer>];
    if (imported && (await crypto.subtle.verify('RSASSA-PKCS1-v1_5', imported, sig, data))) return true;
  }
  return false;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Whether `text` is padded standard base64 and nothing else. Checked before decoding because Buffer's
 * own decoder silently skips junk.
 */
export function isBase64(text: string): boolean {
  return text.length % 4 === 0 && BASE64.test(text);
}

/** Base64 decoding (the caller checked {@link isBase64}): Buffer where there is one, `atob` elsewhere. */
export function decodeBase64(text: string): Uint8Array {
  const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;
  if (NodeBuffer) return NodeBuffer.from(text, 'base64');
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const PEM = /^-----BEGIN PUBLIC KEY-----\r?\n([A-Za-z0-9+/=\r\n]+?)-----END PUBLIC KEY-----$/;
// AlgorithmIdentifier of rsaEncryption (RFC 8017 A.1): OID 1.2.840.113549.1.1.1.
const RSA_ENCRYPTION = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/**
 * Without node:crypto a key must be the PEM text of an SPKI ("BEGIN PUBLIC KEY"), the form CEK
 * publishes. Its structure and algorithm are checked here, so a wrong key is still refused when the
 * verifier is built; WebCrypto parses the rest when the key is first used.
 */
function webPublicKey(input: KeyInput, option: string): WebPublicKey {
  if (typeof input !== 'string') {
    throw notAKey(
      option,
      `got ${input === null ? 'null' : typeof input}; without node:crypto only PEM text works`,
    );
  }
  const match = PEM.exec(input.trim());
  const base64 = match?.[1]?.replace(/\r?\n/g, '') ?? '';
  if (!match || !isBase64(base64)) {
    throw notAKey(option, 'not a "-----BEGIN PUBLIC KEY-----" PEM block');
  }
  const der = decodeBase64(base64);
  const algorithm = spkiAlgorithm(der);
  if (algorithm === undefined) throw notAKey(option, 'the PEM block is not a SubjectPublicKeyInfo');
  if (!startsWith(der, RSA_ENCRYPTION, algorithm)) {
    throw new TypeError(`${option}: a CEK key must be an RSA public key, got another algorithm`);
  }
  return new WebPublicKey(der);
}

/**
 * Where the algorithm OID starts in a DER SubjectPublicKeyInfo, `SEQUENCE { SEQUENCE { OID, ... },
 * BIT STRING }`, or `undefined` when the outer structure does not add up.
 */
function spkiAlgorithm(der: Uint8Array): number | undefined {
  const outer = header(der, 0, 0x30);
  if (outer === undefined || outer.end !== der.length) return undefined;
  const algorithm = header(der, outer.start, 0x30);
  if (algorithm === undefined) return undefined;
  const key = header(der, algorithm.end, 0x03);
  if (key === undefined || key.end !== der.length) return undefined;
  return algorithm.start;
}

/** A DER tag and length at `at`: where its content starts and ends, if it fits in `der`. */
function header(der: Uint8Array, at: number, tag: number): { start: number; end: number } | undefined {
  if (der[at] !== tag) return undefined;
  const first = der[at + 1];
  if (first === undefined) return undefined;
  let length = first;
  let start = at + 2;
  if (first & 0x80) {
    const bytes = first & 0x7f;
    if (bytes === 0 || bytes > 3) return undefined;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + (der[start + i] ?? Number.NaN);
    start += bytes;
  }
  const end = start + length;
  return Number.isNaN(end) || end > der.length ? undefined : { start, end };
}

function startsWith(bytes: Uint8Array, prefix: readonly number[], at: number): boolean {
  return prefix.every((byte, i) => bytes[at + i] === byte);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function notAKey(option: string, reason: string): TypeError {
  return new TypeError(
    `${option} is not a PEM public key (${reason}). ` +
      'Pass the text of a "-----BEGIN PUBLIC KEY-----" file, or a KeyObject.',
  );
}
