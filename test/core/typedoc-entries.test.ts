import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// `npm run docs:api` documents what users can import, so typedoc.json's entry points must be exactly
// the "cekit-source" files of the package's subpath exports.
const read = (file: string) => JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'));
const pkg = read('package.json') as { exports: Record<string, string | { 'cekit-source'?: string }> };
const typedoc = read('typedoc.json') as { entryPoints: string[] };

describe('typedoc.json', () => {
  it('lists one entry point per package subpath export', () => {
    const sources = Object.values(pkg.exports)
      .map((target) => (typeof target === 'string' ? undefined : target['cekit-source']))
      .filter((source): source is string => source !== undefined)
      .map((source) => source.replace(/^\.\//, ''))
      .sort();
    expect(
      [...typedoc.entryPoints].sort(),
      'typedoc.json "entryPoints" must equal the "cekit-source" paths of package.json "exports"; add or remove entries there',
    ).toEqual(sources);
  });
});
