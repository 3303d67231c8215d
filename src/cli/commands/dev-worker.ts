import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { EndpointSource } from '../../core/endpoint.js';
import { serve } from '../../adapters/node.js';
import { UsageError } from '../io.js';

/**
 * The worker side of `cekit dev` (hidden command `__serve`): imports the module, builds the extension
 * with verify options trusting only the development key, and serves it on loopback.
 */
export async function serveModule(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'public-key': { type: 'string' },
      port: { type: 'string' },
      export: { type: 'string' },
      'extension-id': { type: 'string' },
    },
  });
  const modulePath = positionals[0];
  if (!modulePath || !values['public-key']) throw new UsageError('__serve <module> --public-key <file>');
  const publicKeyPem = await readFile(values['public-key'], 'utf8');
  const loaded = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  const factory = pickFactory(loaded, values.export);
  const source = (await factory({
    verify: { keys: [publicKeyPem], bundledKey: false, keyUrl: false },
    ...(values['extension-id'] ? { extensionId: values['extension-id'] } : {}),
  })) as EndpointSource;
  if (typeof source !== 'object' || source === null || !('endpoint' in source || 'handle' in source))
    throw new UsageError(
      'The factory must return an extension (createExtension) or an endpoint (createEndpoint)',
    );
  const server = await serve(source, {
    port: Number(values.port ?? 3000),
    host: '127.0.0.1',
    handleSignals: false,
  });
  process.send?.({ url: server.url, port: server.port });
  // The parent stops the worker with SIGTERM (reload, Ctrl+C); the IPC channel would keep it alive.
  return new Promise<number>((done) => {
    const stop = () =>
      void server.close().then(() => {
        process.disconnect?.();
        done(0);
      });
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    process.once('disconnect', stop);
  });
}

function pickFactory(loaded: Record<string, unknown>, name: string | undefined) {
  if (name !== undefined) {
    if (typeof loaded[name] !== 'function')
      throw new UsageError(`The module has no exported function "${name}"`);
    return loaded[name] as (options: object) => unknown;
  }
  if (typeof loaded.default === 'function') return loaded.default as (options: object) => unknown;
  const functions = Object.entries(loaded).filter(([, value]) => typeof value === 'function');
  if (functions.length === 1) return functions[0]![1] as (options: object) => unknown;
  throw new UsageError(
    `Export a factory as default (or name it with --export): export default (options) => createExtension({ ...options, ... })` +
      (functions.length ? `; exported functions: ${functions.map(([n]) => n).join(', ')}` : ''),
  );
}
