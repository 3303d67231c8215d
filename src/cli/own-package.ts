import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The cekit package this command runs from, found from this module: src/cli under tsx, somewhere in
 * dist/ (bundled, maybe chunked) when installed. Walking up to the package.json named cekit works for
 * every layout.
 */
export async function ownPackage(): Promise<{ root: string; version: string }> {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = await readManifest(join(folder, 'package.json'));
    if (manifest?.name === 'cekit' && manifest.version) return { root: folder, version: manifest.version };
    const parent = dirname(folder);
    if (parent === folder) throw new Error('cannot find the cekit package this command runs from');
    folder = parent;
  }
}

async function readManifest(path: string): Promise<{ name?: string; version?: string } | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as { name?: string; version?: string };
  } catch {
    return undefined; // No package.json in this folder: keep walking up.
  }
}
