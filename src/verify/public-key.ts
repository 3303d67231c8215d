import type * as Tls from 'node:tls';
import { requireNodeBuiltin } from '../core/builtin.js';
import { RejectionError } from '../core/errors.js';
import { readHeader, singleHeader, type HeaderSource } from '../core/headers.js';
import { resolveLogger, type Logger } from '../core/logger.js';
import { JP_PUBLIC_KEY_PEM } from './bundled-key.js';
import { isLoopbackHost } from './fetch-text.js';
import { KeyStore } from './key-store.js';
import { REGIONS, type Region } from './regions.js';
import { decodeBase64, isBase64, toPublicKey, verifyWithAny, type KeyInput, type PublicKey } from './rsa.js';
import type { RequestVerifier } from './verifier.js';

export interface PublicKeyVerifierOptions {
  /** Which documented key URL to use. Default `'jp'`, whose key is also bundled. */
  region?: Region;
  /** More keys to trust (PEM or `KeyObject`): a rotation overlap, or your own test key. */
  keys?: readonly KeyInput[];
  /** Trust the bundled JP key. Default: `true` for region `'jp'`, `false` for `'kr'`. */
  bundledKey?: boolean;
  /**
   * Where to download the current key. Defaults to the region's documented URL; `false` never
   * downloads (offline, tests). Only https is fetched, or http on loopback for local tests.
   */
  keyUrl?: string | false;
  /** Hosts a key may be downloaded from. Default: the documented hosts plus the host of `keyUrl`. */
  allowedHosts?: readonly string[];
  /**
   * CA certificates (PEM, one string may hold several) trusted for the https key download only, on
   * top of Node's bundled roots: for a `keyUrl` served with a private CA. The process-wide
   * alternative is `NODE_EXTRA_CA_CERTS`, which this option bypasses for the key download.
   */
  keyUrlCa?: string | readonly string[];
  /** Per-download deadline. Default 3000 ms. */
  fetchTimeoutMs?: number;
  /** Largest key document accepted. Default 16 KiB (a PEM key is about 450 bytes). */
  maxKeyBytes?: number;
  /**
   * Least time between the starts of two downloads triggered by failed signatures (maybe CEK
   * rotated its key), so a flood of forged requests costs at most one download per interval; each
   * is a conditional GET (a 304 while the key is unchanged). Default 2000 ms.
   */
  minRefetchIntervalMs?: number;
  /**
   * How long a request whose signature matched no key may wait for the next such download to start,
   * instead of being refused at once. With the default it always can, so a request signed with a new
   * key is never refused because of a flood; `0` refuses instead of waiting. Default 2000 ms.
   */
  maxRefetchWaitMs?: number;
  /** How often the key is refreshed in the background. Default 24 h. */
  refreshIntervalMs?: number;
  logger?: Logger;
  /** Clock, for tests. */
  now?: () => number;
}

const DOCUMENTED_HOSTS = Object.values(REGIONS).map((region) => new URL(region.keyUrl).hostname);

/**
 * Scheme (a), the current one: `SignatureCEK` is base64 RSASSA-PKCS1-v1_5/SHA-256 over the raw
 * body, checked against CEK's published public key (spec http-and-validation.md §3).
 */
export function publicKeyVerifier(options: PublicKeyVerifierOptions = {}): RequestVerifier {
  const region = options.region ?? 'jp';
  const logger = resolveLogger(options.logger);
  const url = resolveKeyUrl(options, region);
  const bundled = options.bundledKey ?? region === 'jp';
  const pinned = [
    ...(bundled ? [toPublicKey(JP_PUBLIC_KEY_PEM)] : []),
    ...(options.keys ?? []).map((key, index) => toPublicKey(key, `verify.keys[${index}]`)),
  ];
  const store = new KeyStore({
    pinned,
    url,
    fetch: {
      timeoutMs: options.fetchTimeoutMs ?? 3000,
      maxBytes: options.maxKeyBytes ?? 16 * 1024,
      ...(options.keyUrlCa !== undefined ? { ca: withDefaultRoots(options.keyUrlCa) } : {}),
    },
    minRefetchIntervalMs: options.minRefetchIntervalMs ?? 2000,
    maxRefetchWaitMs: options.maxRefetchWaitMs ?? 2000,
    refreshIntervalMs: options.refreshIntervalMs ?? 24 * 60 * 60_000,
    logger,
    ...(options.now ? { now: options.now } : {}),
  });
  if (pinned.length === 0 && url === undefined) {
    throw new TypeError('publicKeyVerifier: no key to trust; pass `keys`, keep the bundled key, or a keyUrl');
  }
  // Keys that will be fetched on first use are fetched now, so the first request does not wait.
  if (store.canFetch && pinned.length === 0) void store.fetch();

  return {
    scheme: 'SignatureCEK',
    verify(body, headers) {
      const signature = decodeSignature(headers);
      const keys = store.keys;
      const verified = verifyWithAny(keys, body, signature);
      if (verified === true) {
        store.refreshIfDue();
        return undefined;
      }
      if (verified === false) return retryAfterRefetch(store, keys, body, signature);
      // WebCrypto (no node:crypto on this runtime): the same decision, one promise later.
      return verified.then((ok) => {
        if (!ok) return retryAfterRefetch(store, keys, body, signature);
        store.refreshIfDue();
        return undefined;
      });
    },
    async ready() {
      if (store.keys.length === 0) await store.fetch();
    },
  };
}

/**
 * The slow path after a signature matched no trusted key: maybe CEK rotated its key. Wait for a
 * download (single-flight, spaced out by the store) and retry whenever the key set changed, including
 * a change made by another request's download (the key list is replaced, never mutated, so identity
 * tells). The request is refused only once a download that started after it failed found nothing
 * that verifies it: one that was already running may have fetched the key just before the rotation.
 * At most two downloads are awaited, the second starting within `maxRefetchWaitMs` of the failure.
 */
async function retryAfterRefetch(
  store: KeyStore,
  triedKeys: readonly PublicKey[],
  body: Uint8Array,
  signature: Uint8Array,
): Promise<void> {
  const failedAt = store.now();
  const startedBefore = store.started;
  let tried = triedKeys;
  let download = store.refetchAfterFailure(failedAt);
  while (download !== false) {
    const sequence = await download;
    const keys = store.keys;
    if (keys !== tried && (await verifyWithAny(keys, body, signature))) return;
    tried = keys;
    download = sequence > startedBefore ? false : store.refetchAfterFailure(failedAt);
  }
  if (store.keys.length === 0) throw new RejectionError('KEY_UNAVAILABLE');
  throw new RejectionError('SIGNATURE_INVALID');
}

/** Reads and strictly decodes the header: Buffer's own base64 decoder silently skips junk. */
export function decodeSignature(headers: HeaderSource): Uint8Array {
  const { value, duplicated } = singleHeader(readHeader(headers, 'signaturecek'));
  if (duplicated) throw new RejectionError('SIGNATURE_DUPLICATED');
  if (value === undefined) throw new RejectionError('SIGNATURE_MISSING');
  // Transports join repeated headers with ", "; base64 never contains a comma.
  if (value.includes(',')) throw new RejectionError('SIGNATURE_DUPLICATED');
  // RSA-2048 signatures are exactly 256 bytes, i.e. 344 base64 characters with padding.
  if (value.length > 1400 || !isBase64(value)) {
    throw new RejectionError('SIGNATURE_MALFORMED');
  }
  return decodeBase64(value);
}

/**
 * Node's `ca` option replaces the bundled roots; the option promises to add to them. Checked at
 * start-up, so a wrong value fails there and not on the first download. Only this option needs
 * node:tls (for its root list), so only it loads it.
 */
function withDefaultRoots(ca: string | readonly string[]): string[] {
  const extra = typeof ca === 'string' ? [ca] : [...ca];
  for (const pem of extra) {
    if (typeof pem !== 'string' || !pem.includes('-----BEGIN CERTIFICATE-----')) {
      throw new TypeError('publicKeyVerifier: keyUrlCa must be PEM certificates');
    }
  }
  const tls = requireNodeBuiltin<typeof Tls>(
    'node:tls',
    'publicKeyVerifier: keyUrlCa',
    'elsewhere serve the key with a certificate from a public CA',
  );
  return [...tls.rootCertificates, ...extra];
}

function resolveKeyUrl(options: PublicKeyVerifierOptions, region: Region): URL | undefined {
  if (options.keyUrl === false) return undefined;
  const url = new URL(options.keyUrl ?? REGIONS[region].keyUrl);
  const allowed = options.allowedHosts ?? [...DOCUMENTED_HOSTS, ...(options.keyUrl ? [url.hostname] : [])];
  if (!allowed.includes(url.hostname)) {
    throw new TypeError(`publicKeyVerifier: ${url.hostname} is not in allowedHosts`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new TypeError('publicKeyVerifier: keyUrl must be https (plain http is allowed on loopback only)');
  }
  if (url.username || url.password)
    throw new TypeError('publicKeyVerifier: keyUrl must not carry credentials');
  return url;
}
