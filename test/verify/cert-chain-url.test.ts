import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CEK_CERT_CHAIN_URL, certChainVerifier, silentLogger } from 'cekit';
import { startTestCertChain, type TestCertChain } from 'cekit/testing';
import { checkCertChainUrl } from '../../src/verify/cert-chain-url.js';
import { endpointWith, launchBody } from './cert-chain-helpers.js';

// Every URL here must be refused BEFORE any network access: the production verifier would otherwise
// try to reach the internet, and the loopback server counts every download.
const HOSTILE_PRODUCTION_URLS: readonly [string, string][] = [
  ['plain http', 'http://cek-requests.clova.ai/cek/chain.pem'],
  ['another scheme', 'ftp://cek-requests.clova.ai/cek/chain.pem'],
  ['another host', 'https://clova.ai/cek/chain.pem'],
  ['look-alike suffix', 'https://cek-requests.clova.ai.evil.example/cek/chain.pem'],
  ['look-alike prefix', 'https://evil-cek-requests.clova.ai/cek/chain.pem'],
  ['host in the path', 'https://evil.example/cek-requests.clova.ai/cek/chain.pem'],
  ['trailing-dot host', 'https://cek-requests.clova.ai./cek/chain.pem'],
  ['non-ASCII look-alike host', 'https://cek-requests.clov\u0430.ai/cek/chain.pem'],
  ['userinfo', 'https://user:secret@cek-requests.clova.ai/cek/chain.pem'],
  ['userinfo hiding the real host', 'https://cek-requests.clova.ai@evil.example/cek/chain.pem'],
  ['port 8443', 'https://cek-requests.clova.ai:8443/cek/chain.pem'],
  ['port 80', 'https://cek-requests.clova.ai:80/cek/chain.pem'],
  ['dot-dot escaping the prefix', 'https://cek-requests.clova.ai/cek/../x/chain.pem'],
  ['dot-dot inside the prefix', 'https://cek-requests.clova.ai/cek/a/../chain.pem'],
  ['single-dot segment', 'https://cek-requests.clova.ai/cek/./chain.pem'],
  ['encoded dot-dot', 'https://cek-requests.clova.ai/cek/%2e%2e/x/chain.pem'],
  ['encoded upper-case dot-dot', 'https://cek-requests.clova.ai/cek/%2E%2E/chain.pem'],
  ['encoded slash', 'https://cek-requests.clova.ai/cek%2f..%2fx/chain.pem'],
  // The parser resolves %2e%2e as a dot segment by itself; these survive parsing and only the
  // raw-string screen stops them before a server that decodes them would.
  ['encoded traversal inside one segment', 'https://cek-requests.clova.ai/cek/a%2f%2e%2e%2fb.pem'],
  ['encoded NUL', 'https://cek-requests.clova.ai/cek/chain.pem%00.txt'],
  ['encoded backslash', 'https://cek-requests.clova.ai/cek/a%5c..%5cb.pem'],
  ['backslash', 'https://cek-requests.clova.ai/cek\\..\\x/chain.pem'],
  ['backslash after the host', 'https://cek-requests.clova.ai\\cek/chain.pem'],
  ['outside the prefix', 'https://cek-requests.clova.ai/other/chain.pem'],
  ['prefix without its slash', 'https://cek-requests.clova.ai/cekx/chain.pem'],
  ['prefix in another case', 'https://cek-requests.clova.ai/CEK/chain.pem'],
  ['only the prefix', 'https://cek-requests.clova.ai/cek/'],
  ['query string', 'https://cek-requests.clova.ai/cek/chain.pem?v=1'],
  ['empty query', 'https://cek-requests.clova.ai/cek/chain.pem?'],
  ['fragment', 'https://cek-requests.clova.ai/cek/chain.pem#x'],
  ['relative URL', '/cek/chain.pem'],
  ['no scheme', 'cek-requests.clova.ai/cek/chain.pem'],
  ['embedded tab', 'https://cek-requests.clova.ai/cek/ch\tain.pem'],
  ['embedded space', 'https://cek-requests.clova.ai/cek/a b.pem'],
  ['overlong', `https://cek-requests.clova.ai/cek/${'a'.repeat(3000)}.pem`],
];

describe('SignatureCEKCertChainUrl: the documented URL policy', () => {
  it('defaults to https://cek-requests.clova.ai/cek/ on port 443 (spec §4.1)', () => {
    expect(CEK_CERT_CHAIN_URL).toEqual({ host: 'cek-requests.clova.ai', port: 443, pathPrefix: '/cek/' });
    expect(Object.isFrozen(CEK_CERT_CHAIN_URL)).toBe(true);
  });

  it.each(HOSTILE_PRODUCTION_URLS)('refuses %s before downloading', async (_name, url) => {
    const site = endpointWith(certChainVerifier({ logger: silentLogger, fetchTimeoutMs: 1 }));
    const body = launchBody();
    const res = await site.post(body, { SignatureCEK: 'AAAA', SignatureCEKCertChainUrl: url });
    expect(res).toMatchObject({ status: 403, code: 'CERT_CHAIN_URL_INVALID' });
    expect(site.calls).toBe(0);
  });

  it('lets documented URLs through (host in any case, explicit :443)', () => {
    // The policy check alone: going on to the download would reach for the internet.
    for (const url of [
      'https://cek-requests.clova.ai/cek/chain.pem',
      'https://CEK-Requests.Clova.AI/cek/v1/chain.pem',
      'https://cek-requests.clova.ai:443/cek/chain.pem',
      'HTTPS://cek-requests.clova.ai/cek/chain.pem',
    ]) {
      const checked = checkCertChainUrl(url, CEK_CERT_CHAIN_URL);
      expect(checked.hostname).toBe('cek-requests.clova.ai');
      expect(checked.protocol).toBe('https:');
    }
  });

  it.each(HOSTILE_PRODUCTION_URLS)('the policy check alone refuses %s', (_name, url) => {
    expect(() => checkCertChainUrl(url, CEK_CERT_CHAIN_URL)).toThrow();
  });

  it('refuses unusable policies at start-up', () => {
    const bad = [
      { host: 'Cek-Requests.clova.ai' },
      { host: 'evil.example/x' },
      { host: 'a@b' },
      { port: 0 },
      { port: 70000 },
      { pathPrefix: 'cek/' },
      { pathPrefix: '/cek' },
      { pathPrefix: '/../' },
    ];
    for (const allowedUrl of bad) expect(() => certChainVerifier({ allowedUrl })).toThrow(TypeError);
  });
});

describe('SignatureCEKCertChainUrl: an injected policy for a loopback server', () => {
  let chain: TestCertChain;
  beforeAll(async () => {
    chain = await startTestCertChain();
  });
  afterAll(() => chain.close());

  const refusedWithoutDownload = async (url: string) => {
    const site = endpointWith(certChainVerifier({ ...chain.verifyOptions, logger: silentLogger }));
    const body = launchBody();
    const res = await site.post(body, { SignatureCEK: chain.sign(body), SignatureCEKCertChainUrl: url });
    expect(res).toMatchObject({ status: 403, code: 'CERT_CHAIN_URL_INVALID' });
    expect(site.calls).toBe(0);
    expect(chain.server.downloads('/cek/chain.pem')).toBe(0);
  };

  it('refuses http to the allowed host and port', async () => {
    await refusedWithoutDownload(chain.url.replace('https:', 'http:'));
  });

  it('refuses another port on the allowed host', async () => {
    await refusedWithoutDownload(chain.url.replace(`:${chain.server.port}`, `:${chain.server.port + 1}`));
  });

  it('refuses the default port when another is configured', async () => {
    await refusedWithoutDownload(chain.url.replace(`:${chain.server.port}`, ''));
  });

  it('refuses another spelling of loopback', async () => {
    await refusedWithoutDownload(chain.url.replace('127.0.0.1', 'localhost'));
    await refusedWithoutDownload(chain.url.replace('127.0.0.1', '127.0.0.2'));
  });

  it('accepts the exact URL', async () => {
    const site = endpointWith(certChainVerifier({ ...chain.verifyOptions, logger: silentLogger }));
    const body = launchBody();
    const res = await site.post(body, {
      SignatureCEK: chain.sign(body),
      SignatureCEKCertChainUrl: chain.url,
    });
    expect(res.status).toBe(200);
    expect(chain.server.downloads('/cek/chain.pem')).toBe(1);
  });
});
