import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { EndpointSource } from '../../core/endpoint.js';
import { openDevSession } from '../../core/dev-session.js';
import { ConfigurationError } from '../../core/errors.js';
import type { MessageKind } from '../../core/message-kind.js';
import { serve } from '../../adapters/node.js';
import { UsageError } from '../io.js';

/** What the worker tells `cekit dev` once it listens. */
export interface WorkerReady {
  url: string;
  port: number;
  kinds: MessageKind[];
  extensionIds: string[];
}

/** Exit code of a worker that could not listen: reloading would not help, so `cekit dev` stops. */
export const CANNOT_LISTEN = 78;

type ServerHandle = { url: string; port: number; close(): Promise<void> };

/**
 * The worker side of `cekit dev` (hidden command `__serve`). It opens a dev session, so whatever
 * extension the module builds trusts the development key, then imports the module. A module that
 * calls `serve()` itself is served where `cekit dev` says; one that exports an extension, an
 * endpoint or a factory is served by the worker. Failures are printed as one clear message (with the
 * stack only when it points into the user's own code), and the process exits: `cekit dev` restarts
 * it on the next change.
 */
export async function serveModule(args: string[]): Promise<number> {
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  try {
    await serveOnce(args);
  } catch (error) {
    fail(error);
  }
  // Runs until `cekit dev` stops it (see below); the IPC channel keeps the process alive meanwhile.
  return new Promise<number>(() => undefined);
}

async function serveOnce(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'public-key': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      export: { type: 'string' },
      'extension-id': { type: 'string' },
      'trust-cek': { type: 'boolean' },
      region: { type: 'string' },
    },
  });
  const modulePath = positionals[0];
  if (!modulePath || !values['public-key']) throw new UsageError('__serve <module> --public-key <file>');

  const devKeyPem = await readFile(values['public-key'], 'utf8');
  const trustCek = values['trust-cek'] === true;
  const kinds = new Set<MessageKind>();
  const extensionIds = new Set<string>();
  let claimed = false;
  let listening!: (server: ServerHandle) => void;
  const served = new Promise<ServerHandle>((resolve) => (listening = resolve));
  const port = Number(values.port ?? 3000);
  const host = values.host ?? '127.0.0.1';
  openDevSession({
    devKeyPem,
    trustCek,
    port,
    host,
    endpointCreated(info) {
      for (const kind of info.kinds) kinds.add(kind);
      for (const id of info.extensionIds) extensionIds.add(id);
    },
    claimAddress() {
      if (claimed)
        throw new UsageError('cekit dev serves one server per module, and this module called serve() twice');
      claimed = true;
      return { port, host };
    },
    listening,
  });

  const loaded = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  // A module that called serve() (awaited or not) has claimed the address: wait for it to listen.
  if (!claimed) {
    const verify = trustCek
      ? { region: values.region === 'kr' ? ('kr' as const) : ('jp' as const), keys: [devKeyPem] }
      : { keys: [devKeyPem], bundledKey: false, keyUrl: false as const };
    const extensionId = values['extension-id'];
    await serve(await sourceOf(loaded, values.export, { verify, ...(extensionId ? { extensionId } : {}) }));
  }
  const server = await served;
  const ready: WorkerReady = {
    url: server.url,
    port: server.port,
    kinds: [...kinds],
    extensionIds: [...extensionIds],
  };
  process.send?.(ready);

  // `cekit dev` stops the worker with SIGTERM (reload, Ctrl+C), or just goes away: finish in-flight
  // requests, then exit. Exiting (rather than disconnecting the IPC channel, which may already be
  // gone) is what keeps a reload free of ERR_IPC_DISCONNECTED traces.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void server.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
}

/** Prints why the module could not be served and exits; `cekit dev` waits for the next change. */
function fail(error: unknown): never {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const cannotListen = code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL';
  process.stderr.write(`${cannotListen ? listenProblem(error as Error) : describe(error)}\n`);
  process.exit(cannotListen ? CANNOT_LISTEN : 1);
}

/** Node's listen error (kept as the `cause` of serve()'s) carries the address and port it tried. */
function listenProblem(error: Error): string {
  const { code, address, port } = (error.cause ?? error) as {
    code?: string;
    address?: string;
    port?: number;
  };
  const where = `${address}:${port}`;
  if (code === 'EADDRINUSE')
    return `Port ${port} is already in use on ${address} (another cekit dev?): stop it, or pass --port <n> to cekit dev (--port 0 picks a free one)`;
  if (code === 'EACCES') return `Not allowed to listen on ${where}: pass --port with a port above 1023`;
  return `Cannot listen on ${where}: ${address} is not an address of this machine; check --host`;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof UsageError || error instanceof ConfigurationError) return error.message;
  // The user's own code threw: its stack is what they need, down to where cekit dev imported it.
  const lines = (error.stack ?? error.message).split('\n');
  const own = lines.findIndex((line) => /\bat (async )?(serveOnce|serveModule)\b/.test(line));
  return lines
    .slice(0, own === -1 ? undefined : own)
    .filter((line) => !/\(node:|at node:/.test(line))
    .join('\n');
}

type Factory = (options: object) => unknown;

const isSource = (value: unknown): value is EndpointSource =>
  typeof value === 'object' &&
  value !== null &&
  (typeof (value as { handle?: unknown }).handle === 'function' || 'endpoint' in value);

/**
 * What the module offers to serve: the `--export` named, else the default export, else its only
 * extension/endpoint export, else its only exported function (a factory called with the dev options).
 */
async function sourceOf(
  loaded: Record<string, unknown>,
  name: string | undefined,
  options: object,
): Promise<EndpointSource> {
  const candidates = exportCandidates(loaded, name);
  const sources = candidates.filter(isSource);
  const factories = candidates.filter((value): value is Factory => typeof value === 'function');
  if (sources.length === 1) return sources[0]!;
  if (sources.length === 0 && factories.length === 1) {
    const built = await factories[0]!(options);
    if (isSource(built)) return built;
    throw new UsageError(
      'The exported function did not return an extension (createExtension, createHomeExtension) or an endpoint (createEndpoint)',
    );
  }
  throw new UsageError(
    (sources.length + factories.length > 1
      ? `The module exports several things cekit dev could serve (${exportList(loaded)}); pick one with --export <name>. `
      : 'The module neither calls serve() nor exports an extension. ') +
      'Either end it with `await serve(app)` (from cekit/node), or `export default app`, or export a factory: ' +
      '`export default (options) => createExtension({ ...options, extensionId })`.',
  );
}

/**
 * The exports to look at, by cekit's conventions: the one named (`--export`), else the default export,
 * else all of them. Shared with `cekit model check`, which looks for the extension the same way.
 */
export function exportCandidates(loaded: Record<string, unknown>, name: string | undefined): unknown[] {
  if (name !== undefined && !(name in loaded))
    throw new UsageError(`The module has no export "${name}"; it exports: ${exportList(loaded)}`);
  return name !== undefined
    ? [loaded[name]]
    : loaded.default !== undefined
      ? [loaded.default]
      : Object.values(loaded);
}

const exportList = (loaded: Record<string, unknown>) => Object.keys(loaded).join(', ') || 'nothing';
