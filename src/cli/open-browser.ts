import { spawn } from 'node:child_process';

/**
 * Opens `url` in the system browser, when someone is there to see it: stdout is a terminal and this
 * is not CI. Best effort: a machine without a browser (a container, SSH) keeps the printed URL.
 */
export function openBrowser(
  url: string,
  io: { stdout: { isTTY?: boolean }; env: Record<string, string | undefined> },
) {
  if (io.stdout.isTTY !== true || io.env.CI) return;
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? // `start` is a cmd built-in; its first quoted argument is a window title, hence the empty one.
          ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No such program: the URL is printed anyway.
  }
}
