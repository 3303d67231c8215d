/**
 * Writes the published JSON Schemas in schema/ from the protocol definitions in src/custom/protocol.
 * `tsx scripts/generate-schemas.ts` regenerates; `--check` exits 1 when a committed file is stale
 * (test/custom/json-schema.test.ts runs the same comparison).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { customJsonSchemas } from '../src/custom/protocol/json-schema.js';

export const SCHEMA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../schema');

/** File name → exact text to commit (2-space JSON, trailing newline, as prettier formats it). */
export function renderSchemaFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, schema] of Object.entries(customJsonSchemas())) {
    files[name] = `${JSON.stringify(schema, null, 2)}\n`;
  }
  return files;
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function main(check: boolean): number {
  let stale = 0;
  for (const [name, text] of Object.entries(renderSchemaFiles())) {
    const path = join(SCHEMA_DIR, name);
    if (readOrEmpty(path) === text) continue;
    if (check) {
      console.error(`schema/${name} is out of date; run: npm run schemas`);
      stale++;
    } else {
      writeFileSync(path, text);
      console.log(`wrote schema/${name}`);
    }
  }
  return stale === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.includes('--check'));
}
