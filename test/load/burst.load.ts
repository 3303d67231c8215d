import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { EXTENSION_ID, intentRequest, keys } from '../custom/harness.js';

// Issue 10 item 2: the response budget counts from each request's arrival, so a burst of requests
// to a handler that never answers still gets every fallback out before CEK's 8 s deadline. The
// server runs alone on one core (pinned when taskset exists); the load comes from this process over
// connections opened beforehand (as CEK's connection pool would hold them), so what is measured is
// the server's time from the request's bytes being sent to its answer's last byte.
const BURST = 1000;
/** The documented bound: every answer leaves within 7 s of its request (budget 6.5 s + margin). */
const BOUND_MS = 7000;

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const SERVER = fileURLToPath(new URL('./burst-server.ts', import.meta.url));
const pinned = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const nodeArgs = ['--import', TSX, SERVER, keys.publicKeyPem, EXTENSION_ID];
const child = pinned
  ? spawn('taskset', ['-c', '0', process.execPath, ...nodeArgs], { stdio: ['ignore', 'pipe', 'inherit'] })
  : spawn(process.execPath, nodeArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
const sockets: Socket[] = [];
afterAll(() => {
  for (const socket of sockets) socket.destroy();
  child.kill('SIGKILL');
});

function rawRequest(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message));
  const head =
    `POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
    `content-length: ${body.length}\r\nsignaturecek: ${keys.sign(body)}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), body]);
}

/** Resolves with the time the whole answer (headers and a body of Content-Length bytes) was read. */
function answerOn(socket: Socket): Promise<{ at: number; text: string }> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text)?.[1];
      if (end !== -1 && length !== undefined && Buffer.byteLength(text) - end - 4 >= Number(length))
        resolve({ at: performance.now(), text });
    });
    socket.on('error', reject);
  });
}

it(`answers a burst of ${BURST} requests to a hanging handler within ${BOUND_MS} ms each`, async () => {
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const port = Number(String(line).trim());
  // Warm up, as a running server is: the first requests compile the code paths.
  const warm = rawRequest(intentRequest('Warm'));
  for (let i = 0; i < 50; i++) {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    socket.write(warm);
    await answerOn(socket);
    socket.destroy();
  }
  // Open the connections in batches below the listen backlog, then send every request at once.
  const hang = rawRequest(intentRequest('Hang'));
  const open: Socket[] = [];
  for (let i = 0; i < BURST; i += 100) {
    const batch = Array.from({ length: Math.min(100, BURST - i) }, () => connect(port, '127.0.0.1'));
    await Promise.all(batch.map((socket) => once(socket, 'connect')));
    open.push(...batch);
  }
  sockets.push(...open);
  const answers = open.map((socket) => {
    const answer = answerOn(socket);
    const sent = performance.now();
    socket.write(hang);
    return answer.then(({ at, text }) => ({ ms: at - sent, text }));
  });
  const done = await Promise.all(answers);
  const times = done.map((answer) => answer.ms).sort((a, b) => a - b);
  const p = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]!);
  console.log(
    `burst of ${BURST} (${pinned ? 'server pinned to one core' : 'server not pinned'}): ` +
      `p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, p100 ${p(1)} ms`,
  );
  for (const { text } of done) {
    expect(text.startsWith('HTTP/1.1 200 ')).toBe(true);
    // The fallback speech, not silence: the handler never answered.
    expect(text).toContain('"shouldEndSession":true');
  }
  expect(p(0.5)).toBeGreaterThanOrEqual(6400);
  expect(p(1)).toBeLessThanOrEqual(BOUND_MS);
}, 40_000);
