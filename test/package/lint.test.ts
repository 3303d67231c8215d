import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { packedCekit, type PackedCekit } from '../helpers/packed.js';

// The tarball `npm publish` would upload, checked by the two linters of the ecosystem: publint (the
// manifest against the files: exports, types, bin, formats) and Are the Types Wrong? (what TypeScript
// resolves for each subpath under node10, node16 from CommonJS and from ES modules, and bundler).
// Neither needs the network: both read the tarball itself.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ATTW = `${ROOT}node_modules/@arethetypeswrong/cli/dist/index.js`;
const RESOLUTION_KINDS = ['node10', 'node16-cjs', 'node16-esm', 'bundler'];

interface Resolution {
  resolution?: { fileName: string; isTypeScript: boolean; isJson: boolean };
  isWildcard?: boolean;
}
interface AttwReport {
  analysis: {
    problems: { kind: string; entrypoint?: string; resolutionKind?: string; [key: string]: unknown }[];
    entrypoints: Record<string, { resolutions: Record<string, Resolution> }>;
  };
}

let packed: PackedCekit;
let manifest: { exports: Record<string, unknown> };

beforeAll(async () => {
  packed = await packedCekit();
  manifest = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as typeof manifest;
}, 240_000);

describe('the packed tarball', () => {
  it('passes publint: no error, warning or suggestion', async () => {
    const bytes = readFileSync(packed.tarball);
    const { messages, pkg } = await publint({
      pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
      level: 'suggestion',
      strict: true,
    });
    expect(messages.map((message) => `${message.type}: ${formatMessage(message, pkg)}`)).toEqual([]);
  });

  it('passes attw: every subpath resolves to types under node10, node16 (CommonJS and ESM) and bundler', async () => {
    // The wildcard subpath (`./schema/*.json`) is not checked by attw itself: each shipped schema is named.
    const schemas = packed.files
      .filter((path) => /^schema\/[^/]+\.json$/.test(path))
      .map((path) => `./${path}`);
    expect(schemas.length).toBeGreaterThan(0);
    const args = [ATTW, packed.tarball, '--format', 'json', '--profile', 'strict', '--no-definitely-typed'];
    const output = await new Promise<string>((resolve, reject) =>
      // attw exits 1 when it finds a problem; the JSON on stdout says which.
      execFile(
        process.execPath,
        [...args, '--include-entrypoints', ...schemas],
        { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
        (error, stdout, stderr) =>
          stdout.trim().startsWith('{') ? resolve(stdout) : reject(new Error(`${error?.message}\n${stderr}`)),
      ),
    );
    const { analysis } = JSON.parse(output) as AttwReport;
    expect(
      analysis.problems.map(
        ({ kind, entrypoint, resolutionKind }) => `${kind} ${entrypoint} (${resolutionKind})`,
      ),
    ).toEqual([]);

    const subpaths = Object.keys(manifest.exports).filter((subpath) => !subpath.includes('*'));
    expect(Object.keys(analysis.entrypoints).sort()).toEqual(
      [
        ...subpaths,
        ...schemas,
        ...Object.keys(manifest.exports).filter((subpath) => subpath.includes('*')),
      ].sort(),
    );
    const unresolved: string[] = [];
    for (const subpath of [...subpaths, ...schemas])
      for (const kind of RESOLUTION_KINDS) {
        const found = analysis.entrypoints[subpath]!.resolutions[kind]?.resolution;
        if (!found || !(found.isTypeScript || found.isJson)) unresolved.push(`${subpath} (${kind})`);
      }
    expect(unresolved, 'subpaths without types').toEqual([]);
  }, 120_000);
});
