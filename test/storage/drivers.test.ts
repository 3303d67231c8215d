import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

describe('database drivers', () => {
  it('are never imported by cekit, not even for types: stores take the client the user made', () => {
    // So `import 'cekit'` loads no driver, cekit/redis loads without pg, cekit/postgres without redis,
    // and the declarations type-check in a project that has none of them.
    const offenders = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .filter((file) =>
        /(from|import\(|require\()\s*['"](redis|ioredis|pg|@redis\/[^'"]+|pg-[^'"]+)['"]/.test(
          readFileSync(join(SRC, file), 'utf8'),
        ),
      );
    expect(offenders).toEqual([]);
  });
});
