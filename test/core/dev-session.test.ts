import { afterEach, describe, expect, it } from 'vitest';
import { createExtension, publicKeyVerifier, silentLogger, type RequestVerifier } from 'cekit';
import { serve } from 'cekit/node';
import { createConversation, generateTestKeyPair } from 'cekit/testing';
import { closeDevSession, devVerifier, openDevSession, type DevSession } from '../../src/core/dev-session.js';

const devKeys = generateTestKeyPair();
const cekKeys = generateTestKeyPair(); // stands in for CEK's key

function session(overrides: Partial<DevSession> = {}): DevSession & { reported: unknown[] } {
  const reported: unknown[] = [];
  let claimed = false;
  return {
    devKeyPem: devKeys.publicKeyPem,
    trustCek: false,
    port: 0,
    host: '127.0.0.1',
    endpointCreated: (info) => void reported.push(info),
    claimAddress() {
      if (claimed) throw new Error('claimed twice');
      claimed = true;
      return { port: 0, host: '127.0.0.1' };
    },
    listening: (server) => void reported.push(server.url),
    reported,
    ...overrides,
  };
}

const body = Buffer.from('{"version":"1.0"}');
/** Whether the verifier accepts a body signed with `keys` (now, or once it has waited). */
async function accepts(verifier: RequestVerifier, keys: typeof devKeys): Promise<boolean> {
  try {
    await verifier.verify(body, { signaturecek: keys.sign(body) });
    return true;
  } catch {
    return false;
  }
}

afterEach(() => closeDevSession());

describe('the cekit dev session', () => {
  it('is refused when NODE_ENV=production, whether opened or used', () => {
    expect(() => openDevSession(session(), 'production')).toThrow(/refused when NODE_ENV=production/);
    expect(() => devVerifier(session(), undefined, silentLogger, 'production')).toThrow(
      expect.objectContaining({ code: 'DEV_KEY_IN_PRODUCTION' }),
    );
  });

  it('trusts only the development key by default, whatever the module asked for', async () => {
    const verifier = devVerifier(session(), { keys: [cekKeys.publicKeyPem] }, silentLogger);
    expect(await accepts(verifier, devKeys)).toBe(true);
    expect(await accepts(verifier, cekKeys)).toBe(false);
  });

  it('with trustCek adds the development key to the module’s own keys, or to its own verifier', async () => {
    const trusting = session({ trustCek: true });
    const options = devVerifier(
      trusting,
      { keys: [cekKeys.publicKeyPem], bundledKey: false, keyUrl: false },
      silentLogger,
    );
    expect([await accepts(options, devKeys), await accepts(options, cekKeys)]).toEqual([true, true]);
    expect(await accepts(options, generateTestKeyPair())).toBe(false);
    // A verifier of the module's own (e.g. the cert-chain scheme) keeps its say beside the development key.
    const own = publicKeyVerifier({
      logger: silentLogger,
      keys: [cekKeys.publicKeyPem],
      bundledKey: false,
      keyUrl: false,
    });
    const combined = devVerifier(trusting, own, silentLogger);
    expect([await accepts(combined, devKeys), await accepts(combined, cekKeys)]).toEqual([true, true]);
    expect(await accepts(combined, generateTestKeyPair())).toBe(false);
  });

  it('gives serve() its address, reports the endpoint and the URL, and refuses a second server', async () => {
    const open = session();
    openDevSession(open, 'development');
    const app = createExtension({
      extensionId: 'com.example.session',
      logger: silentLogger,
      verify: cekKeys.verifyOptions,
    });
    app.launch((ctx) => ctx.say('hi'));
    const running = await serve(app, { port: 1 }); // the session's port (0) wins
    try {
      expect(open.reported).toEqual([
        { kinds: ['custom'], extensionIds: ['com.example.session'] },
        running.url,
      ]);
      const reply = await createConversation({
        target: running.url,
        keys: devKeys,
        extensionId: 'com.example.session',
      }).launch();
      expect(reply.speech).toBe('hi');
      await expect(serve(app)).rejects.toThrow('claimed twice');
    } finally {
      await running.close();
    }
  });
});
