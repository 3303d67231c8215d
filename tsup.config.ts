import { defineConfig } from 'tsup';

// One entry per public subpath; keep in sync with package.json "exports" and tsconfig.json "paths"
// (test/core/package-exports.test.ts fails on drift).
export const entries = {
  index: 'src/index.ts',
  'adapters/node': 'src/adapters/node.ts',
  'adapters/fetch': 'src/adapters/fetch.ts',
  'adapters/express': 'src/adapters/express.ts',
  'adapters/fastify': 'src/adapters/fastify.ts',
  'adapters/koa': 'src/adapters/koa.ts',
  'adapters/hono': 'src/adapters/hono.ts',
  'adapters/lambda': 'src/adapters/lambda.ts',
  'storage/redis': 'src/storage/redis.ts',
  'storage/postgres': 'src/storage/postgres.ts',
  'testing/index': 'src/testing/index.ts',
  'home/index': 'src/home/index.ts',
  'clova-sdk/index': 'src/clova-sdk/index.ts',
};

// Executables (package.json "bin"), not importable subpaths: ESM only, self-contained, no declarations.
export const binEntries = {
  'cli/main': 'src/cli/main.ts',
};

// Source maps carry mappings only, not a copy of the sources: src/ is published once beside dist/, and
// the maps (\`../src/...\`) point into it. Embedding would put every source in the tarball twice more, once
// in the ES module maps and once in the CommonJS ones.
const mapsWithoutSources = (options: { sourcesContent?: boolean }) => {
  options.sourcesContent = false;
};

export default defineConfig([
  {
    entry: entries,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    esbuildOptions: mapsWithoutSources,
    // The builds run at once: leave the CLI's and the console page's output alone.
    clean: ['!cli/**', '!console/**'],
    target: 'node20',
    splitting: true,
    treeshake: true,
  },
  {
    entry: binEntries,
    format: ['esm'],
    sourcemap: true,
    esbuildOptions: mapsWithoutSources,
    clean: false,
    target: 'node20',
    splitting: false,
    treeshake: true,
  },
  {
    // The browser console's page (src/console/server.ts serves it): one script and one stylesheet,
    // no runtime dependency. The entry is named `app` so esbuild writes app.js and app.css.
    entry: { app: 'src/console/page/main.ts' },
    outDir: 'dist/console',
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    minify: true,
    dts: false,
    sourcemap: false,
    clean: false,
    splitting: false,
    treeshake: true,
  },
]);
