import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEndpoint,
  createExtension,
  publicKeyVerifier,
  RejectionError,
  silentLogger,
  type Logger,
  type PublicKeyVerifierOptions,
  type RequestVerifier,
} from 'cekit';
import { generateTestKeyPair, type TestKeyPair } from 'cekit/testing';
import { startKeyServer, type KeyServer } from '../core/key-server.js';

/** Key management against a loopback key server: first fetch, single flight, rotation, failures. */

const BODY = Buffer.from('{"request":{"type":"LaunchRequest"}}');
const first = generateTestKeyPair();
const second = generateTestKeyPair();
const third = generateTestKeyPair();

async function until(condition: () => boolean) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

/** Runs a verifier the way the endpoint does; returns 'ok' or the rejection code. */
async function check(verifier: RequestVerifier, keys: TestKeyPair, body: Uint8Array = BODY) {
  try {
    await verifier.verify(body, { signaturecek: keys.sign(body) });
    return 'ok';
  } catch (error) {
    if (error instanceof RejectionError) return error.code;
    throw error;
  }
}

interface Captured extends Logger {
  warnings: { message: string; fields: Record<string, unknown> | undefined }[];
}
function captureLogger(): Captured {
  const warnings: Captured['warnings'] = [];
  return { ...silentLogger, warnings, warn: (message, fields) => warnings.push({ message, fields }) };
}

let keyServer: KeyServer;
let clock: number;
let logger: Captured;
beforeEach(async () => {
  keyServer = await startKeyServer(first.publicKeyPem);
  clock = 1_000_000;
  logger = captureLogger();
});
afterEach(() => keyServer.close());

/** A KR-style verifier: no bundled key, everything comes from the (loopback) key URL. */
function fetchingVerifier(extra: PublicKeyVerifierOptions = {}) {
  return publicKeyVerifier({
    region: 'kr',
    keyUrl: keyServer.url,
    fetchTimeoutMs: 500,
    logger,
    now: () => clock,
    ...extra,
  });
}

describe('first fetch (KR style, nothing bundled)', () => {
  it('downloads the key once before serving, then verifies with it', async () => {
    const verifier = fetchingVerifier();
    await verifier.ready!();
    expect(keyServer.downloads).toBe(1);
    expect(await check(verifier, first)).toBe('ok');
    expect(keyServer.downloads).toBe(1);
  });

  it('the start-up download does not delay a refetch: a rotation just after start-up is picked up at once', async () => {
    const verifier = fetchingVerifier();
    await verifier.ready!();
    keyServer.pem = second.publicKeyPem;
    // Same instant as the start-up download (the clock does not move).
    expect(await check(verifier, second)).toBe('ok');
    expect(keyServer.downloads).toBe(2);
  });

  it('makes one download for many requests that arrive before the key', async () => {
    keyServer.mode = 'slow';
    keyServer.slowMs = 150;
    const verifier = fetchingVerifier();
    const results = await Promise.all(Array.from({ length: 25 }, () => check(verifier, first)));
    expect(results).toEqual(Array(25).fill('ok'));
    expect(keyServer.downloads).toBe(1);
  });

  it('fails closed with KEY_UNAVAILABLE while no key could ever be fetched', async () => {
    keyServer.mode = 'down';
    const endpoint = createEndpoint({
      dispatcher: { kinds: ['home'], dispatch: () => ({}) },
      verify: { region: 'kr', keyUrl: keyServer.url, logger, now: () => clock },
      logger: silentLogger,
    });
    await endpoint.ready();
    const body = Buffer.from('{"header":{"name":"DiscoverAppliancesRequest"},"payload":{}}');
    const res = await endpoint.handle({
      method: 'POST',
      headers: { 'content-type': 'application/json', signaturecek: first.sign(body) },
      body,
    });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'KEY_UNAVAILABLE' } });
    expect(logger.warnings[0]).toMatchObject({ fields: { reason: 'status', trusted: 0 } });
  });
});

describe('rotation', () => {
  it('picks up a new key without a restart, after at most one refetch, and keeps the old one', async () => {
    const verifier = fetchingVerifier();
    await verifier.ready!();
    keyServer.pem = second.publicKeyPem;
    clock += 60_000;
    expect(await check(verifier, second)).toBe('ok');
    expect(keyServer.downloads).toBe(2);
    // Requests CEK signed just before the rotation still verify (overlap of the last two keys).
    expect(await check(verifier, first)).toBe('ok');
    expect(keyServer.downloads).toBe(2);
  });

  it('makes one download for many requests signed with the new key at once', async () => {
    const verifier = fetchingVerifier();
    await verifier.ready!();
    keyServer.pem = second.publicKeyPem;
    keyServer.mode = 'slow';
    keyServer.slowMs = 100;
    clock += 60_000;
    const results = await Promise.all(Array.from({ length: 20 }, () => check(verifier, second)));
    expect(results).toEqual(Array(20).fill('ok'));
    expect(keyServer.downloads).toBe(2);
  });

  it('trusts the last two fetched keys, not every key ever seen', async () => {
    const verifier = fetchingVerifier();
    await verifier.ready!();
    for (const next of [second, third]) {
      keyServer.pem = next.publicKeyPem;
      clock += 60_000;
      expect(await check(verifier, next)).toBe('ok');
    }
    expect(await check(verifier, second)).toBe('ok');
    expect(await check(verifier, first)).toBe('SIGNATURE_INVALID');
  });

  it('refreshes in the background once the refresh interval passed, without delaying the request', async () => {
    const verifier = fetchingVerifier({ refreshIntervalMs: 3_600_000 });
    await verifier.ready!();
    clock += 3_600_000;
    keyServer.pem = second.publicKeyPem;
    // The request is answered synchronously (no promise): the download runs behind it.
    expect(verifier.verify(BODY, { signaturecek: first.sign(BODY) })).toBeUndefined();
    await verifier.ready!();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(keyServer.downloads).toBe(2);
    expect(await check(verifier, second)).toBe('ok');
  });
});

describe('background refresh while the key server is unreachable', () => {
  it('backs off (1, 2, 4 ... intervals) instead of retrying every minute, and resets on success', async () => {
    const verifier = fetchingVerifier({ refreshIntervalMs: 3_600_000, minRefetchIntervalMs: 60_000 });
    await verifier.ready!();
    keyServer.mode = 'down';
    const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
    const tick = async (ms: number) => {
      clock += ms;
      expect(await check(verifier, first)).toBe('ok');
      await settle();
      return keyServer.downloads;
    };
    expect(await tick(3_600_000)).toBe(2); // refresh due: fails
    expect(await tick(60_000)).toBe(3); // retried after 1 interval: fails
    expect(await tick(60_000)).toBe(3); // next retry only after 2 intervals
    expect(await tick(60_000)).toBe(4);
    expect(await tick(120_000)).toBe(4); // then 4 intervals
    keyServer.mode = 'ok';
    expect(await tick(120_000)).toBe(5); // succeeds: back to the normal refresh interval
    expect(await tick(60_000)).toBe(5);
    expect(logger.warnings).toHaveLength(3);
  });
});

describe('a flood of forged requests', () => {
  const forger = generateTestKeyPair();
  const flood = (verifier: RequestVerifier, n = 50) =>
    Promise.all(Array.from({ length: n }, () => check(verifier, forger)));

  it('costs at most one download per minRefetchIntervalMs (2 s), each a 304 while the key is unchanged', async () => {
    keyServer.validators = 'etag';
    const verifier = fetchingVerifier({ maxRefetchWaitMs: 0 });
    await verifier.ready!();
    expect(new Set(await flood(verifier))).toEqual(new Set(['SIGNATURE_INVALID']));
    expect(keyServer.downloads).toBe(2);
    expect(keyServer.notModified).toBe(1);
    clock += 1_999;
    await flood(verifier);
    expect(keyServer.downloads).toBe(2);
    clock += 1;
    await flood(verifier);
    expect(keyServer.downloads).toBe(3);
    expect(keyServer.notModified).toBe(2);
  });

  it('a request signed with a new key waits for the next download slot and passes, sharing one download', async () => {
    const verifier = fetchingVerifier({ minRefetchIntervalMs: 300 });
    await verifier.ready!();
    expect(await check(verifier, forger)).toBe('SIGNATURE_INVALID');
    expect(keyServer.downloads).toBe(2);
    keyServer.pem = second.publicKeyPem; // CEK rotates just after the flood made the store download
    clock += 100;
    const started = performance.now();
    const [genuine, forged] = await Promise.all([
      Promise.all(Array.from({ length: 20 }, () => check(verifier, second))),
      flood(verifier, 20),
    ]);
    expect(genuine).toEqual(Array(20).fill('ok'));
    expect(new Set(forged)).toEqual(new Set(['SIGNATURE_INVALID']));
    expect(keyServer.downloads).toBe(3);
    // The slot opened 300 ms after the previous download started; 100 ms of it had passed (fake clock).
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('a request is refused at once when the next slot is further than maxRefetchWaitMs away', async () => {
    const verifier = fetchingVerifier({ minRefetchIntervalMs: 60_000, maxRefetchWaitMs: 200 });
    await verifier.ready!();
    expect(await check(verifier, forger)).toBe('SIGNATURE_INVALID');
    keyServer.pem = second.publicKeyPem;
    clock += 1_000;
    const started = performance.now();
    expect(await check(verifier, second)).toBe('SIGNATURE_INVALID');
    expect(performance.now() - started).toBeLessThan(100);
    expect(keyServer.downloads).toBe(2);
    clock += 58_900; // the slot is 100 ms away: wait for it
    expect(await check(verifier, second)).toBe('ok');
    expect(keyServer.downloads).toBe(3);
  });

  it('a request that joined a download begun before the rotation asks for one more instead of failing', async () => {
    const verifier = fetchingVerifier({ minRefetchIntervalMs: 200 });
    await verifier.ready!();
    keyServer.mode = 'slow';
    keyServer.slowMs = 150;
    // A forged request starts a download that will answer with the old key...
    const forged = check(verifier, forger);
    await until(() => keyServer.downloads === 2);
    // ...CEK rotates while it runs, and a request signed with the new key joins it.
    keyServer.pem = second.publicKeyPem;
    keyServer.mode = 'ok';
    expect(await check(verifier, second)).toBe('ok');
    expect(await forged).toBe('SIGNATURE_INVALID');
    expect(keyServer.downloads).toBe(3);
  });
});

describe('conditional downloads', () => {
  it('asks with If-None-Match and keeps the key on a 304', async () => {
    keyServer.validators = 'etag';
    const verifier = fetchingVerifier();
    await verifier.ready!();
    expect(keyServer.lastHeaders!['if-none-match']).toBeUndefined();
    expect(await check(verifier, second)).toBe('SIGNATURE_INVALID');
    expect(keyServer.lastHeaders!['if-none-match']).toMatch(/^"[0-9a-f]+"$/);
    expect(keyServer.notModified).toBe(1);
    expect(await check(verifier, first)).toBe('ok');
    // A changed key has a new ETag: a 200, and the new key is trusted.
    keyServer.pem = second.publicKeyPem;
    clock += 2_000;
    expect(await check(verifier, second)).toBe('ok');
    expect(keyServer.notModified).toBe(1);
  });

  it('falls back to If-Modified-Since when the server sends Last-Modified only', async () => {
    keyServer.validators = 'last-modified';
    const verifier = fetchingVerifier();
    await verifier.ready!();
    expect(await check(verifier, second)).toBe('SIGNATURE_INVALID');
    expect(keyServer.lastHeaders!['if-modified-since']).toMatch(/GMT$/);
    expect(keyServer.lastHeaders!['if-none-match']).toBeUndefined();
    expect(keyServer.notModified).toBe(1);
    keyServer.pem = second.publicKeyPem;
    clock += 2_000;
    expect(await check(verifier, second)).toBe('ok');
  });

  it('sends plain GETs to a server that gives no validators', async () => {
    const verifier = fetchingVerifier();
    await verifier.ready!();
    expect(await check(verifier, second)).toBe('SIGNATURE_INVALID');
    expect(keyServer.downloads).toBe(2);
    expect(keyServer.lastHeaders!['if-none-match']).toBeUndefined();
    expect(keyServer.lastHeaders!['if-modified-since']).toBeUndefined();
    expect(await check(verifier, first)).toBe('ok');
  });
});

describe('a failing key server never costs the key that works', () => {
  const failures = [
    { mode: 'down', reason: 'status' },
    { mode: 'slow', reason: 'timeout' },
    { mode: 'garbage', reason: 'invalid-key' },
    { mode: 'oversized', reason: 'too-large' },
    { mode: 'redirect', reason: 'redirect' },
  ] as const;

  it.each(failures)('$mode → warns ($reason) and keeps verifying with the last good key', async (f) => {
    const verifier = fetchingVerifier({ fetchTimeoutMs: 200, maxKeyBytes: 4096 });
    await verifier.ready!();
    keyServer.mode = f.mode;
    keyServer.slowMs = 2000;
    clock += 60_000;
    // A request with an unknown key triggers the refetch, which fails...
    expect(await check(verifier, second)).toBe('SIGNATURE_INVALID');
    expect(keyServer.downloads).toBe(2);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]!.message).toMatch(/could not fetch the CEK public key/);
    expect(logger.warnings[0]!.fields).toMatchObject({ reason: f.reason, trusted: 1, url: keyServer.url });
    // ...and the key that worked keeps working.
    expect(await check(verifier, first)).toBe('ok');
  });

  it('refuses a key that is not RSA (an EC key) with a warning', async () => {
    const verifier = fetchingVerifier();
    await verifier.ready!();
    keyServer.pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    clock += 60_000;
    expect(await check(verifier, second)).toBe('SIGNATURE_INVALID');
    expect(logger.warnings[0]!.fields).toMatchObject({ reason: 'invalid-key' });
    expect(logger.warnings[0]!.fields!.error).toMatch(/RSA public key/);
    expect(await check(verifier, first)).toBe('ok');
  });

  it('recovers when the key server comes back: without any key it retries every 5 s at most', async () => {
    keyServer.mode = 'down';
    const verifier = fetchingVerifier({ minRefetchIntervalMs: 60_000, maxRefetchWaitMs: 0 });
    await verifier.ready!();
    // The failed start-up download does not hold back the first request's own attempt.
    expect(await check(verifier, first)).toBe('KEY_UNAVAILABLE');
    expect(keyServer.downloads).toBe(2);
    keyServer.mode = 'ok';
    clock += 4_999;
    expect(await check(verifier, first)).toBe('KEY_UNAVAILABLE');
    expect(keyServer.downloads).toBe(2);
    clock += 1;
    expect(await check(verifier, first)).toBe('ok');
    expect(keyServer.downloads).toBe(3);
  });

  it('a flood while the key server is down backs off (2, 4, 8 ... s) instead of a warning every 2 s', async () => {
    const verifier = fetchingVerifier({ maxRefetchWaitMs: 0 });
    await verifier.ready!();
    keyServer.mode = 'down';
    const forged = generateTestKeyPair();
    const downloadsAt = async (ms: number) => {
      clock += ms;
      await Promise.all(Array.from({ length: 10 }, () => check(verifier, forged)));
      return keyServer.downloads;
    };
    expect(await downloadsAt(0)).toBe(2); // fails: next try after 2 s
    expect(await downloadsAt(2_000)).toBe(3); // fails: next after 4 s
    expect(await downloadsAt(2_000)).toBe(3);
    expect(await downloadsAt(2_000)).toBe(4); // fails: next after 8 s
    expect(await downloadsAt(7_000)).toBe(4);
    expect(await downloadsAt(1_000)).toBe(5);
    expect(logger.warnings).toHaveLength(4);
    // Genuine requests keep passing with the key already trusted.
    expect(await check(verifier, first)).toBe('ok');
  });
});

describe('several trusted keys at once', () => {
  it('accepts any pinned key plus the fetched one and nothing else', async () => {
    const verifier = fetchingVerifier({ keys: [second.publicKeyPem, third.publicKeyPem] });
    await verifier.ready!();
    for (const keys of [first, second, third]) expect(await check(verifier, keys)).toBe('ok');
    expect(await check(verifier, generateTestKeyPair())).toBe('SIGNATURE_INVALID');
  });

  it('works fully offline with pinned keys only (keyUrl: false)', async () => {
    const verifier = publicKeyVerifier({
      keys: [first.publicKeyPem],
      bundledKey: false,
      keyUrl: false,
      logger,
    });
    expect(await check(verifier, first)).toBe('ok');
    expect(await check(verifier, second)).toBe('SIGNATURE_INVALID');
    expect(keyServer.downloads).toBe(0);
  });
});

describe('key URL safety', () => {
  it('refuses a key URL outside the allowed hosts', () => {
    expect(() =>
      publicKeyVerifier({ keyUrl: 'https://evil.example/key.pem', allowedHosts: ['clova.ai'], logger }),
    ).toThrow(/allowedHosts/);
  });

  it('refuses plain http anywhere but loopback', () => {
    expect(() => publicKeyVerifier({ keyUrl: 'http://clova.ai/key.pem', logger })).toThrow(/https/);
  });

  it('refuses credentials in the key URL', () => {
    expect(() => publicKeyVerifier({ keyUrl: 'https://user:pw@clova.ai/key.pem', logger })).toThrow(
      /credentials/,
    );
  });

  it('refuses a configuration with no key at all', () => {
    expect(() => publicKeyVerifier({ bundledKey: false, keyUrl: false, logger })).toThrow(/no key/);
  });

  it('refuses a pinned key that is not an RSA public key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    expect(() => publicKeyVerifier({ keys: [ec.toString()], keyUrl: false, logger })).toThrow(/RSA/);
  });

  it('names the option and the fix for a key that is not PEM at all', () => {
    const good = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    for (const garbage of ['not a key', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', '']) {
      expect(() => publicKeyVerifier({ keys: [good, garbage], keyUrl: false, logger })).toThrow(
        /^verify\.keys\[1\] is not a PEM public key \(.*\)\. Pass the text of a "-----BEGIN PUBLIC KEY-----" file/,
      );
    }
    expect(() => publicKeyVerifier({ keys: [null as unknown as string], keyUrl: false, logger })).toThrow(
      /verify\.keys\[0\] is not a PEM public key \(got null\)/,
    );
  });

  it('names the option for a garbage key through createEndpoint', () => {
    expect(() =>
      createEndpoint({
        allowAnyExtensionId: true,
        verify: { keys: ['garbage'], keyUrl: false },
        dispatcher: createExtension({ allowAnyExtensionId: true }),
        logger,
      }),
    ).toThrow(/^verify\.keys\[0\] is not a PEM public key/);
  });
});
