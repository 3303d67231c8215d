import { serve } from 'cekit/node';
import { createSmartHome } from './home.js';

// Development run: signature checks off (refused when NODE_ENV=production). Point CEK or the simulator at it.
const { home } = createSmartHome({ accessToken: process.env.ACCESS_TOKEN ?? 'demo-token', verify: false });
const server = await serve(home, { port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
console.log(`Smart home listening on ${server.url}`);
