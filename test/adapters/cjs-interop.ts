/**
 * Test-environment workaround, imported before Express 5. vitest.config.ts lists `import` among the
 * resolve conditions, and Vitest passes them to its worker processes as `--conditions`, so a CommonJS
 * `require('is-promise')` (used by Express 5's router) resolves to the package's ES module and gets
 * a namespace object instead of the function: every Express 5 request then fails with "isPromise is
 * not a function". Real installs are unaffected. This seeds the require cache with the CommonJS build.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const resolved = require.resolve('is-promise');
if (resolved.endsWith('.mjs')) {
  const commonJs = resolved.replace(/\.mjs$/, '.js');
  require(commonJs);
  require.cache[resolved] = require.cache[commonJs];
}
