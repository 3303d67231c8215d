import { spawn } from 'node:child_process';
import type { Output } from './wait-for.js';

/** How a command ended, with everything it printed. */
export interface GroupResult extends Output {
  code: number | null;
  signal?: NodeJS.Signals | null;
}

export interface ProcessGroup {
  /** Everything printed so far. */
  output: Output;
  /** True once the command itself has exited. */
  readonly exited: boolean;
  /** Sends `signal` to every process of the group; a group already gone is fine. */
  kill(signal: NodeJS.Signals): void;
  /** Ctrl+C as a terminal does it: SIGINT to the whole group, SIGKILL after 10 s. Resolves once the command exits. */
  stop(): Promise<GroupResult>;
  /** Resolves once no process of the group is left (the ones the command started included), or throws after 10 s. */
  gone(): Promise<void>;
}

/**
 * Runs a command in its own process group, so that stopping it also stops what it started (npm's
 * shell, `cekit dev` and its worker), as Ctrl+C does in a terminal.
 */
export function spawnGroup(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): ProcessGroup {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: Output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<GroupResult>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, ...output })),
  );
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  let stopped: Promise<GroupResult> | undefined;
  return {
    output,
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    kill,
    stop: () =>
      (stopped ??= (async () => {
        kill('SIGINT');
        const timer = setTimeout(() => kill('SIGKILL'), 10_000);
        const result = await exited;
        clearTimeout(timer);
        return result;
      })()),
    async gone() {
      for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
        try {
          process.kill(-child.pid!, 0);
        } catch {
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      kill('SIGKILL');
      throw new Error(`a process of ${command} ${args.join(' ')} was still running 10 s after SIGINT`);
    },
  };
}
