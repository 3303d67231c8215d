import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests and examples import the package by name (`cekit`, `cekit/node`, ...), exactly as users do. In
// this repository each name maps to its TypeScript source through tsconfig.json "paths", which tsc and
// tsx read themselves; Vite does not, so the same map becomes exact-match aliases here. No build needed,
// and nothing development-only in the published package.json. (tsconfig.json is kept plain JSON, no
// comments, so that JSON.parse reads it.)
const { compilerOptions } = JSON.parse(readFileSync(new URL('./tsconfig.json', import.meta.url), 'utf8')) as {
  compilerOptions: { paths: Record<string, string[]> };
};
export const sourceAliases = Object.entries(compilerOptions.paths).map(([name, [target]]) => ({
  // `cekit` must not also catch `cekit/node` or `cekit/schema/...`.
  find: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
  replacement: fileURLToPath(new URL(target!, import.meta.url)),
}));

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    pool: 'forks',
  },
});
