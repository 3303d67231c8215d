import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every ```ts block of the READMEs (English, Japanese, Korean) and the guides is type-checked
// against the package, so the docs cannot drift from the API. A block is compiled as its own module;
// the names the prose takes for granted (`app`, `ctx`, `server`...) come from snippet-context.d.ts,
// a hosted runtime's module from snippet-modules.d.ts. A block that is deliberately not code
// (pseudo-code, an interface excerpt) is fenced as ```ts nocheck.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = `${ROOT}.snippets/`;

interface Snippet {
  file: string;
  /** 1-based line of the first code line in the markdown file. */
  line: number;
  code: string;
}

function snippets(): Snippet[] {
  const files = [
    'README.md',
    'README.ja.md',
    'README.ko.md',
    ...readdirSync(`${ROOT}docs/guides`).map((name) => `docs/guides/${name}`),
  ];
  const found: Snippet[] = [];
  for (const file of files.filter((name) => name.endsWith('.md'))) {
    const lines = readFileSync(`${ROOT}${file}`, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.trim() !== '```ts') continue;
      const end = lines.findIndex((text, j) => j > i && text.trim() === '```');
      if (end === -1) throw new Error(`${file}:${i + 1}: unterminated code block`);
      found.push({ file, line: i + 2, code: lines.slice(i + 1, end).join('\n') });
      i = end;
    }
  }
  return found;
}

describe('documentation snippets', () => {
  const all = snippets();

  it('exist in the README and the guides', () => {
    expect(all.length).toBeGreaterThan(40);
  });

  it('type-check against the package', () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT);
    const byName = new Map<string, Snippet>();
    all.forEach((snippet, index) => {
      const name = `snippet${index}.ts`;
      byName.set(name, snippet);
      // `export {}` makes every block a module, so top-level await works and names never clash.
      // Relative imports in the docs are written from the repository root (`./examples/...`).
      const code = snippet.code.replaceAll("from './", "from '../");
      writeFileSync(`${OUT}${name}`, `${code}\nexport {};\n`);
    });
    copyFileSync(`${ROOT}test/docs/snippet-context.d.ts`, `${OUT}context.d.ts`);
    copyFileSync(`${ROOT}test/docs/snippet-modules.d.ts`, `${OUT}modules.d.ts`);
    writeFileSync(
      `${OUT}tsconfig.json`,
      JSON.stringify({ extends: '../tsconfig.json', include: ['./*.ts'] }),
    );
    let output = '';
    try {
      execFileSync(
        process.execPath,
        [`${ROOT}node_modules/typescript/bin/tsc`, '-p', `${OUT}tsconfig.json`, '--pretty', 'false'],
        {
          encoding: 'utf8',
        },
      );
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    // Point each error at the markdown line it comes from.
    const errors = output
      .split('\n')
      .filter((line) => line.includes('error TS'))
      .map((line) => {
        const match = /snippet(\d+)\.ts\((\d+),(\d+)\): (.*)$/.exec(line);
        if (!match) return line;
        const snippet = byName.get(`snippet${match[1]}.ts`)!;
        return `${snippet.file}:${snippet.line + Number(match[2]) - 1}:${match[3]} ${match[4]}`;
      });
    expect(errors).toEqual([]);
  }, 120_000);
});
