import { defineConfig } from 'vitest/config';

// Tests and examples import the package by name (`cekit`, `cekit/node`, ...), exactly as users do.
// The "cekit-source" export condition (a name no other tool uses) in package.json points each subpath at its TypeScript source, so
// tests (and `tsc`, via customConditions) run against src/ without a build.
export default defineConfig({
  resolve: { conditions: ['cekit-source', 'import', 'node', 'default'] },
  ssr: { resolve: { conditions: ['cekit-source', 'node', 'default'], externalConditions: ['cekit-source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    pool: 'forks',
  },
});
