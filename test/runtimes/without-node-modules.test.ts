import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as CekitModule from 'cekit';
import { buildLaunchRequest, generateTestKeyPair } from 'cekit/testing';
import { startKeyServer, type KeyServer } from '../core/key-server.js';
import { signedVector } from '../helpers/fixtures.js';

// cekit on a runtime that offers no Node modules (Cloudflare Workers without nodejs_compat, Node
// 20.0-20.15): here `process.getBuiltinModule` is taken away before cekit is loaded, so verification
// goes through WebCrypto and key downloads through the Fetch API. The workerd smoke test runs the
// same code for real; these tests reach what it cannot (downloads, rotation, bad keys).

type Cekit = typeof CekitModule;
const holder = process as { getBuiltinModule?: unknown };
const original = holder.getBuiltinModule;
let cekit: Cekit;

beforeAll(async () => {
  holder.getBuiltinModule = undefined;
  vi.resetModules();
  cekit = await import('cekit');
});
afterAll(() => {
  holder.getBuiltinModule = original;
});

const keys = generateTestKeyPair();
const EXTENSION_ID = 'com.example.webcrypto';
const answer = {
  version: '1.0',
  sessionAttributes: {},
  response: { outputSpeech: {}, card: {}, directives: [], shouldEndSession: true },
};

function endpoint(verify: Parameters<Cekit['createEndpoint']>[0]['verify'], extensionId = EXTENSION_ID) {
  return cekit.createEndpoint({
    dispatcher: { kinds: ['custom'], dispatch: () => answer },
    verify,
    extensionId,
    logger: cekit.silentLogger,
  });
}

function post(body: string, signaturecek: string) {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', signaturecek },
    body: new TextEncoder().encode(body),
  };
}

const launch = JSON.stringify(buildLaunchRequest({ extensionId: EXTENSION_ID }));

describe('verification through WebCrypto', () => {
  it('accepts a signed request and refuses a forged one, asynchronously', async () => {
    const verifier = cekit.publicKeyVerifier({ keys: [keys.publicKeyPem], keyUrl: false });
    const bytes = new TextEncoder().encode(launch);
    const pending = verifier.verify(bytes, { signaturecek: keys.sign(launch) });
    expect(pending).toBeInstanceOf(Promise); // no node:crypto: WebCrypto's answer, one promise later
    await expect(pending).resolves.toBeUndefined();
    const app = endpoint({ keys: [keys.publicKeyPem], keyUrl: false });
    expect((await app.handle(post(launch, keys.sign(launch)))).status).toBe(200);
    const forged = await app.handle(post(launch, generateTestKeyPair().sign(launch)));
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.body)).toMatchObject({ error: { code: 'SIGNATURE_INVALID' } });
  });

  it('verifies a real CEK-signed request with the bundled JP key', async () => {
    const vector = signedVector('signed-launch-request');
    const app = endpoint({ keyUrl: false }, 'com.chens.morning');
    expect((await app.handle(post(vector.rawBody, vector.signatureCEK))).status).toBe(200);
    const tampered = vector.rawBody.replace('LaunchRequest', 'LaunchRequesu');
    expect((await app.handle(post(tampered, vector.signatureCEK))).status).toBe(403);
  });

  it('refuses, when the verifier is built, a key that is not an RSA public key in PEM', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    expect(() => cekit.publicKeyVerifier({ keys: [String(ec)], keyUrl: false })).toThrow(
      /must be an RSA public key/,
    );
    expect(() => cekit.publicKeyVerifier({ keys: ['not a key'], keyUrl: false })).toThrow(
      /verify\.keys\[0\] is not a PEM public key/,
    );
    const truncated = keys.publicKeyPem.replace(/[A-Za-z0-9+/]{8}\n/, '\n');
    expect(() => cekit.publicKeyVerifier({ keys: [truncated], keyUrl: false })).toThrow(
      /not a PEM public key/,
    );
  });

  it('names node:crypto when asked for the certificate-chain scheme, which has no WebCrypto form', () => {
    expect(() => cekit.certChainVerifier()).toThrow(/needs node:crypto.*nodejs_compat/);
  });
});

describe('key downloads through the Fetch API', () => {
  let server: KeyServer;
  beforeAll(async () => {
    server = await startKeyServer(keys.publicKeyPem);
  });
  afterAll(() => server.close());

  const fetching = () =>
    cekit.publicKeyVerifier({
      region: 'kr',
      keyUrl: server.url,
      fetchTimeoutMs: 1000,
      minRefetchIntervalMs: 0,
      logger: cekit.silentLogger,
    });

  it('downloads the key, then picks up a rotation with a conditional GET', async () => {
    server.mode = 'ok';
    server.validators = 'etag';
    const verifier = fetching();
    await verifier.ready!();
    const before = server.downloads;
    const body = new TextEncoder().encode(launch);
    await expect(verifier.verify(body, { signaturecek: keys.sign(launch) })).resolves.toBeUndefined();
    const rotated = generateTestKeyPair();
    server.pem = rotated.publicKeyPem;
    await expect(verifier.verify(body, { signaturecek: rotated.sign(launch) })).resolves.toBeUndefined();
    expect(server.downloads).toBeGreaterThan(before);
    expect(server.lastHeaders?.['if-none-match']).toMatch(/^"/);
    expect(server.lastHeaders?.['sec-fetch-mode']).toBe('cors'); // sent by fetch(), not by node:http
    server.pem = keys.publicKeyPem;
  });

  it.each([
    ['a redirect', 'redirect'],
    ['an oversized answer', 'oversized'],
    ['a server error', 'down'],
  ] as const)('refuses %s and keeps failing closed', async (_, mode) => {
    server.mode = mode;
    const verifier = fetching();
    await verifier.ready!();
    const body = new TextEncoder().encode(launch);
    await expect(verifier.verify(body, { signaturecek: keys.sign(launch) })).rejects.toMatchObject({
      code: 'KEY_UNAVAILABLE',
    });
    server.mode = 'ok';
  });
});
