import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entries } from '../../tsup.config.js';

// `npm run docs:api` documents what users can import, so typedoc.json's entry points must be exactly
// the sources of the package's subpaths: the tsup entries (which test/core/package-exports.test.ts
// keeps equal to package.json "exports" and tsconfig.json "paths").
const typedoc = JSON.parse(readFileSync(new URL('../../typedoc.json', import.meta.url), 'utf8')) as {
  entryPoints: string[];
};

describe('typedoc.json', () => {
  it('lists one entry point per package subpath export', () => {
    expect(
      [...typedoc.entryPoints].sort(),
      'typedoc.json "entryPoints" must equal the tsup entries (one per package subpath); add or remove entries there',
    ).toEqual(Object.values(entries).sort());
  });
});
