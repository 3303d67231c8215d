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

export async function renderHomeFiles(): Promise<Record<string, string>> {
  const tsPath = join(root, 'src/home/generated/payloads.ts');
  const jsonPath = join(root, 'schema/home-messages.json');
  const ts = await format(generateHomeSource(), { ...(await resolveConfig(tsPath)), filepath: tsPath });
  const json = await format(JSON.stringify(await generateHomeJsonSchema()), {
    ...(await resolveConfig(jsonPath)),
    filepath: jsonPath,
  });
  return { [tsPath]: ts, [jsonPath]: json };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [path, text] of Object.entries(await renderHomeFiles())) writeFileSync(path, text);
}
