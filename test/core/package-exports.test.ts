import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { binEntries, entries } from '../../tsup.config.js';
import * as root from 'cekit';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, string | Record<string, { types: string; default: string }>>;
  bin: Record<string, string>;
};

describe('package exports', () => {
  it('has one tsup entry per subpath, with ESM and CJS builds and declarations', () => {
    const subpaths = Object.entries(pkg.exports).filter(([, target]) => typeof target !== 'string');
    expect(
      subpaths.map(([, target]) => (target as Record<string, { default: string }>).import!.default).sort(),
    ).toEqual(
      Object.keys(entries)
        .map((name) => `./dist/${name}.js`)
        .sort(),
    );
    for (const [, target] of subpaths) {
      const {
        import: esm,
        require: cjs,
        'cekit-source': source,
      } = target as Record<string, { types: string; default: string }>;
      const entry = esm!.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '');
      expect(source, 'the "cekit-source" condition points at the tsup entry').toBe(
        `./${entries[entry as keyof typeof entries]}`,
      );
      expect(cjs!.default).toBe(esm!.default.replace(/\.js$/, '.cjs'));
      expect(esm!.types).toBe(esm!.default.replace(/\.js$/, '.d.ts'));
      expect(cjs!.types).toBe(esm!.default.replace(/\.js$/, '.d.cts'));
    }
  });

  it('has one tsup bin entry per package.json "bin", with a shebang', () => {
    expect(Object.values(pkg.bin).sort()).toEqual(
      Object.keys(binEntries)
        .map((name) => `./dist/${name}.js`)
        .sort(),
    );
    for (const source of Object.values(binEntries)) {
      expect(readFileSync(new URL(`../../${source}`, import.meta.url), 'utf8')).toMatch(
        /^#!\/usr\/bin\/env node\n/,
      );
    }
  });

  it('resolves the package by name in tests', () => {
    expect(typeof root.createEndpoint).toBe('function');
  });
});
