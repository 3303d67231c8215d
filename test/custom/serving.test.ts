import { describe, expect, it } from 'vitest';
import { createEndpoint, silentLogger, type Dispatcher } from 'cekit';
import { toFetchHandler } from 'cekit/fetch';
import { serve } from 'cekit/node';
import { EXTENSION_ID, fixture, keys, testExtension } from './harness.js';

const TRUST = { keys: [keys.publicKeyPem], bundledKey: false, keyUrl: false as const };

function signed(message: unknown) {
  const body = JSON.stringify(message);
  return { body, headers: { 'content-type': 'application/json', signaturecek: keys.sign(body) } };
}

describe('serving an extension', () => {
  it('works with serve() from cekit/node over loopback', async () => {
    const app = testExtension();
    app.launch((ctx) => ctx.say('node'));
    const server = await serve(app, { port: 0, handleSignals: false });
    try {
      const { body, headers } = signed(fixture('launch-request'));
      const res = await fetch(server.url, { method: 'POST', headers, body });
      expect(res.status).toBe(200);
      expect((await res.json()).response.outputSpeech.values.value).toBe('node');
    } finally {
      await server.close();
    }
  });

  it('works with toFetchHandler() from cekit/fetch', async () => {
    const app = testExtension();
    app.launch((ctx) => ctx.say('fetch'));
    const handler = toFetchHandler(app);
    const { body, headers } = signed(fixture('launch-request'));
    const res = await handler(new Request('http://127.0.0.1/clova', { method: 'POST', headers, body }));
    expect((await res.json()).response.outputSpeech.values.value).toBe('fetch');
  });

  it('shares one endpoint with a Clova Home dispatcher, still refusing malformed Custom messages', async () => {
    const app = testExtension();
    app.launch((ctx) => ctx.say('custom'));
    const home: Dispatcher = {
      kinds: ['home'],
      dispatch: () => ({
        header: {
          namespace: 'ClovaHome',
          name: 'HealthCheckResponse',
          messageId: 'm-1',
          payloadVersion: '1.0',
        },
        payload: {},
      }),
    };
    const endpoint = createEndpoint({
      dispatcher: [app, home],
      extensionId: EXTENSION_ID,
      verify: TRUST,
      logger: silentLogger,
    });
    const post = async (message: unknown) => {
      const { body, headers } = signed(message);
      const res = await endpoint.handle({ method: 'POST', headers, body: Buffer.from(body) });
      return { status: res.status, json: JSON.parse(res.body) };
    };
    expect((await post(fixture('launch-request'))).json.response.outputSpeech.values.value).toBe('custom');
    expect((await post({ header: { name: 'HealthCheckRequest' }, payload: {} })).json.header.name).toBe(
      'HealthCheckResponse',
    );
    const broken = fixture('launch-request');
    broken.request.type = 'Nope';
    expect((await post(broken)).status).toBe(400);
  });
});
