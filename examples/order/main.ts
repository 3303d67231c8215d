/**
 * Serves the pizza-order extension on loopback (PORT, default 3000) with the real verifier, trusting
 * a key generated now; user data is kept in ./.cekit/order-users (file store, survives restarts).
 *
 *   npx tsx examples/order/main.ts
 */
import { fileStore } from 'cekit';
import { serve } from 'cekit/node';
import { generateTestKeyPair } from 'cekit/testing';
import { createOrderExtension } from './extension.js';

const keys = generateTestKeyPair();
const app = createOrderExtension({
  verify: { keys: [keys.publicKeyPem], bundledKey: false, keyUrl: false },
  storage: fileStore({ directory: '.cekit/order-users' }),
});
const server = await serve(app, { port: Number(process.env.PORT ?? 3000) });
console.log(`pizza order extension listening on ${server.url}`);
console.log(`trusted public key (sign requests with its private key):\n${keys.publicKeyPem}`);
