import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certChainVerifier, createExtension, silentLogger } from 'cekit';
import { auditExtension, createConversation, startTestCertChain, type TestCertChain } from 'cekit/testing';

// The legacy KR scheme (SignatureCEK + SignatureCEKCertChainUrl, spec http-and-validation.md §4)
// through the same harness: a TestCertChain is a signer whose headers() adds the chain URL.
let chain: TestCertChain;
beforeAll(async () => {
  chain = await startTestCertChain();
});
afterAll(() => chain?.close());

function app() {
  const extension = createExtension({
    extensionId: 'com.example.kr',
    verify: certChainVerifier({ ...chain.verifyOptions, logger: silentLogger }),
    logger: silentLogger,
    requestLog: false,
  });
  extension.launch((ctx) => ctx.ask('안녕하세요', '무엇을 할까요?'));
  return extension;
}

describe('the harness with the cert-chain scheme', () => {
  it('signs each request with the chain headers', async () => {
    const cek = createConversation({
      target: app(),
      keys: chain,
      extensionId: 'com.example.kr',
      locale: 'ko-KR',
    });
    const reply = await cek.launch();
    expect(reply.status).toBe(200);
    expect(reply.request.session?.new).toBe(true);
  });

  it('passes the audit in trusted mode', async () => {
    const report = await auditExtension({ target: app(), keys: chain, extensionId: 'com.example.kr' });
    expect(report.checks.filter((check) => !check.passed)).toEqual([]);
  });
});
