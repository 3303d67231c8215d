// The work of the store rows: an IntentRequest whose handler loads the user's attributes, adds one to
// a counter and saves them (a lock, a read and a write per request), for a handful of users sent in
// turn, so requests for one user also queue behind each other as they do in production.
import { createExtension, silentLogger } from 'cekit';
import { serve } from 'cekit/node';

const EXTENSION_ID = 'com.example.extension.counter';
const USERS = 5;

function countRequest(userId) {
  const user = { userId, accessToken: 'XHapQasdfsdfFsdfasdflQQ7' };
  return {
    version: '1.0',
    session: { new: false, sessionAttributes: {}, sessionId: `session-${userId}`, user },
    context: {
      System: {
        application: { applicationId: EXTENSION_ID },
        device: { deviceId: '096e6b27-1717-33e9-b0a7-510a48658a9b', display: { size: 'none' } },
        user,
      },
    },
    request: {
      type: 'IntentRequest',
      requestId: `request-${userId}`,
      timestamp: '2018-09-08T00:00:00Z',
      locale: 'ja-JP',
      intent: { name: 'Count', slots: {} },
    },
  };
}

/** One signed body per user; the runner sends them in turn on every connection. */
export const counterPayload = {
  bodies: Array.from({ length: USERS }, (_, i) => countRequest(`U0000000000000000000000000000000${i}`)),
};

/** Serves the counting extension on `port` with `storage`. */
export function serveCounter({ port, publicKeyPem, storage }) {
  const app = createExtension({
    extensionId: EXTENSION_ID,
    verify: { keys: [publicKeyPem], bundledKey: false, keyUrl: false },
    requestLog: false,
    logger: silentLogger,
    storage,
  });
  app.intent('Count', async (ctx) => {
    const user = await ctx.user.load();
    user.count = (user.count ?? 0) + 1;
    ctx.say(`${user.count}回目です。`);
  });
  return serve(app, { port, host: '127.0.0.1', handleSignals: false });
}
