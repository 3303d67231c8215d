import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { binEntries, entries } from '../../tsup.config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string) => JSON.parse(readFileSync(`${ROOT}${file}`, 'utf8'));
const pkg = read('package.json') as {
  name: string;
  exports: Record<string, string | Record<string, { types: string; default: string }>>;
  bin: Record<string, string>;
  types: string;
  main: string;
  module: string;
  typesVersions: Record<string, Record<string, string[]>>;
};
/** The development mapping: each public name to its TypeScript source (tsc, tsx and, derived, Vitest). */
const paths = (
  read('tsconfig.json') as {
    compilerOptions: { paths: Record<string, string[]> };
  }
).compilerOptions.paths;

/** The subpaths with builds (`.`, `./node`, ...), not the schema files or package.json. */
const subpaths = Object.entries(pkg.exports).filter(
  (entry): entry is [string, Record<string, { types: string; default: string }>] =>
    typeof entry[1] !== 'string',
);
/** A subpath's build, as the name of its tsup entry: `./dist/adapters/node.js` → `adapters/node`. */
const entryOf = (target: Record<string, { default: string }>) =>
  target.import!.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '') as keyof typeof entries;

describe('package exports', () => {
  it('has one tsup entry per subpath, with ESM and CJS builds and declarations', () => {
    expect(subpaths.map(([, target]) => entryOf(target)).sort()).toEqual(Object.keys(entries).sort());
    for (const [subpath, target] of subpaths) {
      expect(Object.keys(target), `${subpath}: only the published conditions`).toEqual(['import', 'require']);
      const { import: esm, require: cjs } = target;
      expect(cjs!.default).toBe(esm!.default.replace(/\.js$/, '.cjs'));
      expect(esm!.types).toBe(esm!.default.replace(/\.js$/, '.d.ts'));
      expect(cjs!.types).toBe(esm!.default.replace(/\.js$/, '.d.cts'));
    }
  });

  it('maps every subpath to its tsup entry in tsconfig.json "paths", and nothing else', () => {
    const expected = Object.fromEntries(
      subpaths.map(([subpath, target]) => [
        `${pkg.name}${subpath.slice(1)}`,
        [`./${entries[entryOf(target)]}`],
      ]),
    );
    expect(paths, 'tsconfig.json "paths" must map each package subpath to its tsup entry').toEqual(expected);
  });

  it('gives node10 resolution (no "exports") the CommonJS declarations of every subpath', () => {
    const root = pkg.exports['.'] as Record<string, { types: string; default: string }>;
    expect([pkg.main, pkg.types, pkg.module]).toEqual([
      root.require!.default,
      root.require!.types,
      root.import!.default,
    ]);
    expect(Object.keys(pkg.typesVersions)).toEqual(['*']);
    expect(pkg.typesVersions['*']).toEqual(
      Object.fromEntries(
        subpaths
          .filter(([subpath]) => subpath !== '.')
          .map(([subpath, target]) => [subpath.slice(2), [target.require!.types]]),
      ),
    );
  });

  it('has one tsup bin entry per package.json "bin", with a shebang', () => {
    expect(Object.values(pkg.bin).sort()).toEqual(
      Object.keys(binEntries)
        .map((name) => `./dist/${name}.js`)
        .sort(),
    );
    for (const source of Object.values(binEntries)) {
      expect(readFileSync(`${ROOT}${source}`, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    }
  });

  it('resolves every subpath to its source in tests (the aliases vitest.config.ts derives from "paths")', async () => {
    for (const [name, [source]] of Object.entries(paths)) {
      // The same module instance: a name that fell through to dist/ would be another module.
      expect(await import(/* @vite-ignore */ name), name).toBe(
        await import(/* @vite-ignore */ join(ROOT, source!)),
      );
    }
  });

  it('resolves every subpath to its source in processes started with `node --import tsx`', async () => {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const pairs = Object.entries(paths).map(([name, [source]]) => [
      name,
      pathToFileURL(join(ROOT, source!)).href,
    ]);
    const script = `
      const wrong = [];
      for (const [name, source] of ${JSON.stringify(pairs)})
        if ((await import(name)) !== (await import(source))) wrong.push(name);
      console.log(JSON.stringify(wrong));`;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', tsx, '--input-type=module', '--eval', script],
        { cwd: ROOT, timeout: 30_000 },
        (error, out, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(out)),
      ),
    );
    expect(JSON.parse(stdout), 'names that did not resolve to their source under tsx').toEqual([]);
  });
});
