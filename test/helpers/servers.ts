/**
 * Real Redis and PostgreSQL servers for tests: each started from the Debian packages on a free
 * loopback port in its own temporary directory, stopped by the test. Nothing here is a mock; a
 * missing server binary fails the test with what to install (`.ci/run` installs both).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TestServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Stops the server (the data directory is kept for `start()`). */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Freezes every process of the server (SIGSTOP): connections stay open, nothing answers. */
  pause(): void;
  /** Undoes `pause()`. */
  resume(): void;
  /** Stops the server and removes its directory. */
  destroy(): Promise<void>;
}

export interface RedisServer extends TestServer {
  /** `redis://[:password@]127.0.0.1:port` */
  readonly url: string;
}

export interface PostgresServer extends TestServer {
  readonly user: 'cekit';
  readonly database: 'postgres';
  readonly password: string | undefined;
  /** `postgres://cekit[:password]@127.0.0.1:port/postgres` */
  readonly connectionString: string;
}

const INSTALL_HINT =
  'install it with `apt-get install redis-server postgresql` (Debian), or run `bash .ci/run`';

/** A port nothing listens on right now (the kernel's pick, released for the server to take). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Starts `redis-server`; with `password`, clients must authenticate. */
export async function startRedis(options: { password?: string } = {}): Promise<RedisServer> {
  const binary = findOnPath('redis-server');
  if (!binary) throw new Error(`redis-server is not installed: ${INSTALL_HINT}.`);
  const directory = await mkdtemp(join(tmpdir(), 'cekit-redis-'));
  const port = await freePort();
  const args = [
    '--port',
    `${port}`,
    '--bind',
    '127.0.0.1',
    '--dir',
    directory,
    '--save',
    '',
    // The append-only file keeps the data across stop()/start(), as TestServer promises (no fsync per write).
    '--appendonly',
    'yes',
    '--appendfsync',
    'no',
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
    ...(options.password ? ['--requirepass', options.password] : []),
  ];
  const process = new ServerProcess(
    'redis-server',
    () => spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true }),
    async () => {
      const reply = await talk(port, 'PING\r\n');
      return reply.startsWith('+PONG') || reply.startsWith('-NOAUTH');
    },
  );
  await process.start();
  return {
    host: '127.0.0.1',
    port,
    url: `redis://${options.password ? `:${encodeURIComponent(options.password)}@` : ''}127.0.0.1:${port}`,
    ...process.controls(directory),
  };
}

/** Starts a PostgreSQL cluster made by `initdb` (as the `postgres` user when running as root). */
export async function startPostgres(options: { password?: string } = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(`PostgreSQL (initdb, postgres) is not installed: ${INSTALL_HINT}.`);
  const owner = unprivilegedOwner();
  const directory = await mkdtemp(join(tmpdir(), 'cekit-postgres-'));
  const data = join(directory, 'data');
  if (owner) await chown(directory, owner.uid, owner.gid);
  await chmod(directory, 0o700);
  const as = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const initArgs = ['-D', data, '-U', 'cekit', '--no-sync', '-E', 'UTF8', '--locale=C'];
  if (options.password) {
    const pwfile = join(directory, 'pwfile');
    await writeFile(pwfile, `${options.password}\n`, { mode: 0o600 });
    if (owner) await chown(pwfile, owner.uid, owner.gid);
    initArgs.push('--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`);
  } else initArgs.push('--auth=trust');
  const init = spawnSync(join(bin, 'initdb'), initArgs, { ...as, encoding: 'utf8' });
  if (init.status !== 0)
    throw new Error(`initdb failed (status ${init.status}): ${init.stderr || init.error}`);
  const port = await freePort();
  const args = [
    '-D',
    data,
    '-p',
    `${port}`,
    '-k',
    directory,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
    '-c',
    'shared_buffers=32MB',
  ];
  const process = new ServerProcess(
    'postgres',
    () => spawn(join(bin, 'postgres'), args, { ...as, stdio: ['ignore', 'ignore', 'pipe'], detached: true }),
    async () => {
      const ready = spawnSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', `${port}`, '-t', '1'], {
        encoding: 'utf8',
      });
      return ready.status === 0;
    },
  );
  await process.start();
  const password = options.password;
  return {
    host: '127.0.0.1',
    port,
    user: 'cekit',
    database: 'postgres',
    password,
    connectionString: `postgres://cekit${password ? `:${encodeURIComponent(password)}` : ''}@127.0.0.1:${port}/postgres`,
    ...process.controls(directory),
  };
}

/** One server process: started detached (its own process group, so pause() reaches its children). */
class ServerProcess {
  private child: ChildProcess | undefined;
  private stderr = '';

  constructor(
    private readonly name: string,
    private readonly launch: () => ChildProcess,
    private readonly ready: () => Promise<boolean>,
  ) {}

  async start(): Promise<void> {
    const child = this.launch();
    this.child = child;
    this.stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(
          `${this.name} exited at start-up (${child.exitCode ?? child.signalCode}): ${this.stderr}`,
        );
      if (await this.ready().catch(() => false)) return;
      await sleep(50);
    }
    await this.stop();
    throw new Error(`${this.name} did not become ready within 30 s: ${this.stderr}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    this.signal(child, 'SIGCONT'); // a paused server cannot shut down
    this.signal(child, 'SIGINT'); // postgres: fast shutdown; redis: shutdown without saving (--save '')
    const timer = setTimeout(() => this.signal(child, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  pause(): void {
    if (this.child) this.signal(this.child, 'SIGSTOP');
  }

  resume(): void {
    if (this.child) this.signal(this.child, 'SIGCONT');
  }

  controls(directory: string) {
    return {
      stop: () => this.stop(),
      start: () => this.start(),
      pause: () => this.pause(),
      resume: () => this.resume(),
      destroy: async () => {
        await this.stop();
        await rm(directory, { recursive: true, force: true });
      },
    };
  }

  private signal(child: ChildProcess, signal: NodeJS.Signals): void {
    // The whole group, and every descendant: PostgreSQL backends call setsid(), leaving the group.
    for (const pid of [-child.pid!, ...descendants(child.pid!)]) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  }
}

/** Every process below `root` (Linux /proc; none found elsewhere). */
function descendants(root: number): number[] {
  const parents = new Map<number, number[]>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  for (const name of entries) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]); // after "pid (comm) state"
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)]);
    } catch {
      // exited meanwhile
    }
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const child of parents.get(pid) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

/** Sends one line to a local port and returns the first answer (empty on error). */
function talk(port: number, line: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1000, () => socket.destroy());
    socket.once('connect', () => socket.write(line));
    socket.once('data', (data) => {
      resolve(data.toString());
      socket.destroy();
    });
    socket.once('error', () => resolve(''));
    socket.once('close', () => resolve(''));
  });
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat('/usr/sbin', '/usr/bin')) {
    const path = join(dir, name);
    if (dir && existsSync(path)) return path;
  }
  return undefined;
}

/** Debian installs the server binaries per major version under /usr/lib/postgresql; the newest wins. */
function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return join(root, versions[0], 'bin');
  const initdb = findOnPath('initdb');
  return initdb ? join(initdb, '..') : undefined;
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user the package creates. */
function unprivilegedOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) =>
    Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || uid <= 0)
    throw new Error(
      'Running as root, PostgreSQL needs an unprivileged `postgres` user: install the postgresql package.',
    );
  return { uid, gid };
}
