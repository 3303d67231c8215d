// `npm run bench`: throughput and latency of CEK endpoints on loopback, one server core, load from
// another process on the other core. Rows are discovered from bench/servers/*.mjs (see README.md).
//
// Flags: --duration <s> (default 5)  --warmup <s> (default 2)  --connections <n> (default 16)
//        --rounds <n> (default 1; best of n interleaved rounds)  --only a,b
//        --generator-check (re-run the baseline at 2x connections)  --json
//        (`--only validation` runs just the request-validation share measurement)
//        --cold: the cold-start comparison instead (bench/cold.mjs; its flags: --runs <n>, --json)
import { execFileSync, fork } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { commandLine } from './lib/flags.mjs';
import { resolvePayload } from './lib/vector.mjs';
import { hasTaskset } from './lib/taskset.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
if (process.argv.includes('--cold')) {
  // Fresh processes instead of servers under load: a different measurement with its own flags.
  const { main } = await import('./cold.mjs');
  process.exit(await main(process.argv.slice(2).filter((flag) => flag !== '--cold')));
}
const { fail, parse, positive } = commandLine('bench');
const args = parseArgs(process.argv.slice(2));
const log = args.json ? (...line) => console.error(...line) : (...line) => console.log(...line);

const SERVER_CPU = '0';
const CLOCK_TICKS = clockTicks();
const LOAD_CPU = '1';
const pinning = hasTaskset();

const rows = await discoverRows();
const selected = args.only ? rows.filter((row) => args.only.includes(row.name)) : rows;
if (args.only) {
  const unknown = args.only.filter((name) => name !== 'validation' && !rows.some((row) => row.name === name));
  if (unknown.length)
    fail(`unknown row(s): ${unknown.join(', ')}; known: ${rows.map((r) => r.name).join(', ')}`);
}

log(
  `cekit bench: ${selected.length} row(s), ${args.duration}s each after ${args.warmup}s warm-up, ` +
    (args.rounds > 1 ? `best of ${args.rounds} rounds, ` : '') +
    `${args.connections} connections, ` +
    (pinning
      ? `server on CPU ${SERVER_CPU}, load generator on CPU ${LOAD_CPU}`
      : 'taskset missing: NOT pinned'),
);

// With --rounds N every row runs N times, interleaved (a, b, c, a, b, c, ...), and its best round is
// kept: on a shared machine a neighbour's burst then hurts one round, not one row.
const best = new Map();
for (let round = 1; round <= args.rounds; round++) {
  for (const row of selected) {
    log(`- ${row.name}${args.rounds > 1 ? ` (round ${round}/${args.rounds})` : ''}: ${row.description}`);
    const result = await measure(row, args.connections);
    const kept = best.get(row.name);
    // An error in any round marks the row as failed; otherwise the fastest round wins.
    const better = !kept || (!kept.error && (result.error || result.reqPerSec > kept.reqPerSec));
    if (better) best.set(row.name, result);
  }
}
const results = selected.map((row) => best.get(row.name));
// Issue 4's budget: request validation < 5% of the Custom pipeline. Measured in-process on the server CPU.
let validation;
if (!args.only || args.only.includes('validation')) {
  log('- validation: share of request validation in the Custom pipeline (in-process)');
  validation = await measureValidationShare().catch((error) => ({ error: String(error?.message ?? error) }));
}
let generatorCheck;
if (args.generatorCheck) {
  const baseline = rows.find((row) => row.name === 'baseline');
  if (baseline) {
    log(`- baseline at ${args.connections * 2} connections (generator check)`);
    const doubled = await measure(baseline, args.connections * 2);
    const first = results.find((r) => r.name === 'baseline');
    generatorCheck = {
      connections: args.connections * 2,
      reqPerSec: doubled.reqPerSec,
      generatorCpu: doubled.generatorCpu,
      change: first ? round(doubled.reqPerSec / first.reqPerSec, 3) : null,
    };
  }
}

const base = results.find((r) => r.name === 'baseline' && !r.error);
for (const r of results) {
  r.ratio = base && !r.error ? round(r.reqPerSec / base.reqPerSec, 3) : null;
  r.p99Ratio = base && !r.error ? round(r.p99Ms / base.p99Ms, 3) : null;
  r.cpuRatio =
    base?.serverCpuUsPerReq && r.serverCpuUsPerReq && !r.error
      ? round(base.serverCpuUsPerReq / r.serverCpuUsPerReq, 3)
      : null;
}
printTable(results);
const comparisons = compare(results);
printComparisons(comparisons);
if (validation) {
  log(
    validation.error
      ? `Request validation: ERROR ${validation.error}`
      : `Request validation: ${validation.validationUsPerRequest} us of a ${validation.handleUsPerRequest} us ` +
          `Custom pipeline (signature to serialised answer, no HTTP): ${validation.validationSharePercent}% ` +
          `(target < 5%: ${validation.validationSharePercent < 5 ? 'met' : 'MISSED'})`,
  );
}
if (generatorCheck) {
  log(
    `Generator check: the baseline at ${generatorCheck.connections} connections did ` +
      `${Math.round(generatorCheck.reqPerSec)} req/s (${generatorCheck.change}x the normal run), generator at ` +
      `${Math.round(generatorCheck.generatorCpu * 100)}% CPU: ` +
      (generatorCheck.change > 1.1
        ? 'the server had headroom at the normal connection count (latency-bound, not generator-bound).'
        : 'more load did not raise throughput, so the server, not the generator, was the limit.'),
  );
}
const busiest = Math.max(0, ...results.map((r) => r.generatorCpu ?? 0));
if (results.length > 0)
  log(
    `Load generator CPU use peaked at ${Math.round(busiest * 100)}% of one core ` +
      (busiest < 0.9 ? '(not the bottleneck).' : '(close to saturation: numbers may be generator-bound).'),
  );

const failed = [...results.filter((r) => r.error), ...(validation?.error ? [validation] : [])];
if (args.json) {
  console.log(
    JSON.stringify({
      rows: results.map((r) => ({
        name: r.name,
        reqPerSec: round(r.reqPerSec, 1),
        p50Ms: r.p50Ms,
        p99Ms: r.p99Ms,
        ratio: r.ratio,
        p99Ratio: r.p99Ratio,
        serverCpuUsPerReq: r.serverCpuUsPerReq,
        cpuRatio: r.cpuRatio,
        generatorCpu: round(r.generatorCpu, 3),
        ...(r.error ? { error: r.error } : {}),
      })),
      config: {
        rounds: args.rounds,
        durationSeconds: args.duration,
        warmupSeconds: args.warmup,
        connections: args.connections,
        pinned: pinning,
        node: process.version,
      },
      comparisons,
      ...(validation ? { validation } : {}),
      ...(generatorCheck ? { generatorCheck } : {}),
    }),
  );
}
process.exitCode = failed.length ? 1 : 0;

/** Starts the row's server, checks it answers 200, loads it, stops it. */
async function measure(row, connections) {
  const payload = resolvePayload(row.payload);
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const server = spawnPinned(SERVER_CPU, join('lib/host.mjs'), [row.file], {
    PORT: String(port),
    BENCH_PUBLIC_KEY_PEM: payload.publicKeyPem ?? '',
    NODE_ENV: 'production',
  });
  try {
    const ready = await waitFor(server, (message) => message.ready, 20_000, `${row.name} did not start`);
    const url = `http://127.0.0.1:${port}/`;
    // `charset=UTF-8`, not the documented `charset-UTF-8`: the official SDK's body parser refuses the latter.
    const headers = {
      'content-type': 'application/json;charset=UTF-8',
      signaturecek: payload.signature,
      ...ready.headers,
    };
    // One request first: a row that answers anything but 200 is broken, not fast.
    const probe = await fetch(url, { method: 'POST', headers, body: payload.body });
    if (probe.status !== 200) {
      return errorRow(row, `answered ${probe.status}: ${(await probe.text()).slice(0, 200)}`);
    }
    const load = spawnPinned(LOAD_CPU, join('lib/load.mjs'), [], {});
    load.send({
      url,
      headers,
      body: payload.body,
      requests: payload.requests,
      connections,
      durationSeconds: args.duration,
      warmupSeconds: args.warmup,
    });
    let serverCpuStart;
    load.on('message', (message) => {
      if (message.measuring) serverCpuStart = processCpuMs(server.pid);
    });
    const result = await waitFor(
      load,
      (message) => 'reqPerSec' in message,
      (args.duration + args.warmup) * 1000 + 30_000,
      `${row.name}: load generator did not finish`,
    );
    const serverCpuEnd = processCpuMs(server.pid);
    // Server CPU time per request: unlike req/s it barely moves when neighbours steal the CPU.
    result.serverCpuUsPerReq =
      serverCpuStart === undefined || serverCpuEnd === undefined || result.total === 0
        ? null
        : round(((serverCpuEnd - serverCpuStart) * 1000) / result.total, 1);
    if (result.non2xx > 0 || result.errors > 0 || result.ok2xx === 0) {
      return errorRow(
        row,
        `${result.non2xx} non-2xx answers, ${result.errors} errors (${result.timeouts} timeouts) in ${result.total}`,
      );
    }
    return { name: row.name, ...result };
  } catch (error) {
    return errorRow(row, error.message);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => (server.exitCode === null ? server.once('exit', resolve) : resolve()));
  }
}

/** user + system CPU time of a process in ms, from /proc (Linux); `undefined` elsewhere. */
function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

function errorRow(row, error) {
  log(`  ERROR ${row.name}: ${error}`);
  return {
    name: row.name,
    reqPerSec: 0,
    p50Ms: null,
    p99Ms: null,
    serverCpuUsPerReq: null,
    generatorCpu: null,
    error,
  };
}

async function measureValidationShare() {
  const child = spawnPinned(SERVER_CPU, join('lib/validation-share.mjs'), [], { NODE_ENV: 'production' });
  try {
    const message = await waitFor(child, (m) => m.validationShare, 120_000, 'validation share');
    return message.validationShare;
  } finally {
    child.kill();
  }
}

function spawnPinned(cpu, script, scriptArgs, env) {
  const options = { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] };
  if (!pinning) return fork(script, scriptArgs, options);
  // taskset runs node, which inherits the IPC channel through NODE_CHANNEL_FD.
  return fork(script, scriptArgs, {
    ...options,
    execPath: 'taskset',
    execArgv: ['-c', cpu, process.execPath],
  });
}

function waitFor(child, predicate, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${what} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message) => predicate(message) && finish(undefined, message);
    const onExit = (code) => finish(new Error(`${what}: exited with ${code}`));
    function finish(error, value) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function discoverRows() {
  const dir = join('servers');
  const found = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.mjs'))) {
    const file = `${dir}/${name}`;
    const mod = await import(pathToFileURL(file).href);
    if (!mod.row?.name || typeof mod.start !== 'function') {
      fail(`${file} must export \`row\` ({ name, description, order?, payload? }) and \`start({ port })\``);
    }
    found.push({ order: 100, description: '', ...mod.row, file });
  }
  return found.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}

/**
 * Rows that declare `compareTo` (another row's name) are also measured against that row: the same work
 * done another way (cekit-intent against a hand-written server for the same request, cekit-fastify
 * against bare Fastify). `target` is the lowest acceptable req/s ratio; `cpuTarget` the highest
 * acceptable CPU cost (row us / reference us per request), for rows that add work by design.
 */
function compare(list) {
  const byName = new Map(list.map((r) => [r.name, r]));
  const out = [];
  for (const row of selected) {
    if (!row.compareTo) continue;
    const r = byName.get(row.name);
    const other = byName.get(row.compareTo);
    if (!r || !other || r.error || other.error) continue;
    const ratio = round(r.reqPerSec / other.reqPerSec, 3);
    const cpuRatio =
      r.serverCpuUsPerReq && other.serverCpuUsPerReq
        ? round(other.serverCpuUsPerReq / r.serverCpuUsPerReq, 3)
        : null;
    const cpuCost =
      r.serverCpuUsPerReq && other.serverCpuUsPerReq
        ? round(r.serverCpuUsPerReq / other.serverCpuUsPerReq, 3)
        : null;
    const verdicts = [
      ...(row.target === undefined ? [] : [ratio >= row.target]),
      ...(row.cpuTarget === undefined ? [] : [cpuCost !== null && cpuCost <= row.cpuTarget]),
    ];
    out.push({
      row: row.name,
      against: row.compareTo,
      ratio,
      cpuRatio,
      cpuCost,
      target: row.target ?? null,
      cpuTarget: row.cpuTarget ?? null,
      met: verdicts.length === 0 ? null : verdicts.every(Boolean),
    });
  }
  return out;
}

function printComparisons(list) {
  if (list.length === 0) return;
  log('Same work, compared with its own reference row (req/s ratio; CPU ratio = reference us / row us):');
  for (const c of list) {
    const verdict =
      c.target === null
        ? ''
        : `  target >= ${c.target.toFixed(2)}x: ${c.ratio >= c.target ? 'met' : 'MISSED'}`;
    const cpu = c.cpuRatio === null ? '' : `, CPU ${c.cpuRatio.toFixed(2)}x`;
    const cost =
      c.cpuTarget === null
        ? ''
        : `  CPU us/req ${c.cpuCost === null ? '-' : `${c.cpuCost.toFixed(2)}x`} the reference's, ` +
          `target <= ${c.cpuTarget.toFixed(2)}x: ${c.cpuCost !== null && c.cpuCost <= c.cpuTarget ? 'met' : 'MISSED'}`;
    log(`  ${c.row} vs ${c.against}: ${c.ratio.toFixed(2)}x${cpu}${verdict}${cost}`);
  }
  log('');
}

function printTable(list) {
  const lines = [
    ['row', 'req/s', 'p50 ms', 'p99 ms', 'ratio', 'p99 ratio', 'CPU us/req', 'CPU ratio', 'gen CPU'],
    ...list.map((r) =>
      r.error
        ? [r.name, 'ERROR', '', '', '', '', '', '', '']
        : [
            r.name,
            String(Math.round(r.reqPerSec)),
            String(r.p50Ms),
            String(r.p99Ms),
            r.ratio === null ? '-' : `${r.ratio.toFixed(2)}x`,
            r.p99Ratio === null ? '-' : `${r.p99Ratio.toFixed(2)}x`,
            r.serverCpuUsPerReq === null ? '-' : String(r.serverCpuUsPerReq),
            r.cpuRatio === null ? '-' : `${r.cpuRatio.toFixed(2)}x`,
            `${Math.round(r.generatorCpu * 100)}%`,
          ],
    ),
  ];
  const widths = lines[0].map((_, i) => Math.max(...lines.map((line) => line[i].length)));
  log('');
  for (const line of lines)
    log(line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  log('');
}

function parseArgs(argv) {
  const out = {
    duration: 5,
    warmup: 2,
    connections: 16,
    rounds: 1,
    only: undefined,
    json: false,
    generatorCheck: false,
  };
  parse(argv, (flag, value) => {
    if (flag === '--json') out.json = true;
    else if (flag === '--generator-check') out.generatorCheck = true;
    else if (flag === '--duration') out.duration = positive(flag, value());
    else if (flag === '--warmup') out.warmup = Math.max(0, Number(value()));
    else if (flag === '--connections') out.connections = positive(flag, value());
    else if (flag === '--rounds') out.rounds = Math.ceil(positive(flag, value()));
    else if (flag === '--only') out.only = value().split(',').filter(Boolean);
    else return false;
  });
  return out;
}

/** Kernel clock ticks per second (USER_HZ), the unit of /proc/<pid>/stat times. */
function clockTicks() {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

function join(relative) {
  return `${HERE}${relative}`;
}

function round(n, digits = 2) {
  return n === null || n === undefined ? null : Math.round(n * 10 ** digits) / 10 ** digits;
}
