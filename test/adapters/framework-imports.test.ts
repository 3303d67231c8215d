import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

// Every static `import ... from`, `export ... from`, bare `import '...'` and dynamic `import('...')`.
const IMPORT =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Specifiers a module loads at run time (`import type` / `export type` are erased by TypeScript). */
function valueImports(text: string): string[] {
  return [...text.matchAll(IMPORT)]
    .filter((match) => match[2] === undefined)
    .map((match) => match[3] ?? match[4]!);
}

/** Walks the runtime module graph from `entry` (type-only imports are erased and not followed). */
function runtimeImports(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of valueImports(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  };
  visit(resolve(SRC, entry));
  return { files, packages };
}

const builtinOnly = (packages: Set<string>) => [...packages].filter((name) => !name.startsWith('node:'));

describe('frameworks stay optional', () => {
  it('the import scanner tells value imports from type imports', () => {
    const text = [
      "import type { FastifyPluginAsync } from 'fastify';",
      "import express from 'express';",
      "import {\n  type A,\n  b,\n} from 'koa';",
      "export type { X } from 'hono';",
      "export { y } from './local.js';",
      "import 'side-effect';",
      "const lazy = await import('aws-sdk');",
    ].join('\n');
    expect(valueImports(text)).toEqual(['express', 'koa', './local.js', 'side-effect', 'aws-sdk']);
  });

  it("importing 'cekit' loads no framework nor any package: only node: built-ins", () => {
    const { files, packages } = runtimeImports('index.ts');
    expect(files.size).toBeGreaterThan(10);
    expect(builtinOnly(packages)).toEqual([]);
    expect([...files].some((file) => file.includes('/adapters/'))).toBe(false);
  });

  for (const adapter of ['express', 'fastify', 'koa', 'hono', 'lambda']) {
    it(`cekit/${adapter} imports its framework as types only`, () => {
      const source = readFileSync(resolve(SRC, `adapters/${adapter}.ts`), 'utf8');
      const { packages } = runtimeImports(`adapters/${adapter}.ts`);
      expect(builtinOnly(packages)).toEqual([]);
      // The walker itself must see type imports, or the check above would prove nothing.
      if (adapter === 'fastify') expect(source).toMatch(/import type \{[^}]*\} from 'fastify'/);
    });
  }
});
