/**
 * A local stand-in for a deployment: a throwaway redis-server, and several instances of the visit
 * counter (instance.ts), each its own process on its own port, all sharing that Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { httpTransport, type Transport } from 'cekit/testing';

export interface RedisServer {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` (it must be installed: `apt install redis-server`, `brew install redis`) on a
 * free loopback port, keeping nothing on disk; resolves once it answers PING.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const directory = await mkdtemp(join(tmpdir(), 'cekit-scale-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', `${port}`, '--bind', '127.0.0.1', '--dir', directory, '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const failed = new Promise<never>((_, reject) =>
    child.once('error', (error) =>
      reject(new Error(`could not start redis-server (is it installed? or set REDIS_URL): ${error.message}`)),
    ),
  );
  failed.catch(() => undefined); // an error after start-up is not this function's to report
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    await rm(directory, { recursive: true, force: true });
  };
  const ready = (async () => {
    for (let tries = 0; tries < 200; tries++) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with status ${child.exitCode}`);
      if (await answersPing(port)) return;
      await sleep(25);
    }
    throw new Error('redis-server did not answer PING within 5 s');
  })();
  try {
    await Promise.race([ready, failed]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis://127.0.0.1:${port}`, stop };
}

export interface Instances {
  /** Each instance's URL, in start order; instance `i` is named `names[i]`. */
  readonly urls: string[];
  readonly names: string[];
  /** Stops every instance (each closes its server, then its Redis client). */
  stop(): Promise<void>;
}

const INSTANCE = fileURLToPath(new URL('./instance.ts', import.meta.url));
/** tsx runs the TypeScript instance directly; a deployment would run the compiled JavaScript instead. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Starts `count` instances of instance.ts as child processes, all on `redisUrl`, trusting
 * `publicKeyPem`, and resolves with their URLs once every one is listening. Their log lines go to
 * `onLog` (default: this process's stderr).
 */
export async function startInstances(options: {
  redisUrl: string;
  publicKeyPem: string;
  count?: number;
  onLog?: (line: string) => void;
}): Promise<Instances> {
  const names = Array.from({ length: options.count ?? 3 }, (_, i) => String.fromCharCode(65 + i)); // A, B, C...
  const children: ChildProcess[] = [];
  const stop = () => Promise.all(children.map(stopChild)).then(() => undefined);
  try {
    const urls = await Promise.all(
      names.map(async (name) => {
        // tsx reads tsconfig.json "paths": this repository's `cekit` resolves to its TypeScript sources.
        const child = spawn(process.execPath, ['--import', TSX, INSTANCE], {
          stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
          env: {
            ...process.env,
            REDIS_URL: options.redisUrl,
            PUBLIC_KEY_PEM: options.publicKeyPem,
            INSTANCE: name,
            PORT: '0',
          },
        });
        children.push(child);
        child.stderr!.setEncoding('utf8').on('data', (text: string) => {
          for (const line of text.split('\n').filter(Boolean))
            (options.onLog ?? ((l) => process.stderr.write(`${l}\n`)))(`[${name}] ${line}`);
        });
        const exited = new Promise<never>((_, reject) =>
          child.once('exit', (code) =>
            reject(new Error(`instance ${name} exited (${code}) before listening`)),
          ),
        );
        exited.catch(() => undefined); // exiting later, when stopped, is no error
        const [message] = (await Promise.race([once(child, 'message'), exited])) as [{ url: string }];
        return message.url;
      }),
    );
    return { urls, names, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** A port nothing listens on now: the kernel's pick, given back for the server to take. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    socket.setTimeout(500, () => socket.destroy());
    socket.once('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.once('close', () => resolve(false));
    socket.once('error', () => resolve(false));
  });
}

/** Sends each request to the next URL in turn, as a round-robin load balancer does. */
export function roundRobin(urls: readonly string[]): Transport {
  const transports = urls.map((url) => httpTransport(url));
  let next = 0;
  return {
    description: `round-robin over ${urls.join(', ')}`,
    send: (request) => transports[next++ % transports.length]!.send(request),
  };
}
