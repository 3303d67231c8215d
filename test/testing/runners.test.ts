import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

describe('other test runners', () => {
  it('cekit/testing works under node:test', async () => {
    const file = fileURLToPath(new URL('./runners/dice.node-test.ts', import.meta.url));
    const result = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', TSX, '--test', '--test-reporter=tap', file],
        { timeout: 30_000 },
        (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
      );
    });
    expect(result.stdout).toContain('ok 1 - the dice extension rolls under node:test');
    expect(result.code).toBe(0);
  });
});
