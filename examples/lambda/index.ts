/**
 * Deployment entry: set the function's handler to `index.handler` after bundling, e.g.
 *
 *   npx esbuild examples/lambda/index.ts --bundle --platform=node --target=node20 --format=esm \
 *     --outfile=dist-lambda/index.mjs
 *
 * EXTENSION_ID is the Extension ID from the Clova developer console. Requests are verified with the
 * bundled CEK key (the default), so the first request after a cold start never waits for a key download.
 */
import { createHandler } from './handler.js';

export const handler = createHandler({ extensionId: process.env.EXTENSION_ID ?? 'com.example.dice' });
