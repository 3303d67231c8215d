import { generateKeyPairSync, sign as rsaSign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  anyScheme,
  certChainVerifier,
  createEndpoint,
  publicKeyVerifier,
  silentLogger,
  type CertChainVerifierOptions,
} from 'cekit';
import {
  createTestCertificateAuthority,
  generateTestKeyPair,
  signBodySha1,
  startTestCertChain,
  type CertificateRoute,
  type IssueOptions,
  type TestCertChain,
  type TestCertificate,
} from 'cekit/testing';
import { serve } from 'cekit/node';
import { toFetchHandler } from 'cekit/fetch';
import { EXTENSION_ID, endpointWith, launchBody } from './cert-chain-helpers.js';

const SAN = 'cek-requests.clova.ai';
const DAY = 24 * 60 * 60 * 1000;

// Keys are generated once for the whole file: RSA keygen dominates the run time otherwise.
let chain: TestCertChain;
let otherKey: ReturnType<typeof generateKeyPairSync>['privateKey'];
let foreignRoot: TestCertificate;
let counter = 0;

beforeAll(async () => {
  chain = await startTestCertChain();
  otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  foreignRoot = createTestCertificateAuthority({ commonName: 'Untrusted Root', key: otherKey });
});
afterAll(() => chain.close());

/** Publishes `route` at a fresh path, so cases never share a cache entry. */
function publish(route: string | CertificateRoute): string {
  const path = `/cek/case-${++counter}.pem`;
  chain.server.serve(path, route);
  return path;
}

function verifier(extra: CertChainVerifierOptions = {}) {
  return certChainVerifier({ ...chain.verifyOptions, logger: silentLogger, ...extra });
}

/** A leaf issued by the test intermediate, reusing the leaf key (same signer as `chain.sign`). */
function leaf(options: Partial<IssueOptions> = {}): TestCertificate {
  return chain.intermediate.issue({
    commonName: SAN,
    dnsNames: [SAN],
    key: chain.leaf.privateKey,
    ...options,
  });
}

async function expectRefused(
  path: string,
  code: string,
  options: { extra?: CertChainVerifierOptions; sign?: (body: string) => string; downloads?: number } = {},
) {
  const site = endpointWith(verifier(options.extra));
  const body = launchBody();
  const res = await site.post(body, {
    SignatureCEK: (options.sign ?? chain.sign)(body),
    SignatureCEKCertChainUrl: chain.server.url(path),
  });
  expect(res.code).toBe(code);
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(site.calls).toBe(0);
  if (options.downloads !== undefined) expect(chain.server.downloads(path)).toBe(options.downloads);
}

describe('certChainVerifier: valid requests', () => {
  it('accepts a correctly signed request (cold cache), then serves it from the cache (warm)', async () => {
    const path = publish(chain.chainPem);
    const site = endpointWith(verifier());
    const url = chain.server.url(path);
    for (const note of ['cold', 'warm', 'warm again']) {
      const body = launchBody(note);
      const res = await site.post(body, { SignatureCEK: chain.sign(body), SignatureCEKCertChainUrl: url });
      expect(res).toMatchObject({ status: 200, code: undefined });
    }
    expect(site.calls).toBe(3);
    expect(chain.server.downloads(path)).toBe(1);
  });

  it('accepts the helper-built headers and any header-name case', async () => {
    const site = endpointWith(verifier());
    const body = launchBody('headers');
    expect((await site.post(body, chain.headers(body))).status).toBe(200);
    const lower = { signaturecek: chain.sign(body), signaturecekcertchainurl: chain.url };
    expect((await site.post(body, lower)).status).toBe(200);
  });

  it('accepts a chain that includes the trusted root itself', async () => {
    const path = publish(chain.chainPem + chain.root.certificatePem);
    const site = endpointWith(verifier());
    const body = launchBody();
    const res = await site.post(body, {
      SignatureCEK: chain.sign(body),
      SignatureCEKCertChainUrl: chain.server.url(path),
    });
    expect(res.status).toBe(200);
  });

  it('shares one download between concurrent requests for the same URL (single-flight)', async () => {
    const path = publish({ body: chain.chainPem, delayMs: 150 });
    const site = endpointWith(verifier());
    const url = chain.server.url(path);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) => {
        const body = launchBody(`concurrent-${index}`);
        return site.post(body, { SignatureCEK: chain.sign(body), SignatureCEKCertChainUrl: url });
      }),
    );
    expect(results.map((res) => res.status)).toEqual(Array(12).fill(200));
    expect(chain.server.downloads(path)).toBe(1);
    expect(site.calls).toBe(12);
  });

  it('downloads a chain again once the cache lifetime has passed', async () => {
    let now = Date.now();
    const path = publish(chain.chainPem);
    const site = endpointWith(verifier({ now: () => now, cacheTtlMs: 60_000 }));
    const body = launchBody();
    const headers = { SignatureCEK: chain.sign(body), SignatureCEKCertChainUrl: chain.server.url(path) };
    expect((await site.post(body, headers)).status).toBe(200);
    now += 30_000;
    expect((await site.post(body, headers)).status).toBe(200);
    expect(chain.server.downloads(path)).toBe(1);
    now += 31_000;
    expect((await site.post(body, headers)).status).toBe(200);
    expect(chain.server.downloads(path)).toBe(2);
  });

  it('keeps a bounded number of chains, dropping the least recently used', async () => {
    const site = endpointWith(verifier({ maxCachedChains: 2 }));
    const paths = [publish(chain.chainPem), publish(chain.chainPem), publish(chain.chainPem)];
    const send = async (path: string) => {
      const body = launchBody(path);
      const headers = { SignatureCEK: chain.sign(body), SignatureCEKCertChainUrl: chain.server.url(path) };
      expect((await site.post(body, headers)).status).toBe(200);
    };
    const [a = '', b = '', c = ''] = paths;
    await send(a);
    await send(b);
    await send(a); // a is now the most recently used
    await send(c); // evicts b
    await send(a);
    await send(b);
    expect([a, b, c].map((path) => chain.server.downloads(path))).toEqual([1, 2, 1]);
  });
});

describe('certChainVerifier: cached chains are re-checked against the clock on every use', () => {
  it('refuses a cached chain once its leaf has expired, after trying a fresh download', async () => {
    let now = Date.now();
    const shortLived = leaf({ notBefore: new Date(now - 60_000), notAfter: new Date(now + 60_000) });
    const path = publish(shortLived.certificatePem + chain.intermediate.certificatePem);
    const site = endpointWith(verifier({ now: () => now }));
    const body = launchBody();
    const headers = { SignatureCEK: chain.sign(body), SignatureCEKCertChainUrl: chain.server.url(path) };
    expect((await site.post(body, headers)).status).toBe(200);
    now += 61_000;
    const res = await site.post(body, headers);
    expect(res).toMatchObject({ status: 403, code: 'CERT_EXPIRED' });
    expect(site.calls).toBe(1);
    expect(chain.server.downloads(path)).toBe(2);
  });

  it('picks up a renewed chain published at the same URL when the cached one expires', async () => {
    let now = Date.now();
    const shortLived = leaf({ notBefore: new Date(now - 60_000), notAfter: new Date(now + 60_000) });
    const path = publish(shortLived.certificatePem + chain.intermediate.certificatePem);
    const site = endpointWith(verifier({ now: () => now }));
    const body = launchBody();
    const headers = { SignatureCEK: chain.sign(body), SignatureCEKCertChainUrl: chain.server.url(path) };
    expect((await site.post(body, headers)).status).toBe(200);
    chain.server.serve(path, chain.chainPem);
    now += 61_000;
    expect((await site.post(body, headers)).status).toBe(200);
    expect(site.calls).toBe(2);
  });

  it('refuses when the intermediate expires while cached', async () => {
    let now = Date.now();
    const intermediate = chain.root.issue({
      commonName: 'Short Intermediate',
      isCA: true,
      key: chain.intermediate.privateKey,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 60_000),
    });
    const child = intermediate.issue({ commonName: SAN, dnsNames: [SAN], key: chain.leaf.privateKey });
    const path = publish(child.certificatePem + intermediate.certificatePem);
    const site = endpointWith(verifier({ now: () => now }));
    const body = launchBody();
    const headers = { SignatureCEK: chain.sign(body), SignatureCEKCertChainUrl: chain.server.url(path) };
    expect((await site.post(body, headers)).status).toBe(200);
    now += 10 * DAY;
    expect(await site.post(body, headers)).toMatchObject({ status: 403, code: 'CERT_EXPIRED' });
  });
});

describe('certChainVerifier: hostile downloads', () => {
  it('refuses a redirect (not followed)', async () => {
    const target = publish(chain.chainPem);
    const path = publish({ status: 302, headers: { location: chain.server.url(target) } });
    await expectRefused(path, 'CERT_CHAIN_UNAVAILABLE');
    expect(chain.server.downloads(target)).toBe(0);
  });

  it('refuses a slow server (download deadline)', async () => {
    const path = publish({ body: chain.chainPem, delayMs: 2000 });
    await expectRefused(path, 'CERT_CHAIN_UNAVAILABLE', { extra: { fetchTimeoutMs: 200 } });
  });

  it('refuses an oversized chain', async () => {
    const path = publish(chain.chainPem.repeat(40));
    await expectRefused(path, 'CERT_CHAIN_UNAVAILABLE', { extra: { maxChainBytes: 16 * 1024 } });
  });

  it('refuses a 404 and remembers the failure briefly (one download for a flood)', async () => {
    const path = '/cek/missing.pem';
    const site = endpointWith(verifier());
    const body = launchBody();
    const headers = { SignatureCEK: chain.sign(body), SignatureCEKCertChainUrl: chain.server.url(path) };
    for (let round = 0; round < 3; round++) {
      expect(await site.post(body, headers)).toMatchObject({ status: 403, code: 'CERT_CHAIN_UNAVAILABLE' });
    }
    expect(chain.server.downloads(path)).toBe(1);
    expect(site.calls).toBe(0);
  });

  it('caps the number of downloads in progress', async () => {
    const slowA = publish({ body: chain.chainPem, delayMs: 300 });
    const slowB = publish({ body: chain.chainPem, delayMs: 300 });
    const site = endpointWith(verifier({ maxConcurrentDownloads: 1 }));
    const body = launchBody();
    const [first, second] = await Promise.all(
      [slowA, slowB].map((path) =>
        site.post(body, { SignatureCEK: chain.sign(body), SignatureCEKCertChainUrl: chain.server.url(path) }),
      ),
    );
    expect(first?.status).toBe(200);
    expect(second).toMatchObject({ status: 403, code: 'CERT_CHAIN_UNAVAILABLE' });
    expect(chain.server.downloads(slowB)).toBe(0);
  });

  it('refuses garbage instead of PEM', async () => {
    await expectRefused(publish('this is not a certificate\n'), 'CERT_CHAIN_MALFORMED');
  });

  it('refuses an empty document', async () => {
    await expectRefused(publish(''), 'CERT_CHAIN_MALFORMED');
  });

  it('refuses a PEM block whose base64 is not a certificate', async () => {
    const fake = `-----BEGIN CERTIFICATE-----\n${Buffer.from('not DER at all').toString('base64')}\n-----END CERTIFICATE-----\n`;
    await expectRefused(publish(fake), 'CERT_CHAIN_MALFORMED');
  });

  it('refuses a certificate with bytes after its DER', async () => {
    const der = Buffer.concat([chain.leaf.certificate.raw, Buffer.from([0x00, 0x00])]);
    const lines =
      der
        .toString('base64')
        .match(/.{1,64}/g)
        ?.join('\n') ?? '';
    const padded = `-----BEGIN CERTIFICATE-----\n${lines}\n-----END CERTIFICATE-----\n`;
    await expectRefused(publish(padded + chain.intermediate.certificatePem), 'CERT_CHAIN_MALFORMED');
  });

  it('refuses a chain with another PEM block mixed in', async () => {
    await expectRefused(publish(chain.chainPem + chain.leaf.privateKeyPem), 'CERT_CHAIN_MALFORMED');
  });

  it('refuses a chain longer than the limit', async () => {
    await expectRefused(publish(chain.chainPem.repeat(3)), 'CERT_CHAIN_MALFORMED', {
      extra: { maxChainLength: 5 },
    });
  });
});

describe('certChainVerifier: hostile certificates', () => {
  it('refuses a leaf whose SAN names another host', async () => {
    const other = leaf({ dnsNames: ['api.clova.ai'] });
    await expectRefused(
      publish(other.certificatePem + chain.intermediate.certificatePem),
      'CERT_SAN_MISMATCH',
    );
  });

  it('refuses a leaf that names the host only in its CN (no SAN)', async () => {
    const cnOnly = chain.intermediate.issue({ commonName: SAN, key: chain.leaf.privateKey });
    await expectRefused(
      publish(cnOnly.certificatePem + chain.intermediate.certificatePem),
      'CERT_SAN_MISMATCH',
    );
  });

  it('refuses a wildcard SAN that merely covers the host', async () => {
    const wildcard = leaf({ dnsNames: ['*.clova.ai'] });
    await expectRefused(
      publish(wildcard.certificatePem + chain.intermediate.certificatePem),
      'CERT_SAN_MISMATCH',
    );
  });

  it('refuses a look-alike SAN', async () => {
    const lookAlike = leaf({ dnsNames: [`${SAN}.evil.example`, `x${SAN}`] });
    await expectRefused(
      publish(lookAlike.certificatePem + chain.intermediate.certificatePem),
      'CERT_SAN_MISMATCH',
    );
  });

  it('refuses an expired leaf', async () => {
    const expired = leaf({
      notBefore: new Date(Date.now() - 40 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    await expectRefused(publish(expired.certificatePem + chain.intermediate.certificatePem), 'CERT_EXPIRED');
  });

  it('refuses a leaf that is not valid yet', async () => {
    const future = leaf({ notBefore: new Date(Date.now() + DAY), notAfter: new Date(Date.now() + 40 * DAY) });
    await expectRefused(
      publish(future.certificatePem + chain.intermediate.certificatePem),
      'CERT_NOT_YET_VALID',
    );
  });

  it('refuses a chain whose intermediate has expired', async () => {
    const oldIntermediate = chain.root.issue({
      commonName: 'Expired Intermediate',
      isCA: true,
      key: chain.intermediate.privateKey,
      notBefore: new Date(Date.now() - 400 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    const child = oldIntermediate.issue({
      commonName: SAN,
      dnsNames: [SAN],
      key: chain.leaf.privateKey,
      notBefore: new Date(Date.now() - 2 * DAY),
    });
    await expectRefused(publish(child.certificatePem + oldIntermediate.certificatePem), 'CERT_EXPIRED');
  });

  it('refuses a self-signed leaf, alone or with its self-made CA', async () => {
    // An authority named like the leaf, with the leaf's own key: what it issues has issuer ==
    // subject and is signed by its own key, i.e. a self-signed leaf with the right SAN.
    const selfMade = createTestCertificateAuthority({ commonName: SAN, key: chain.leaf.privateKey });
    const selfSigned = selfMade.issue({ commonName: SAN, dnsNames: [SAN], key: chain.leaf.privateKey });
    expect(selfSigned.certificate.verify(selfSigned.certificate.publicKey)).toBe(true);
    await expectRefused(publish(selfSigned.certificatePem), 'CERT_UNTRUSTED');
    await expectRefused(publish(selfSigned.certificatePem + selfMade.certificatePem), 'CERT_UNTRUSTED');
  });

  it('refuses a chain that ends at an untrusted root', async () => {
    const intermediate = foreignRoot.issue({ commonName: 'Foreign Intermediate', isCA: true, key: otherKey });
    const child = intermediate.issue({ commonName: SAN, dnsNames: [SAN], key: chain.leaf.privateKey });
    await expectRefused(
      publish(child.certificatePem + intermediate.certificatePem + foreignRoot.certificatePem),
      'CERT_UNTRUSTED',
    );
  });

  it('refuses a chain in the wrong order', async () => {
    const shuffled =
      chain.leaf.certificatePem + chain.root.certificatePem + chain.intermediate.certificatePem;
    await expectRefused(publish(shuffled), 'CERT_UNTRUSTED');
    // Intermediate first: the first certificate is the signing one, and it does not name the host.
    const reversed = chain.intermediate.certificatePem + chain.leaf.certificatePem;
    await expectRefused(publish(reversed), 'CERT_SAN_MISMATCH');
  });

  it('refuses a leaf served without its intermediate', async () => {
    await expectRefused(publish(chain.leaf.certificatePem), 'CERT_UNTRUSTED');
  });

  it('refuses a leaf issued by a non-CA certificate', async () => {
    const notCa = chain.intermediate.issue({ commonName: 'Not a CA', key: chain.intermediate.privateKey });
    const child = notCa.issue({ commonName: SAN, dnsNames: [SAN], key: chain.leaf.privateKey });
    await expectRefused(
      publish(child.certificatePem + notCa.certificatePem + chain.intermediate.certificatePem),
      'CERT_UNTRUSTED',
    );
  });

  it('refuses an issuer with keyCertSign but basicConstraints cA=FALSE', async () => {
    // OpenSSL's issuer check (checkIssued) looks at keyUsage only; the basicConstraints check is ours.
    const signsButNotCa = chain.intermediate.issue({
      commonName: 'Signs But Not A CA',
      key: chain.intermediate.privateKey,
      keyUsage: ['keyCertSign', 'digitalSignature'],
    });
    const child = signsButNotCa.issue({ commonName: SAN, dnsNames: [SAN], key: chain.leaf.privateKey });
    expect(child.certificate.checkIssued(signsButNotCa.certificate)).toBe(true);
    await expectRefused(
      publish(child.certificatePem + signsButNotCa.certificatePem + chain.intermediate.certificatePem),
      'CERT_UNTRUSTED',
    );
  });

  it('refuses a signing certificate that is itself a CA', async () => {
    const caLeaf = leaf({ isCA: true });
    await expectRefused(publish(caLeaf.certificatePem + chain.intermediate.certificatePem), 'CERT_UNTRUSTED');
  });

  it('refuses by default a test chain that only the test root would trust (Node root store)', async () => {
    const path = publish(chain.chainPem);
    const site = endpointWith(
      certChainVerifier({
        allowedUrl: chain.verifyOptions.allowedUrl,
        downloadCa: chain.verifyOptions.downloadCa,
        logger: silentLogger,
      }),
    );
    const body = launchBody();
    const res = await site.post(body, {
      SignatureCEK: chain.sign(body),
      SignatureCEKCertChainUrl: chain.server.url(path),
    });
    expect(res).toMatchObject({ status: 403, code: 'CERT_UNTRUSTED' });
  });
});

describe('certChainVerifier: hostile signatures and headers', () => {
  it('refuses a signature made with another key', async () => {
    await expectRefused(publish(chain.chainPem), 'SIGNATURE_INVALID', {
      sign: (body) => signBodySha1(otherKey, body),
    });
  });

  it('refuses a SHA-256 signature where SHA-1 is expected', async () => {
    await expectRefused(publish(chain.chainPem), 'SIGNATURE_INVALID', {
      sign: (body) => rsaSign('sha256', Buffer.from(body), chain.leaf.privateKey).toString('base64'),
    });
  });

  it('refuses a tampered body (warm cache too)', async () => {
    const path = publish(chain.chainPem);
    const site = endpointWith(verifier());
    const body = launchBody('original');
    const headers = { SignatureCEK: chain.sign(body), SignatureCEKCertChainUrl: chain.server.url(path) };
    expect((await site.post(body, headers)).status).toBe(200);
    const tampered = body.replace('original', 'tampered');
    expect(await site.post(tampered, headers)).toMatchObject({ status: 403, code: 'SIGNATURE_INVALID' });
    expect(site.calls).toBe(1);
  });

  it('refuses a request without SignatureCEK, before any download', async () => {
    const path = publish(chain.chainPem);
    const site = endpointWith(verifier());
    const res = await site.post(launchBody(), { SignatureCEKCertChainUrl: chain.server.url(path) });
    expect(res).toMatchObject({ status: 401, code: 'SIGNATURE_MISSING' });
    expect(chain.server.downloads(path)).toBe(0);
  });

  it('refuses a request without SignatureCEKCertChainUrl', async () => {
    const site = endpointWith(verifier());
    const body = launchBody();
    expect(await site.post(body, { SignatureCEK: chain.sign(body) })).toMatchObject({
      status: 401,
      code: 'CERT_CHAIN_URL_MISSING',
    });
    expect(
      await site.post(body, { SignatureCEK: chain.sign(body), SignatureCEKCertChainUrl: ' ' }),
    ).toMatchObject({ status: 401, code: 'CERT_CHAIN_URL_MISSING' });
    expect(site.calls).toBe(0);
  });

  it('refuses a repeated SignatureCEKCertChainUrl header', async () => {
    const site = endpointWith(verifier());
    const body = launchBody();
    const signature = chain.sign(body);
    expect(
      await site.post(body, { SignatureCEK: signature, SignatureCEKCertChainUrl: [chain.url, chain.url] }),
    ).toMatchObject({ status: 400, code: 'CERT_CHAIN_URL_DUPLICATED' });
    expect(
      await site.post(body, {
        SignatureCEK: signature,
        SignatureCEKCertChainUrl: `${chain.url}, ${chain.url}`,
      }),
    ).toMatchObject({ status: 400, code: 'CERT_CHAIN_URL_DUPLICATED' });
    expect(site.calls).toBe(0);
  });

  it('refuses a signature that is not strict base64', async () => {
    const site = endpointWith(verifier());
    const body = launchBody();
    const signature = chain.sign(body);
    for (const bad of [
      `${signature}!`,
      signature.slice(1),
      `${signature.slice(0, 40)} ${signature.slice(40)}`,
    ]) {
      expect(await site.post(body, { SignatureCEK: bad, SignatureCEKCertChainUrl: chain.url })).toMatchObject(
        {
          status: 400,
          code: 'SIGNATURE_MALFORMED',
        },
      );
    }
    expect(site.calls).toBe(0);
  });
});

describe('anyScheme: one endpoint, either scheme', () => {
  const pair = generateTestKeyPair();
  const both = () =>
    anyScheme({
      publicKey: publicKeyVerifier({ ...pair.verifyOptions, logger: silentLogger }),
      certChain: verifier(),
    });

  it('accepts a public-key request and a cert-chain request', async () => {
    const site = endpointWith(both());
    const body = launchBody('any');
    expect((await site.post(body, { SignatureCEK: pair.sign(body) })).status).toBe(200);
    expect((await site.post(body, chain.headers(body))).status).toBe(200);
    expect(site.calls).toBe(2);
  });

  it('judges a request carrying SignatureCEKCertChainUrl only by the cert-chain scheme', async () => {
    const site = endpointWith(both());
    const body = launchBody('no fallback');
    // A valid public-key signature does not rescue a request that names a chain URL, even an empty one.
    const publicKeySigned = { SignatureCEK: pair.sign(body) };
    expect(await site.post(body, { ...publicKeySigned, SignatureCEKCertChainUrl: '' })).toMatchObject({
      code: 'CERT_CHAIN_URL_MISSING',
    });
    expect(await site.post(body, { ...publicKeySigned, SignatureCEKCertChainUrl: chain.url })).toMatchObject({
      code: 'SIGNATURE_INVALID',
    });
    expect(
      await site.post(body, {
        ...publicKeySigned,
        SignatureCEKCertChainUrl: 'https://evil.example/cek/x.pem',
      }),
    ).toMatchObject({ code: 'CERT_CHAIN_URL_INVALID' });
    // And a cert-chain (SHA-1) signature without the URL header is judged by the public-key scheme.
    expect(await site.post(body, { SignatureCEK: chain.sign(body) })).toMatchObject({
      code: 'SIGNATURE_INVALID',
    });
    expect(site.calls).toBe(0);
  });
});

describe('certChainVerifier over real HTTP (cekit/node)', () => {
  it('verifies through serve(): headers and raw bytes arrive intact', async () => {
    let handled = 0;
    const endpoint = createEndpoint({
      dispatcher: {
        kinds: ['custom'],
        dispatch: () => {
          handled++;
          return {
            version: '1.0',
            sessionAttributes: {},
            response: { outputSpeech: {}, card: {}, directives: [], shouldEndSession: true },
          };
        },
      },
      extensionId: EXTENSION_ID,
      verify: anyScheme({
        publicKey: publicKeyVerifier({ keyUrl: false, logger: silentLogger }),
        certChain: verifier(),
      }),
      logger: silentLogger,
      requestLog: false,
    });
    const running = await serve(endpoint, { port: 0, host: '127.0.0.1', handleSignals: false });
    try {
      const body = launchBody('over http');
      const post = (headers: Record<string, string>) =>
        fetch(running.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
        });
      expect((await post(chain.headers(body))).status).toBe(200);
      const forged = await post({
        SignatureCEK: signBodySha1(otherKey, body),
        SignatureCEKCertChainUrl: chain.url,
      });
      expect(forged.status).toBe(403);
      expect(await forged.json()).toMatchObject({ error: { code: 'SIGNATURE_INVALID' } });
      expect(handled).toBe(1);
    } finally {
      await running.close();
    }
  });
});

describe('certChainVerifier behind cekit/fetch (WHATWG Headers)', () => {
  it('reads both headers through Headers.get and refuses a joined duplicate', async () => {
    const handler = toFetchHandler(
      createEndpoint({
        dispatcher: {
          kinds: ['custom'],
          dispatch: () => ({
            version: '1.0',
            sessionAttributes: {},
            response: { outputSpeech: {}, card: {}, directives: [], shouldEndSession: true },
          }),
        },
        extensionId: EXTENSION_ID,
        verify: verifier(),
        logger: silentLogger,
        requestLog: false,
      }),
    );
    const body = launchBody('fetch');
    const request = (headers: Headers) =>
      handler(new Request('http://127.0.0.1/cek', { method: 'POST', headers, body }));
    const good = new Headers({ 'content-type': 'application/json', ...chain.headers(body) });
    expect((await request(good)).status).toBe(200);
    const twice = new Headers({ 'content-type': 'application/json', SignatureCEK: chain.sign(body) });
    twice.append('SignatureCEKCertChainUrl', chain.url);
    twice.append('SignatureCEKCertChainUrl', chain.url);
    const res = await request(twice);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'CERT_CHAIN_URL_DUPLICATED' } });
  });
});
