// A throwaway redis-server for the store rows: a free loopback port, no persistence (the rows measure
// the extension process, not Redis's disk), stopped with the row. Off the server's CPU 0 when the
// machine has another, so Redis does not take CPU time from the process being measured.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { hasTaskset } from './taskset.mjs';

export async function startRedisServer() {
  const binary = findOnPath('redis-server');
  if (!binary)
    throw new Error(
      'redis-server is not installed (Debian: apt-get install redis-server); the redis rows need it',
    );
  const port = await freePort();
  const args = ['--port', `${port}`, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const cpus = availableParallelism();
  const [command, argv] =
    cpus > 1 && hasTaskset() ? ['taskset', ['-c', `1-${cpus - 1}`, binary, ...args]] : [binary, args];
  const child = spawn(command, argv, { stdio: 'ignore' });
  // The row host may exit before close() finishes: never leave the server behind.
  process.once('exit', () => child.kill('SIGKILL'));
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(port))) {
    if (child.exitCode !== null) throw new Error(`redis-server exited at start-up (${child.exitCode})`);
    if (Date.now() > deadline) throw new Error('redis-server did not answer PING within 10 s');
    await sleep(20);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function answersPing(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.once('error', () => resolve(false));
  });
}

function findOnPath(name) {
  const dirs = (process.env.PATH ?? '').split(':').concat('/usr/sbin', '/usr/bin');
  return dirs.map((dir) => join(dir, name)).find((path) => existsSync(path));
}
