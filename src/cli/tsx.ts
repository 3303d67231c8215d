import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A TypeScript module (`.ts`, `.mts`, `.cts`, `.tsx`): plain Node loads it only through tsx. */
export const TS_MODULE = /\.(m|c)?tsx?$/;

/**
 * Where `specifier` (tsx, for TypeScript modules) resolves from the project in `cwd`, then from next to
 * cekit, in that order: the project's own copy wins, and a global `npx cekit` still finds one.
 */
export function resolveFromProjectOrCekit(cwd: string, specifier: string): string[] {
  const found: string[] = [];
  for (const base of [join(cwd, 'package.json'), fileURLToPath(import.meta.url)]) {
    try {
      found.push(createRequire(base).resolve(specifier));
    } catch {
      // Not installed there; try the next place.
    }
  }
  return found;
}
