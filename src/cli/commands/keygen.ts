import { parseArgs } from 'node:util';
import { DEV_KEY_PATH, publicKeyPathOf, writeNewKey } from '../keys.js';
import type { CliIo } from '../io.js';

export const keygenHelp = `Usage: cekit keygen [--out <file>] [--force] [--print]

Creates an RSA-2048 key pair that stands in for CEK's signing key in local tests.
  --out <file>   private key file (default ${DEV_KEY_PATH}); the public key goes next to it (.pub.pem)
  --force        replace an existing key
  --print        print the PEM keys instead of writing files
`;

export async function keygen(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { out: { type: 'string' }, force: { type: 'boolean' }, print: { type: 'boolean' } },
  });
  if (values.print) {
    const { generateTestKeyPair } = await import('../../testing/keys.js');
    const keys = generateTestKeyPair();
    io.stdout.write(keys.privateKeyPem + keys.publicKeyPem);
    return 0;
  }
  const out = values.out ?? DEV_KEY_PATH;
  await writeNewKey(out, io.cwd, values.force === true);
  io.stdout.write(
    `private key: ${out} (keep it out of git)\npublic key:  ${publicKeyPathOf(out)}\n` +
      `Trust it in the extension under test: verify: { keys: [publicKeyPem], bundledKey: false, keyUrl: false }\n`,
  );
  return 0;
}
