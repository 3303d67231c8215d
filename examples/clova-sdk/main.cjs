/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, like the example it runs */
/**
 * Runs the cekit/clova-sdk example on loopback.
 *
 *   npx tsx examples/clova-sdk/main.cjs              # app.cjs: the SDK extension, import changed
 *   npx tsx examples/clova-sdk/main.cjs migrating    # migrating.cjs: halfway to createExtension()
 *
 * CEK signs requests with its own key; locally we trust a key generated now (a cekit option the
 * Middleware passes on) and print signed curl commands to paste into another terminal. PORT picks
 * the port (default 3000). In production drop the `verify` option: the bundled CEK key is the default.
 */
'use strict';

const { protectServer } = require('cekit/node');
const { buildIntentRequest, buildLaunchRequest, generateTestKeyPair } = require('cekit/testing');

const APPLICATION_ID = process.env.APPLICATION_ID || 'com.example.morning';
const migrating = process.argv[2] === 'migrating';
const { createApp } = require(migrating ? './migrating.cjs' : './app.cjs');

const keys = generateTestKeyPair();
const app = createApp({ applicationId: APPLICATION_ID, verify: keys.verifyOptions });
const port = Number(process.env.PORT || 3000);

const server = protectServer(
  app.listen(port, '127.0.0.1', () => {
    const url = `http://127.0.0.1:${port}/clova`;
    console.log(`${migrating ? 'migrating.cjs' : 'app.cjs'} listening on ${url}`);
    const curl = (message) => {
      const body = JSON.stringify(message);
      return `curl -s ${url} -H 'content-type: application/json' -H 'SignatureCEK: ${keys.sign(body)}' -d '${body}'`;
    };
    console.log(`launch:\n  ${curl(buildLaunchRequest({ extensionId: APPLICATION_ID }))}`);
    const alarm = buildIntentRequest('SetAlarmIntent', { time: '7時' }, { extensionId: APPLICATION_ID });
    console.log(`SetAlarmIntent:\n  ${curl(alarm)}`);
    console.log(
      `unsigned (refused with 401 SIGNATURE_MISSING):\n  curl -s ${url} -H 'content-type: application/json' -d '{}'`,
    );
  }),
);

const stop = () => server.close();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
