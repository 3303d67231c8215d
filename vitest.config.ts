import { defineConfig } from 'vitest/config';

// Tests and examples import the package by name (`cekit`, `cekit/node`, ...), exactly as users do.
// The "source" export condition in package.json points each subpath at its TypeScript source, so
// tests (and `tsc`, via customConditions) run against src/ without a build.
export default defineConfig({
  resolve: { conditions: ['source', 'import', 'node', 'default'] },
  ssr: { resolve: { conditions: ['source', 'node', 'default'], externalConditions: ['source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    pool: 'forks',
  },
});
