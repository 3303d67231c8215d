import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Copy of the project's shared protocol fixtures (see test/fixtures/README.md), read as data. */
export const FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures');

export function readFixture<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, path), 'utf8')) as T;
}

export function listFixtures(folder: string): string[] {
  return readdirSync(join(FIXTURES_DIR, folder))
    .filter((name) => name.endsWith('.json'))
    .sort();
}

export interface SignedVector {
  publicKeyPem: string;
  signatureCEK: string;
  rawBody: string;
  expectedValid: boolean;
}

export const signedVector = (name: string) => readFixture<SignedVector>(`validation/${name}.json`);
