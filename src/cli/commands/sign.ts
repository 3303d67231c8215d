import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEV_KEY_PATH, readKey } from '../keys.js';
import { readAll, UsageError, type CliIo } from '../io.js';

export const signHelp = `Usage: cekit sign [--key <file>] [--curl <url>] [<body-file> | -]

Prints the SignatureCEK header value for a request body (read from the file, or stdin with -),
signed with a private key (default ${DEV_KEY_PATH}). The exact bytes are signed: send them unchanged.
  --curl <url>   print a complete curl command that sends the body to <url>
`;

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

export async function sign(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { key: { type: 'string' }, curl: { type: 'string' } },
  });
  if (positionals.length > 1) throw new UsageError('Give one body file (or - for stdin)');
  const keys = await readKey(values.key ?? DEV_KEY_PATH, io.cwd);
  const source = positionals[0] ?? '-';
  const body = source === '-' ? await readAll(io.stdin) : await readFile(resolve(io.cwd, source));
  if (body.byteLength === 0) throw new UsageError('The body is empty');
  const signature = keys.sign(body);
  if (values.curl === undefined) {
    io.stdout.write(`${signature}\n`);
    return 0;
  }
  const data = source === '-' ? shellQuote(body.toString('utf8')) : `@${shellQuote(source)}`;
  io.stdout.write(
    `curl -sS -X POST ${shellQuote(values.curl)} -H 'Content-Type: application/json;charset=UTF-8' ` +
      `-H 'SignatureCEK: ${signature}' --data-binary ${data}\n`,
  );
  return 0;
}
