import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startConsole, type RunningConsole } from '../../console/server.js';
import { ConsoleSession } from '../../console/session.js';
import { loadInteractionModel, type InteractionModel } from '../../testing/index.js';
import { DEV_KEY_PATH, devKey, publicKeyPathOf } from '../keys.js';
import { parsePort, readFlagged, styleFor, UsageError, type CliIo, type Style } from '../io.js';
import { resolveFromProjectOrCekit, TS_MODULE } from '../tsx.js';
import { CANNOT_LISTEN, type WorkerReady } from './dev-worker.js';

export const devHelp = `Usage: cekit dev <module> [--port <n>] [--host <addr>] [--trust-cek] [--export <name>] [--extension-id <id>] [--model <path>]

Serves an extension module for local development, reloading it when files change. The module may
call serve() from cekit/node itself, export an extension (or endpoint), or export a factory called
with { verify, extensionId } (default export, or --export <name>). Either way the extension trusts
the development key (${DEV_KEY_PATH}, created on first use) instead of CEK's, so cekit simulate and
cekit check can sign requests; never use it in production (refused when NODE_ENV=production).
TypeScript modules need tsx installed in the project.
It also opens a console for the browser on 127.0.0.1 (its own port, so the extension's endpoint is
untouched): talk to the extension there, see each signed request and its reply, export the dialogue.
  --port <n>            port (default 3000; 0 picks a free one)
  --host <addr>         address to listen on (default 127.0.0.1; 0.0.0.0 for a container or a proxy)
  --trust-cek           also trust CEK's real keys, so the real CEK can call through an HTTPS tunnel
                        (docs/guides/deploying.md); the module's own verify settings are kept
  --region jp|kr        with --trust-cek and a factory: whose CEK keys (default jp)
  --export <name>       the export to serve, when the module has several
  --extension-id <id>   passed to a factory, and shown in the hints
  --key <file>          the development private key (default ${DEV_KEY_PATH})
  --once                do not watch for changes
  --model <path>        the interaction model the console resolves sentences with
                        (default models/interaction-model.json when it exists)
  --access-token <token>  the account-linking token the console's Clova Home requests carry
  --console-port <n>    the console's port (default the extension's port + 1, or a free one if taken)
  --no-console          do not start the console
`;

const IGNORED = /(^|[/\\])(node_modules|\.git|\.cekit|dist|coverage)([/\\]|$)/;
/** What a reload is for: code, JSON (package.json, models) and TSV models, .env; not logs, swap files or output. */
const WATCHED = /\.([mc]?[jt]sx?|json|tsv)$|(^|[/\\])\.env$/;
const relevant = (file: string) => WATCHED.test(file) && !IGNORED.test(file);

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
      host: { type: 'string' },
      'trust-cek': { type: 'boolean' },
      region: { type: 'string' },
      model: { type: 'string' },
      'access-token': { type: 'string' },
      'console-port': { type: 'string' },
      'no-console': { type: 'boolean' },
    },
  });
  if (io.env.NODE_ENV === 'production')
    throw new UsageError(
      'cekit dev trusts a development key and is refused when NODE_ENV=production; serve the extension with serve() from cekit/node',
    );
  if (values.region !== undefined && values.region !== 'jp' && values.region !== 'kr')
    throw new UsageError(`--region is jp or kr, not ${values.region}`);
  if (values.region !== undefined && !values['trust-cek'])
    throw new UsageError('--region chooses whose CEK keys --trust-cek adds; pass --trust-cek too');
  const host = values.host ?? '127.0.0.1';
  const modulePath = positionals[0] && resolve(io.cwd, positionals[0]);
  if (!modulePath || positionals.length > 1) throw new UsageError('Give the extension module to serve');
  if (!existsSync(modulePath)) throw new UsageError(`${positionals[0]} does not exist`);
  let port = parsePort('--port', values.port ?? '3000');
  const consolePort =
    values['console-port'] === undefined ? undefined : parsePort('--console-port', values['console-port']);
  const withConsole = !values['no-console'];
  const model = withConsole ? await consoleModel(values.model, io) : undefined;
  const requestedPort = port;

  const keyPath = values.key ?? DEV_KEY_PATH;
  const { keys, created } = await devKey(io.cwd, keyPath);
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
    '--host',
    host,
    ...(values['trust-cek'] ? ['--trust-cek'] : []),
    ...(values.region ? ['--region', values.region] : []),
    ...(values.export ? ['--export', values.export] : []),
    ...(values['extension-id'] ? ['--extension-id', values['extension-id']] : []),
  ];

  let child: ChildProcess | undefined;
  let announced = false;
  let stopping = false;
  /** The console, started after the first `ready` and kept across reloads (the worker's URL does not change). */
  let consoleStarted: Promise<RunningConsole | undefined> = Promise.resolve(undefined);
  const openConsole = async (ready: WorkerReady): Promise<RunningConsole | undefined> => {
    const session = new ConsoleSession({
      target: localUrl(ready.url),
      keys,
      kinds: [...ready.kinds],
      ...(ready.extensionIds[0] ? { extensionId: ready.extensionIds[0] } : {}),
      ...(model ? { model } : {}),
      ...(values['access-token'] !== undefined ? { homeAccessToken: values['access-token'] } : {}),
    });
    const log = (message: string) => io.stderr.write(`${message}\n`);
    // Beside the extension by default (3000 → 3001); with --port 0, a free port like the extension's.
    const wanted = consolePort ?? (requestedPort === 0 || ready.port >= 65535 ? 0 : ready.port + 1);
    // A taken default port is no reason to go without the console: any free one will do.
    const ports = consolePort === undefined && wanted !== 0 ? [wanted, 0] : [wanted];
    let failure = '';
    for (const candidate of ports) {
      try {
        return await startConsole({ session, port: candidate, log });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        failure = code === 'EADDRINUSE' ? `port ${candidate} is in use` : (error as Error).message;
      }
    }
    io.stderr.write(
      style.yellow(`the console did not start (${failure}): pass --console-port <n>, or --no-console\n`),
    );
    return undefined;
  };
  const start = () => {
    const worker = spawn(process.execPath, workerArgs(), {
      cwd: io.cwd,
      env: { ...io.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    worker.stdout!.on('data', (chunk: Buffer) => io.stdout.write(chunk.toString()));
    worker.stderr!.on('data', (chunk: Buffer) => io.stderr.write(chunk.toString()));
    worker.on('message', (ready: WorkerReady) => {
      // Keep the port across reloads, so the URL you were given stays valid.
      port = ready.port;
      if (stopping) return;
      if (!announced) {
        announced = true;
        if (withConsole) consoleStarted = openConsole(ready);
        void consoleStarted.then((running) =>
          io.stdout.write(
            hints(
              ready,
              {
                keyPath,
                trustCek: values['trust-cek'] === true,
                watching: !values.once,
                ...(running ? { console: running.url } : {}),
              },
              style,
            ),
          ),
        );
      } else io.stdout.write(style.green(`reloaded, listening on ${ready.url}\n`));
    });
    worker.on('exit', (code, signal) => {
      if (child !== worker || signal !== null || code === 0) return;
      // A port in use does not get better on save: at the first start, stop with the worker's message.
      if (code === CANNOT_LISTEN && !announced) return cannotListen();
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

  let exitCode = 0;
  let cannotListen!: () => void;
  await new Promise<void>((done) => {
    cannotListen = () => {
      exitCode = 1;
      done();
    };
    if (io.signal?.aborted) return done();
    io.signal?.addEventListener('abort', () => done(), { once: true });
  });
  stopping = true;
  clearTimeout(timer);
  for (const watcher of watchers) watcher.close();
  await restarting;
  await stop();
  await (await consoleStarted)?.close();
  return exitCode;
}

/**
 * Watches a folder for changes without descending into node_modules, .git, ... (Node's recursive
 * watch on Linux walks every subfolder, which is slow and can exhaust inotify watches there).
 */
function watchTree(root: string, onChange: (file: string) => void): FSWatcher[] {
  const watchers = [
    watch(root, (_event, file) => {
      if (file && relevant(String(file))) onChange(resolve(root, String(file)));
    }),
  ];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || IGNORED.test(entry.name) || entry.name.startsWith('.')) continue;
    const dir = join(root, entry.name);
    watchers.push(
      watch(dir, { recursive: true }, (_event, file) => {
        if (file && relevant(String(file))) onChange(resolve(dir, String(file)));
      }),
    );
  }
  return watchers;
}

/** tsx from the project (or next to cekit), as a file URL so the worker finds it from any cwd. */
function tsxLoader(cwd: string): string {
  const [tsx] = resolveFromProjectOrCekit(cwd, 'tsx');
  if (tsx !== undefined) return pathToFileURL(tsx).href;
  throw new UsageError(
    'TypeScript modules need tsx: npm install -D tsx (or point cekit dev at built JavaScript)',
  );
}

/** A server listening on every address is reached on loopback from this machine. */
const localUrl = (url: string) => url.replace(/\/\/(0\.0\.0\.0|\[::\])(?=:)/, '//127.0.0.1');

/**
 * The model the console resolves sentences with: --model, else the one `cekit init` creates when it is
 * there. A broken default model does not stop dev: the console then takes /intent lines only.
 */
async function consoleModel(path: string | undefined, io: CliIo): Promise<InteractionModel | undefined> {
  if (path !== undefined)
    return readFlagged('--model', path, io.cwd, loadInteractionModel, {
      missing: 'no such file or folder',
      others: 'throw',
    });
  const fallback = join(io.cwd, 'models', 'interaction-model.json');
  if (!existsSync(fallback)) return undefined;
  try {
    return await loadInteractionModel(fallback);
  } catch (error) {
    io.stderr.write(`the console does not use models/interaction-model.json: ${(error as Error).message}\n`);
    return undefined;
  }
}

function hints(
  ready: WorkerReady,
  dev: { keyPath: string; trustCek: boolean; watching: boolean; console?: string },
  style: Style,
) {
  const url = localUrl(ready.url);
  const key = `--key ${dev.keyPath}`;
  const lines = [
    `${style.green('extension ready')} on ${style.bold(ready.url)} (trusts ${dev.keyPath}${dev.trustCek ? " and CEK's keys" : ''})`,
    ...(dev.console ? [`console: ${style.bold(dev.console)} (talk to it in the browser)`] : []),
    '',
  ];
  if (ready.kinds.includes('custom')) {
    const id = `--extension-id ${ready.extensionIds[0] ?? '<your Extension ID>'}`;
    lines.push(
      'Talk to it (add --model <file> to type sentences):',
      `  npx cekit simulate ${url} ${key} ${id}`,
      'Audit it:',
      `  npx cekit check ${url} ${key} ${id}`,
    );
  }
  if (ready.kinds.includes('home')) {
    const token = '--access-token <a token your authenticate() accepts>';
    lines.push(
      'Talk to it (then type /home discover):',
      `  npx cekit simulate ${url} ${key} ${token}`,
      'Audit it:',
      `  npx cekit check ${url} ${key} --kind home ${token}`,
    );
  }
  lines.push(
    'Or with curl (request.json holds a CEK request body):',
    `  npx cekit sign ${key} --curl ${url} request.json | sh`,
    '',
  );
  if (dev.trustCek)
    lines.push(
      style.yellow(
        'The real CEK can call it once an HTTPS tunnel or proxy forwards to it: docs/guides/deploying.md',
      ),
    );
  lines.push(style.dim(dev.watching ? 'Watching for changes; Ctrl+C stops.' : 'Ctrl+C stops.'), '');
  return lines.join('\n');
}
