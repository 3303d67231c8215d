import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
/** The CEK side: the testing kit, the CLI and the browser console the CLI serves. */
const CEK_SIDE = ['testing', 'cli', 'console'];

function sources(folder: string): string[] {
  return readdirSync(join(SRC, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(SRC, folder, file));
}

describe('shipped CEK-side code', () => {
  it('imports no test runner, so it works under any of them', () => {
    const offenders = CEK_SIDE.flatMap(sources).filter((file) =>
      /from ['"](vitest|jest|@jest\/globals|node:test|mocha)['"]/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('is not loaded by the main entry point', () => {
    const offenders = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !CEK_SIDE.some((folder) => file.startsWith(`${folder}/`)))
      .filter((file) => /from ['"][./]+(testing|cli|console)\//.test(readFileSync(join(SRC, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('does not load the Clova Home framework (catalog and schema modules only)', () => {
    // Value imports only: `import type` is erased, so it loads nothing.
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const [, specifier] of text.matchAll(/^(?:import|export)(?! type )[^'";]*?['"](\.[^'"]+)['"]/gm))
        visit(resolve(dirname(file), specifier!.replace(/\.js$/, '.ts')));
    };
    visit(join(SRC, 'testing/index.ts'));
    const home = [...seen].filter((file) => file.startsWith(join(SRC, 'home')));
    expect(home.length).toBeGreaterThan(0);
    const dataAndSchemas = /\/home\/(catalog\/|generated\/|messages\.ts$|accept-both\.ts$)/;
    expect(home.filter((file) => !dataAndSchemas.test(file))).toEqual([]);
  });
});
