/**
 * Runs the Express example on loopback.
 *
 *   npx tsx examples/express/main.ts
 *
 * CEK signs requests with its own key; locally we trust a key generated now and print a signed curl
 * command to paste into another terminal. PORT picks the port (default 3000). In production drop the
 * `verify` option: the bundled CEK key is the default.
 */
import { protectServer } from 'cekit/node';
import { buildIntentRequest, generateTestKeyPair } from 'cekit/testing';
import { createApp } from './app.js';

const keys = generateTestKeyPair();
const app = createApp({ verify: { keys: [keys.publicKeyPem], bundledKey: false, keyUrl: false } });
const port = Number(process.env.PORT ?? 3000);

// protectServer bounds how long a client may take to send a request (Node's default is 5 minutes)
// and answers Node's own refusals with cekit's JSON.
const server = protectServer(
  app.listen(port, '127.0.0.1', () => {
    const body = JSON.stringify(
      buildIntentRequest('ThrowDiceIntent', { diceCount: '3' }, { extensionId: 'com.example.dice' }),
    );
    const url = `http://127.0.0.1:${port}/clova`;
    console.log(`Express with cekit listening on ${url}`);
    console.log(
      `try: curl -s ${url} -H 'content-type: application/json' -H 'SignatureCEK: ${keys.sign(body)}' -d '${body}'`,
    );
  }),
);

const stop = () => server.close();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
