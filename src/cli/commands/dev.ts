import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEV_KEY_PATH, devKey, publicKeyPathOf } from '../keys.js';
import { styleFor, UsageError, type CliIo } from '../io.js';

export const devHelp = `Usage: cekit dev <module> [--port <n>] [--export <name>] [--extension-id <id>] [--key <file>] [--once]

Serves an extension module on 127.0.0.1 for local development, reloading it when files change.
The module exports a factory (default export, or --export <name>) called with
{ verify, extensionId }: pass verify on to createExtension/createEndpoint so the real verifier
trusts the development key (${DEV_KEY_PATH}, created on first use; never use it in production).
TypeScript modules need tsx installed in the project.
  --port <n>            port (default 3000; 0 picks a free one)
  --extension-id <id>   passed to the factory and shown in the hints
  --key <file>          the development private key (default ${DEV_KEY_PATH})
  --once                do not watch for changes
`;

const IGNORED = /(^|[/\\])(node_modules|\.git|\.cekit|dist|coverage)([/\\]|$)/;
const TS_MODULE = /\.(m|c)?tsx?$/;

/** The parent side of `cekit dev`: keeps a worker process serving the module, restarts it on change. */
export async function dev(args: string[], io: CliIo, cliPath: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      export: { type: 'string' },
      'extension-id': { type: 'string' },
      key: { type: 'string' },
      once: { type: 'boolean' },
    },
  });
  const modulePath = positionals[0] && resolve(io.cwd, positionals[0]);
  if (!modulePath || positionals.length > 1) throw new UsageError('Give the extension module to serve');
  if (!existsSync(modulePath)) throw new UsageError(`${positionals[0]} does not exist`);
  let port = Number(values.port ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`Bad --port ${values.port}`);

  const keyPath = values.key ?? DEV_KEY_PATH;
  const { created } = await devKey(io.cwd, keyPath);
  const style = styleFor(io.stdout, io.env);
  if (created)
    io.stdout.write(style.dim(`created the development key ${keyPath} (keep .cekit/ out of git)\n`));

  const workerArgs = (): string[] => [
    ...(TS_MODULE.test(modulePath) || TS_MODULE.test(cliPath) ? ['--import', tsxLoader(io.cwd)] : []),
    cliPath,
    '__serve',
    modulePath,
    '--public-key',
    resolve(io.cwd, publicKeyPathOf(keyPath)),
    '--port',
    String(port),
    ...(values.export ? ['--export', values.export] : []),
    ...(values['extension-id'] ? ['--extension-id', values['extension-id']] : []),
  ];

  let child: ChildProcess | undefined;
  let announced = false;
  const start = () => {
    const worker = spawn(process.execPath, workerArgs(), {
      cwd: io.cwd,
      env: { ...io.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    worker.stdout!.on('data', (chunk: Buffer) => io.stdout.write(chunk.toString()));
    worker.stderr!.on('data', (chunk: Buffer) => io.stderr.write(chunk.toString()));
    worker.on('message', (message: { url?: string; port?: number }) => {
      if (!message.url) return;
      // Keep the port across reloads, so the URL you were given stays valid.
      port = message.port ?? port;
      if (!announced) {
        announced = true;
        io.stdout.write(hints(message.url, keyPath, values['extension-id'], style));
      } else io.stdout.write(style.green(`reloaded, listening on ${message.url}\n`));
    });
    worker.on('exit', (code, signal) => {
      if (child === worker && signal === null && code !== 0)
        io.stderr.write(style.red(`the extension stopped (exit code ${code}); fix it and save to restart\n`));
    });
    child = worker;
  };
  const stop = async () => {
    const worker = child;
    child = undefined;
    if (!worker || worker.exitCode !== null || worker.signalCode !== null) return;
    const exited = new Promise((done) => worker.once('exit', done));
    worker.kill('SIGTERM');
    const timer = setTimeout(() => worker.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };

  start();
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let restarting = Promise.resolve();
  if (!values.once) {
    watchers = watchTree(dirname(modulePath), (file) => {
      clearTimeout(timer);
      // Editors write a file in several steps: wait for the burst to end.
      timer = setTimeout(() => {
        io.stdout.write(style.dim(`change in ${relative(io.cwd, file)}, reloading\n`));
        restarting = restarting.then(stop).then(start);
      }, 150);
    });
  }

  await new Promise<void>((done) => {
    if (io.signal?.aborted) return done();
    io.signal?.addEventListener('abort', () => done(), { once: true });
  });
  clearTimeout(timer);
  for (const watcher of watchers) watcher.close();
  await restarting;
  await stop();
  return 0;
}

/**
 * Watches a folder for changes without descending into node_modules, .git, ... (Node's recursive
 * watch on Linux walks every subfolder, which is slow and can exhaust inotify watches there).
 */
function watchTree(root: string, onChange: (file: string) => void): FSWatcher[] {
  const watchers = [
    watch(root, (_event, file) => {
      if (file && !IGNORED.test(String(file))) onChange(resolve(root, String(file)));
    }),
  ];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || IGNORED.test(entry.name) || entry.name.startsWith('.')) continue;
    const dir = join(root, entry.name);
    watchers.push(
      watch(dir, { recursive: true }, (_event, file) => {
        if (file && !IGNORED.test(String(file))) onChange(resolve(dir, String(file)));
      }),
    );
  }
  return watchers;
}

/** tsx from the project (or next to cekit), as a file URL so the worker finds it from any cwd. */
function tsxLoader(cwd: string): string {
  for (const base of [join(cwd, 'package.json'), fileURLToPath(import.meta.url)]) {
    try {
      return pathToFileURL(createRequire(base).resolve('tsx')).href;
    } catch {
      // Not installed there; try the next place.
    }
  }
  throw new UsageError(
    'TypeScript modules need tsx: npm install -D tsx (or point cekit dev at built JavaScript)',
  );
}

function hints(
  url: string,
  keyPath: string,
  extensionId: string | undefined,
  style: ReturnType<typeof styleFor>,
) {
  const id = extensionId ?? '<your Extension ID>';
  return (
    `${style.green('extension ready')} on ${style.bold(url)} (trusts ${keyPath})\n\n` +
    `Talk to it:\n` +
    `  npx cekit simulate ${url} --key ${keyPath} --extension-id ${id}\n` +
    `Audit it:\n` +
    `  npx cekit check ${url} --key ${keyPath} --extension-id ${id}\n` +
    `Or with curl (request.json holds a CEK request body):\n` +
    `  npx cekit sign --key ${keyPath} --curl ${url} request.json | sh\n\n` +
    style.dim('Watching for changes; Ctrl+C stops.\n')
  );
}
