// `npm run soak`: a bounded soak test on loopback. Starts one bench row's server (default
// cekit-node, the built package from dist/) in a child process, drives it with a steady mix of
// genuine CEK-signed requests and forged ones for a few minutes, and prints one line per interval:
// requests, errors, latency percentiles and the server's memory. It fails (exit code 1) on any 5xx,
// any connection error, a crash, a genuine request that did not get 200, or a forged one that got
// anything but 401/403. See bench/README.md.
//
// Flags: --minutes <n> | --seconds <n> (default 3 minutes)  --interval <s> (default 60)
//        --forged-ratio <0..1> (default 0.1)  --rate <req/s> (default 1000; 0 = as fast as possible)
//        --connections <n> (default 8)  --row <bench row> (default cekit-node)
//        --max-rss-growth-mb <n> (also fail when RSS grows more)  --json
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { commandLine } from './lib/flags.mjs';
import { resolvePayload } from './lib/vector.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const { fail, parse, positive, nonNegative, ratio } = commandLine('soak');
/** What each request must get: a genuine one 200, a forged one a refusal of its signature. */
const GENUINE = [200];
const FORGED = [401, 403];
const args = parseArgs(process.argv.slice(2));
// With --json, progress goes to stderr and stdout carries only the final JSON line.
const log = args.json ? (line) => console.error(line) : (line) => console.log(line);

const rowFile = `${HERE}servers/${args.row}.mjs`;
if (!existsSync(rowFile)) fail(`no bench row named ${args.row} (bench/servers/${args.row}.mjs)`);
const { row } = await import(pathToFileURL(rowFile).href);
const payload = resolvePayload(row.payload);
const port = 20_000 + Math.floor(Math.random() * 20_000);

log(
  `cekit soak: row ${row.name}, ${args.seconds} s in intervals of ${args.interval} s, ` +
    `${args.rate ? `${args.rate} req/s` : 'as fast as possible'} on ${args.connections} connections, ` +
    `${Math.round(args.forgedRatio * 100)}% forged`,
);

const server = startServer(port);
const ready = await server.ready;
const traffic = buildTraffic(payload, ready.headers ?? {}, args.forgedRatio);
const stats = intervalStats();
const load = startLoad(port, traffic, stats);

const intervals = [];
const ends = intervalEnds(args.seconds, args.interval);
const started = performance.now();
for (const [i, end] of ends.entries()) {
  // A crash ends the interval at once: there is nothing left to measure.
  await Promise.race([sleep(started + end * 1000 - performance.now()), server.exited]);
  const snapshot = stats.take();
  const memory = server.crashed ? undefined : await server.memory();
  const line = summarise(i + 1, i === 0 ? 0 : ends[i - 1], end, snapshot, memory);
  intervals.push(line);
  log(formatInterval(line, ends.length));
  if (server.crashed) break;
}
await load.stop();
await server.stop();

const result = conclude(intervals, server.crashed);
for (const line of formatConclusion(result)) log(line);
if (args.json) console.log(JSON.stringify(result));
process.exitCode = result.ok ? 0 : 1;

// ---------------------------------------------------------------------------------------------
// The server.
// ---------------------------------------------------------------------------------------------

/** Forks the row's server, with an IPC channel for `ready` and memory samples. */
function startServer(listenPort) {
  const child = fork(`${HERE}lib/host.mjs`, [rowFile], {
    env: {
      ...process.env,
      PORT: String(listenPort),
      BENCH_PUBLIC_KEY_PEM: payload.publicKeyPem ?? '',
      NODE_ENV: 'production',
    },
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const handle = { crashed: undefined };
  let stopping = false;
  handle.exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      // Exiting when asked to stop is the normal end; any other exit is a crash.
      if (!stopping) handle.crashed = { code, signal };
      resolve();
    }),
  );
  handle.ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start within 20 s')), 20_000);
    child.on('message', (message) => {
      if (message?.ready) {
        clearTimeout(timer);
        resolve(message);
      }
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before it was ready`)));
  });
  let nextId = 0;
  /** RSS and heap after a full GC, in bytes; undefined when the server does not answer in 5 s. */
  handle.memory = () =>
    new Promise((resolve) => {
      const id = ++nextId;
      const timer = setTimeout(() => finish(undefined), 5000);
      const onMessage = (message) => message?.type === 'memory' && message.id === id && finish(message);
      function finish(value) {
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(value);
      }
      child.on('message', onMessage);
      child.send({ type: 'memory', id });
    });
  handle.stop = async () => {
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await handle.exited;
  };
  return handle;
}

// ---------------------------------------------------------------------------------------------
// The traffic: genuine requests with forged ones spread evenly among them.
// ---------------------------------------------------------------------------------------------

/**
 * One cycle of requests, `ratio` of them forged, spread evenly (every tenth for 0.1) rather than in
 * bursts. Forgeries: a signature with one bit flipped, a body with one character changed under the
 * real signature, no signature, and a random one.
 */
function buildTraffic({ body, signature }, extraHeaders, ratio) {
  const headers = (sig) => ({
    'content-type': 'application/json;charset=UTF-8',
    ...extraHeaders,
    ...(sig === undefined ? {} : { signaturecek: sig }),
  });
  const genuine = { kind: 'genuine', headers: headers(signature), body, expect: GENUINE };
  const forgeries = [
    { kind: 'forged signature', headers: headers(flipBit(signature)), body, expect: FORGED },
    { kind: 'forged body', headers: headers(signature), body: changeOneCharacter(body), expect: FORGED },
    { kind: 'unsigned', headers: headers(undefined), body, expect: FORGED },
    { kind: 'random signature', headers: headers(randomBytes(256).toString('base64')), body, expect: FORGED },
  ];
  const length = 100;
  const cycle = [];
  let forged = 0;
  for (let i = 0; i < length; i++) {
    // Bresenham: a forged request whenever the running share crosses the next whole request.
    const due = Math.floor((i + 1) * ratio) > Math.floor(i * ratio);
    cycle.push(due ? forgeries[forged++ % forgeries.length] : genuine);
  }
  return cycle;
}

function flipBit(signature) {
  const bytes = Buffer.from(signature, 'base64');
  bytes[bytes.length >> 1] ^= 0x01;
  return bytes.toString('base64');
}

/** The body with its first digit (else first letter) in the middle third replaced: still JSON. */
function changeOneCharacter(body) {
  const text = String(body);
  const from = Math.floor(text.length / 3);
  const match = /[0-9]/.exec(text.slice(from)) ?? /[a-z]/.exec(text.slice(from));
  const at = from + (match?.index ?? 0);
  const replacement = /[0-9]/.test(text[at])
    ? String((Number(text[at]) + 1) % 10)
    : text[at] === 'a'
      ? 'b'
      : 'a';
  return text.slice(0, at) + replacement + text.slice(at + 1);
}

// ---------------------------------------------------------------------------------------------
// The load: `connections` keep-alive workers, each paced to its share of the rate.
// ---------------------------------------------------------------------------------------------

function startLoad(listenPort, cycle, sink) {
  const agent = new Agent({ keepAlive: true, maxSockets: args.connections });
  let stopped = false;
  const gapMs = args.rate > 0 ? (args.connections * 1000) / args.rate : 0;
  const worker = async (id) => {
    // Workers start spread over one gap and at different places in the cycle, so neither the
    // timing nor the forged requests line up across connections.
    let next = performance.now() + (gapMs * id) / args.connections;
    let index = Math.floor((cycle.length * id) / args.connections);
    while (!stopped) {
      if (gapMs > 0) {
        await sleep(next - performance.now());
        // A worker that fell behind (slow answers) starts again from now instead of bursting.
        next = Math.max(next + gapMs, performance.now());
      }
      if (stopped) break;
      const item = cycle[index++ % cycle.length];
      const sentAt = performance.now();
      const outcome = await send(agent, listenPort, item);
      sink.record(item, outcome, performance.now() - sentAt);
    }
  };
  const workers = Array.from({ length: args.connections }, (_, id) => worker(id));
  return {
    async stop() {
      stopped = true;
      await Promise.all(workers);
      agent.destroy();
    },
  };
}

/** One request; resolves with the status and body, or with the error code of a failed exchange. */
function send(agent, listenPort, item) {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: listenPort,
        path: '/',
        method: 'POST',
        agent,
        headers: item.headers,
        timeout: 10_000,
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (error) => resolve({ error: error.code ?? error.message }));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (error) => resolve({ error: error.code ?? error.message }));
    req.end(item.body);
  });
}

// ---------------------------------------------------------------------------------------------
// Statistics.
// ---------------------------------------------------------------------------------------------

/** Counts and latencies since the last `take()`; problems are kept as a few examples. */
function intervalStats() {
  const empty = () => ({
    latencies: [],
    genuine: 0,
    forged: 0,
    serverErrors: 0,
    unexpected: 0,
    connectionErrors: 0,
    examples: [],
  });
  let current = empty();
  return {
    record(item, outcome, ms) {
      current.latencies.push(ms);
      if (item.kind === 'genuine') current.genuine++;
      else current.forged++;
      const problem = problemOf(item, outcome);
      if (problem === undefined) return;
      if (outcome.error) current.connectionErrors++;
      else if (outcome.status >= 500) current.serverErrors++;
      else current.unexpected++;
      if (current.examples.length < 5) current.examples.push(`${item.kind}: ${problem}`);
    },
    take() {
      const taken = current;
      current = empty();
      taken.latencies.sort((a, b) => a - b);
      return taken;
    },
  };
}

/** Why an answer is wrong for its request, or undefined when it is right. */
function problemOf(item, outcome) {
  if (outcome.error) return `connection error ${outcome.error}`;
  const { status, body } = outcome;
  // One line per example, however the server formats its error pages.
  const shown = body.replace(/\s+/g, ' ').slice(0, 160);
  if (!item.expect.includes(status)) return `status ${status}: ${shown}`;
  try {
    const json = JSON.parse(body);
    if (status !== 200 && typeof json?.error?.code !== 'string') return `no error.code: ${shown}`;
  } catch {
    return `a body that is not JSON: ${shown}`;
  }
  return undefined;
}

function summarise(index, startSeconds, endSeconds, snapshot, memory) {
  const seconds = endSeconds - startSeconds;
  const count = snapshot.latencies.length;
  return {
    index,
    endSeconds,
    requests: count,
    reqPerSec: round(count / seconds, 1),
    genuine: snapshot.genuine,
    forged: snapshot.forged,
    errors: snapshot.serverErrors + snapshot.unexpected + snapshot.connectionErrors,
    serverErrors: snapshot.serverErrors,
    unexpected: snapshot.unexpected,
    connectionErrors: snapshot.connectionErrors,
    p50Ms: round(percentile(snapshot.latencies, 0.5), 2),
    p99Ms: round(percentile(snapshot.latencies, 0.99), 2),
    maxMs: round(snapshot.latencies.at(-1) ?? 0, 2),
    rssMb: memory ? round(memory.rss / 2 ** 20, 1) : null,
    heapUsedMb: memory ? round(memory.heapUsed / 2 ** 20, 1) : null,
    examples: snapshot.examples,
  };
}

/** The verdict: every failure condition, with RSS growth from the first interval to the last. */
function conclude(list, crashed) {
  const total = (key) => list.reduce((sum, line) => sum + line[key], 0);
  const first = list[0];
  const last = list.at(-1);
  const growth = (key) =>
    first?.[key] == null || last?.[key] == null ? null : round(last[key] - first[key], 1);
  const totals = {
    requests: total('requests'),
    genuine: total('genuine'),
    forged: total('forged'),
    errors: total('errors'),
    serverErrors: total('serverErrors'),
    unexpected: total('unexpected'),
    connectionErrors: total('connectionErrors'),
  };
  const rssGrowthMb = growth('rssMb');
  const failures = [];
  if (crashed) failures.push(`the server exited (code ${crashed.code}, signal ${crashed.signal})`);
  if (totals.serverErrors > 0) failures.push(`${totals.serverErrors} answers were 5xx`);
  if (totals.unexpected > 0) failures.push(`${totals.unexpected} answers had an unexpected status or body`);
  if (totals.connectionErrors > 0)
    failures.push(`${totals.connectionErrors} requests failed at the connection`);
  if (totals.requests === 0) failures.push('no request was answered');
  if (args.maxRssGrowthMb !== undefined && rssGrowthMb !== null && rssGrowthMb > args.maxRssGrowthMb)
    failures.push(`RSS grew ${rssGrowthMb} MB (limit ${args.maxRssGrowthMb} MB)`);
  return {
    row: row.name,
    config: {
      seconds: args.seconds,
      intervalSeconds: args.interval,
      forgedRatio: args.forgedRatio,
      rate: args.rate,
      connections: args.connections,
      node: process.version,
    },
    intervals: list,
    totals,
    rssGrowthMb,
    heapUsedGrowthMb: growth('heapUsedMb'),
    crashed: crashed ?? null,
    failures,
    ok: failures.length === 0,
  };
}

function formatInterval(line, count) {
  const memory = line.rssMb === null ? 'rss n/a' : `rss ${line.rssMb} MB, heap ${line.heapUsedMb} MB`;
  const text =
    `[${String(line.index).padStart(String(count).length)}/${count}] ${line.endSeconds}s: ` +
    `${line.requests} requests (${line.reqPerSec}/s, ${line.forged} forged), ` +
    `errors ${line.errors} (5xx ${line.serverErrors}), ` +
    `p50 ${line.p50Ms} ms, p99 ${line.p99Ms} ms, max ${line.maxMs} ms, ${memory}`;
  return [text, ...line.examples.map((example) => `    ${example}`)].join('\n');
}

function formatConclusion(result) {
  const { totals } = result;
  const first = result.intervals[0];
  const last = result.intervals.at(-1);
  const lines = [
    `Total: ${totals.requests} requests (${totals.forged} forged), errors ${totals.errors}: ` +
      `5xx ${totals.serverErrors}, unexpected status/body ${totals.unexpected}, connection errors ${totals.connectionErrors}.`,
  ];
  if (result.rssGrowthMb !== null)
    lines.push(
      `RSS ${first.rssMb} MB -> ${last.rssMb} MB (${sign(result.rssGrowthMb)} MB) from the first interval to the last; ` +
        `heap after GC ${first.heapUsedMb} MB -> ${last.heapUsedMb} MB (${sign(result.heapUsedGrowthMb)} MB).`,
    );
  lines.push(result.ok ? 'PASS' : `FAIL: ${result.failures.join('; ')}`);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Small helpers.
// ---------------------------------------------------------------------------------------------

/** Ends of the intervals in seconds; the last one is shorter when the duration is not a multiple. */
function intervalEnds(seconds, interval) {
  const ends = [];
  for (let end = interval; end < seconds; end += interval) ends.push(end);
  ends.push(seconds);
  return ends;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

function round(n, digits) {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function sign(n) {
  return n === null ? 'n/a' : `${n >= 0 ? '+' : ''}${n}`;
}

function parseArgs(argv) {
  const out = {
    seconds: 180,
    interval: 60,
    forgedRatio: 0.1,
    rate: 1000,
    connections: 8,
    row: 'cekit-node',
    maxRssGrowthMb: undefined,
    json: false,
  };
  parse(argv, (flag, value) => {
    if (flag === '--json') out.json = true;
    else if (flag === '--minutes') out.seconds = positive(flag, value()) * 60;
    else if (flag === '--seconds') out.seconds = positive(flag, value());
    else if (flag === '--interval') out.interval = positive(flag, value());
    else if (flag === '--forged-ratio') out.forgedRatio = ratio(flag, value());
    else if (flag === '--rate') out.rate = nonNegative(flag, value());
    else if (flag === '--connections') out.connections = Math.ceil(positive(flag, value()));
    else if (flag === '--row') out.row = value();
    else if (flag === '--max-rss-growth-mb') out.maxRssGrowthMb = nonNegative(flag, value());
    else return false;
  });
  return out;
}
