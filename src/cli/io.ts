import { resolve } from 'node:path';
import type { Readable } from 'node:stream';

/** Where a command reads and writes: the real process in the binary, buffers in tests. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Long-running commands (`dev`, interactive `simulate`) stop when this aborts. */
  signal?: AbortSignal;
}

export function processIo(signal?: AbortSignal): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    ...(signal ? { signal } : {}),
  };
}

/** A usage mistake: printed with the command's help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  magenta(text: string): string;
}

const plain = (text: string) => text;
const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

/** ANSI colors on a terminal; plain text when piped, or with NO_COLOR set (no-color.org), or FORCE_COLOR=0. */
export function styleFor(stream: { isTTY?: boolean }, env: CliIo['env']): Style {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0';
  const colored = forced || (stream.isTTY === true && env.NO_COLOR === undefined && env.FORCE_COLOR !== '0');
  if (!colored)
    return { bold: plain, dim: plain, green: plain, red: plain, yellow: plain, cyan: plain, magenta: plain };
  return {
    bold: ansi(1, 22),
    dim: ansi(2, 22),
    green: ansi(32, 39),
    red: ansi(31, 39),
    yellow: ansi(33, 39),
    cyan: ansi(36, 39),
    magenta: ansi(35, 39),
  };
}

/** Reads a whole stream (stdin for `cekit sign -`). */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * Reads the file (or folder) a command-line flag names, e.g. `--script dialogue.txt`. A missing one is
 * a usage mistake named by its flag; so is any other failure, its message prefixed with the flag,
 * unless `others: 'throw'` (a loader whose own errors already say what is wrong and where).
 */
export async function readFlagged<T>(
  flag: string,
  path: string,
  cwd: string,
  read: (absolute: string) => Promise<T>,
  options: { missing?: string; others?: 'usage' | 'throw' } = {},
): Promise<T> {
  try {
    return await read(resolve(cwd, path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UsageError(`${flag} ${path}: ${options.missing ?? 'no such file'}`);
    if (options.others === 'throw') throw error;
    throw new UsageError(`${flag} ${path}: ${(error as Error).message}`);
  }
}

/** A port flag's value (`--port 3000`; 0 picks a free port); a bad one is a usage mistake named by its flag. */
export function parsePort(flag: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`Bad ${flag} ${value}`);
  return port;
}
