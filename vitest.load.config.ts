import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npm run test:load`: timing bounds that need the machine to themselves (a burst of 1,000 requests
// against a server pinned to one core). Not part of `npm test`, where other test files run beside
// them and would measure the neighbours, not cekit.
export default defineConfig({ ...base, test: { ...base.test, include: ['test/load/**/*.load.ts'] } });
