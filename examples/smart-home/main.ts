/**
 * Serves the smart home on loopback with the real verifier, trusting a key generated now (CEK signs
 * with its own key; locally nothing needs verification switched off).
 *
 *   npx tsx examples/smart-home/main.ts
 *
 * Prints signed curl commands to paste into another terminal. PORT picks the port (default 3000),
 * ACCESS_TOKEN the token the account linking would have issued (default demo-token).
 */
import { serve } from 'cekit/node';
import { buildDiscoverAppliancesRequest, buildHomeControlRequest, generateTestKeyPair } from 'cekit/testing';
import { createSmartHome } from './home.js';

const accessToken = process.env.ACCESS_TOKEN ?? 'demo-token';
const keys = generateTestKeyPair();
const { home } = createSmartHome({ accessToken, verify: keys.verifyOptions });
const server = await serve(home, { port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });

console.log(`smart home listening on ${server.url}`);
for (const message of [
  buildDiscoverAppliancesRequest({ accessToken }),
  buildHomeControlRequest(
    'SetTargetTemperature',
    'aircon-1',
    { targetTemperature: { value: 24 } },
    { accessToken },
  ),
]) {
  const body = JSON.stringify(message);
  console.log(
    `try: curl -s ${server.url} -H 'content-type: application/json' -H 'SignatureCEK: ${keys.sign(body)}' -d '${body}'`,
  );
}
