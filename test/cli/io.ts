import { Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/main.js';

/** A CliIo writing into strings, as when piped (no TTY, so no colors). */
export function bufferIo(
  cwd: string,
  options: { stdin?: string; signal?: AbortSignal; env?: Record<string, string> } = {},
) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
    stdin: Readable.from(options.stdin !== undefined ? [Buffer.from(options.stdin)] : []),
    env: { ...options.env },
    cwd,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  return { io, out };
}
