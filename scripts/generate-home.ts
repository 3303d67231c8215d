/**
 * Regenerates the Clova Home schemas from the catalog (src/home/catalog):
 * src/home/generated/payloads.ts (TypeScript, built with src/schema) and schema/home-messages.json.
 * Run with `npm run generate:home`; test/home/generated.test.ts fails when the committed files drift.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { generateHomeJsonSchema, generateHomeSource } from '../src/home/codegen.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsPath = join(root, 'src/home/generated/payloads.ts');
const jsonPath = join(root, 'schema/home-messages.json');

async function renderHomeSource(): Promise<string> {
  return format(generateHomeSource(), { ...(await resolveConfig(tsPath)), filepath: tsPath });
}

/** Built from the generated module as it is on disk (src/home/messages.ts loads it). */
async function renderHomeJsonSchema(): Promise<string> {
  return format(JSON.stringify(await generateHomeJsonSchema()), {
    ...(await resolveConfig(jsonPath)),
    filepath: jsonPath,
  });
}

export async function renderHomeFiles(): Promise<Record<string, string>> {
  return { [tsPath]: await renderHomeSource(), [jsonPath]: await renderHomeJsonSchema() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // The TypeScript first: the JSON Schema is read from it, and would otherwise lag one run behind
  // (or fail to load, when src/home/messages.ts uses a new generated export).
  writeFileSync(tsPath, await renderHomeSource());
  writeFileSync(jsonPath, await renderHomeJsonSchema());
}
