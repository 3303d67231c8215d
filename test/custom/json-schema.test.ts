import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSchemaFiles, SCHEMA_DIR } from '../../scripts/generate-schemas.js';

describe('published JSON Schemas (schema/custom-*.json)', () => {
  const files = renderSchemaFiles();

  it.each(Object.keys(files))('schema/%s matches its definition (run `npm run schemas` if not)', (name) => {
    expect(readFileSync(join(SCHEMA_DIR, name), 'utf8')).toBe(files[name]);
  });

  it('describes the request types and the directives', () => {
    const request = files['custom-request.json']!;
    for (const type of ['LaunchRequest', 'IntentRequest', 'SessionEndedRequest', 'EventRequest']) {
      expect(request).toContain(`"const": "${type}"`);
    }
    expect(request).toContain('"const": "ProgressReportPositionPassed"');
    const response = files['custom-response.json']!;
    for (const name of ['Play', 'StreamDeliver', 'Pause', 'Resume', 'Stop', 'RenderPlayerInfo']) {
      expect(response).toContain(`"const": "${name}"`);
    }
  });
});

describe('the JSON Schemas are published with the package', () => {
  it('resolves cekit/schema/custom-request.json and cekit/schema/custom-response.json', async () => {
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    for (const name of ['custom-request.json', 'custom-response.json']) {
      expect(require.resolve(`cekit/schema/${name}`)).toBe(join(SCHEMA_DIR, name));
    }
  });
});
