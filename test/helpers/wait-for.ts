/** A command's output so far, as the tests collect it. */
export interface Output {
  stdout: string;
  stderr: string;
}

/**
 * Polls `probe` every 50 ms until it returns a value; after `ms`, throws with the output so far, which
 * is what explains a command that never got there.
 */
export async function waitFor<T>(probe: () => T | undefined, out: Output, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out; stdout:\n${out.stdout}\nstderr:\n${out.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
