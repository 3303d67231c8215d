import { createEndpoint, silentLogger, type Dispatcher, type RequestVerifier } from 'cekit';

export const EXTENSION_ID = 'com.example.certchain';

/** A minimal Custom LaunchRequest, as raw bytes are what gets signed. */
export function launchBody(note = 'hello'): string {
  return JSON.stringify({
    version: '1.0',
    session: { new: true, sessionAttributes: {}, sessionId: `s-${note}`, user: { userId: 'u1' } },
    context: {
      System: {
        application: { applicationId: EXTENSION_ID },
        device: { deviceId: 'd1', display: { size: 'none', contentLayer: { width: 0, height: 0 } } },
        user: { userId: 'u1' },
      },
    },
    request: { type: 'LaunchRequest' },
  });
}

/** An endpoint whose dispatcher counts how often a handler actually ran. */
export function endpointWith(verify: RequestVerifier) {
  let calls = 0;
  const dispatcher: Dispatcher = {
    kinds: ['custom'],
    dispatch() {
      calls++;
      return {
        version: '1.0',
        sessionAttributes: {},
        response: { outputSpeech: {}, card: {}, directives: [], shouldEndSession: true },
      };
    },
  };
  const endpoint = createEndpoint({ dispatcher, extensionId: EXTENSION_ID, verify, logger: silentLogger });
  return {
    get calls() {
      return calls;
    },
    async post(body: string, headers: Record<string, string | string[]>) {
      const res = await endpoint.handle({
        method: 'POST',
        headers: { 'content-type': 'application/json;charset-UTF-8', ...headers },
        body: Buffer.from(body, 'utf8'),
      });
      const parsed = JSON.parse(res.body) as { error?: { code: string; message: string } };
      return { status: res.status, code: parsed.error?.code, message: parsed.error?.message };
    },
  };
}
