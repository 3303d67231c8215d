import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { generateTestKeyPair, loadTestKeyPair, type TestKeyPair } from '../testing/keys.js';
import { UsageError } from './io.js';

/**
 * The development key: a private key kept in the project's `.cekit/` folder (gitignore it), whose
 * public half `cekit dev` makes the extension trust. It stands in for CEK's key, never for production.
 */
export const DEV_KEY_PATH = join('.cekit', 'dev-key.pem');

export const publicKeyPathOf = (privatePath: string) => privatePath.replace(/(\.pem)?$/, '.pub.pem');

export async function readKey(path: string, cwd: string): Promise<TestKeyPair> {
  let pem: string;
  try {
    pem = await readFile(resolve(cwd, path), 'utf8');
  } catch {
    throw new UsageError(`Cannot read the private key ${path} (create one with: cekit keygen --out ${path})`);
  }
  try {
    return loadTestKeyPair(pem);
  } catch {
    throw new UsageError(`${path} is not a PEM private key`);
  }
}

/** Writes a new key pair (`<path>` private, `<path>.pub.pem` public); refuses to overwrite unless forced. */
export async function writeNewKey(path: string, cwd: string, force = false): Promise<TestKeyPair> {
  const absolute = resolve(cwd, path);
  const keys = generateTestKeyPair();
  await mkdir(dirname(absolute), { recursive: true });
  try {
    await writeFile(absolute, keys.privateKeyPem, { mode: 0o600, flag: force ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new UsageError(`${relative(cwd, absolute)} exists; pass --force to replace it`);
    throw error;
  }
  await writeFile(publicKeyPathOf(absolute), keys.publicKeyPem, { mode: 0o644 });
  return keys;
}

/** The development key, created on first use. */
export async function devKey(
  cwd: string,
  path = DEV_KEY_PATH,
): Promise<{ keys: TestKeyPair; created: boolean }> {
  try {
    return { keys: await readKey(path, cwd), created: false };
  } catch (error) {
    if (!(error instanceof UsageError) || !/Cannot read/.test(error.message)) throw error;
    return { keys: await writeNewKey(path, cwd), created: true };
  }
}
