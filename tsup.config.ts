import { defineConfig } from 'tsup';

// One entry per public subpath; keep in sync with package.json "exports"
// (test/package-exports.test.ts fails on drift).
export const entries = {
  index: 'src/index.ts',
  'adapters/node': 'src/adapters/node.ts',
  'adapters/fetch': 'src/adapters/fetch.ts',
  'adapters/express': 'src/adapters/express.ts',
  'adapters/fastify': 'src/adapters/fastify.ts',
  'adapters/koa': 'src/adapters/koa.ts',
  'adapters/hono': 'src/adapters/hono.ts',
  'adapters/lambda': 'src/adapters/lambda.ts',
  'testing/index': 'src/testing/index.ts',
};

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
});
