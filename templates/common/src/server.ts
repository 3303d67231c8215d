/**
 * The production entry point (`npm run build`, then `npm start`): the extension `cekit dev` serves,
 * verifying every request with the key CEK publishes for its region, never with the development key.
 * CEK calls only https URLs: run it behind a TLS-terminating proxy, or on a platform that provides one.
 */
import { serve } from 'cekit/node';
import createApp from './extension.js';

// The port comes from PORT (hosting platforms set it), 3000 otherwise. Set HOST=0.0.0.0 when the proxy
// in front of it runs on another machine or container.
await serve(createApp({ verify: { region: '__REGION__' } }), { host: process.env.HOST ?? '127.0.0.1' });
