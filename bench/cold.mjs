// `npm run bench -- --cold`: cold start of a Lambda extension, cekit against the official CEK SDK and
// ask-sdk-core, in fresh `node` processes run one after the other, interleaved (cekit, official SDK,
// ask-sdk-core, cekit, ...), so a slow moment of the machine hurts every library alike.
//
// Each child (bench/lib/cold/child-*) takes its times with process.hrtime from its own first line:
// - import: `import('cekit')`, `require('@line/clova-cek-sdk-nodejs')`, `require('ask-sdk-core')`;
// - first answer: the library, the extension module (bench/lib/cold/*-lambda.*) and its handler's
//   answer to one event: a real CEK-signed LaunchRequest in an API Gateway REST event (cekit and the
//   official SDK, both verifying it with the JP key), an Alexa LaunchRequest envelope for ask-sdk-core
//   (direct invocation: nothing to verify).
// The parent also times each process from spawn to exit (node's own start-up included). Each
// extension module is also bundled into one minified file (esbuild, as a Lambda function is often
// deployed): its size is printed, and the same event is answered by a fresh process loading it.
//
// Flags: --runs <n> (default 25 per library)  --json (the last stdout line is one JSON object)
// Targets (issue 14): cekit's first answer <= 1.25x the official SDK's, import('cekit') <= 1.5x the
// official SDK's require. Exit status 1 when a target is missed or a child fails.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { commandLine } from './lib/flags.mjs';
import { hasTaskset } from './lib/taskset.mjs';
import { readVector } from './lib/vector.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const COLD = `${HERE}lib/cold/`;
const CPU = '0';

const TARGETS = { answer: 1.25, import: 1.5 };

const LIBRARIES = [
  {
    name: 'cekit',
    label: 'cekit (cekit/lambda)',
    child: 'child-cekit.mjs',
    entry: 'cekit-lambda.mjs',
    format: 'esm',
    event: () => apiGatewayEvent(readVector('signed-launch-request')),
    check: (answer) => answer?.statusCode === 200 && spoken(answer.body),
  },
  {
    name: 'cekit-cjs',
    label: 'cekit, CommonJS (require)',
    child: 'child-cekit-cjs.cjs',
    entry: 'cekit-lambda.cjs',
    format: 'cjs',
    event: () => apiGatewayEvent(readVector('signed-launch-request')),
    check: (answer) => answer?.statusCode === 200 && spoken(answer.body),
  },
  {
    name: 'official-sdk',
    label: 'official SDK (verifier + lambda)',
    child: 'child-official.cjs',
    entry: 'official-lambda.cjs',
    format: 'cjs',
    event: () => apiGatewayEvent(readVector('signed-launch-request')),
    check: (answer) => answer?.statusCode === 200 && spoken(answer.body),
  },
  {
    name: 'ask-sdk-core',
    label: 'ask-sdk-core (no verification)',
    child: 'child-ask.cjs',
    entry: 'ask-lambda.cjs',
    format: 'cjs',
    event: alexaEvent,
    check: (answer) => typeof answer?.response?.outputSpeech?.ssml === 'string',
  },
];

/** Runs the cold benchmark; resolves with the exit status. */
export async function main(argv) {
  const { fail, parse, positive } = commandLine('bench --cold');
  const args = { runs: 25, json: false };
  parse(argv, (flag, value) => {
    if (flag === '--json') args.json = true;
    else if (flag === '--runs') args.runs = Math.ceil(positive(flag, value()));
    else return false;
  });
  if (args.runs < 1) fail('--runs must be at least 1');
  const log = args.json ? (...line) => console.error(...line) : (...line) => console.log(...line);
  const pinned = hasTaskset();
  log(
    `cekit bench --cold: ${args.runs} fresh processes per library, interleaved, ` +
      (pinned ? `pinned to CPU ${CPU}` : 'taskset missing: NOT pinned') +
      `, ${process.version}`,
  );

  const events = new Map(LIBRARIES.map((library) => [library.name, JSON.stringify(library.event())]));
  const problems = [];
  const folder = mkdtempSync(join(tmpdir(), 'cekit-cold-'));
  try {
    return await measure(args, log, pinned, events, problems, folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function measure(args, log, pinned, events, problems, folder) {
  const bundles = await bundle(folder).catch((error) => {
    problems.push(`bundles: ${error.message}`);
    return [];
  });
  const bundleOf = new Map(bundles.map((b) => [b.name, b]));

  // Forged first: a "verified" answer means nothing unless a bad signature is refused.
  for (const library of LIBRARIES.filter((l) => l.name !== 'ask-sdk-core')) {
    const forged = JSON.stringify(apiGatewayEvent({ ...readVector('signed-launch-request'), forge: true }));
    const result = await runChild(library.child, [], forged, pinned);
    const status = result.answer?.statusCode;
    if (!(status >= 400 && status < 500))
      problems.push(`${library.name} answered a forged signature with ${status ?? result.error}`);
  }

  // One untimed round: the first process of each library reads its files from disk.
  for (const library of LIBRARIES) {
    await runChild(library.child, [], events.get(library.name), pinned);
    const bundled = bundleOf.get(library.name);
    if (bundled) await runChild('child-bundled.mjs', [bundled.file], events.get(library.name), pinned);
  }

  const samples = new Map(LIBRARIES.map((library) => [library.name, []]));
  const bundledSamples = new Map(LIBRARIES.map((library) => [library.name, []]));
  const builtins = new Map();
  const keep = (library, result, into, what) => {
    if (result.error || !library.check(result.answer)) {
      problems.push(
        `${library.name}${what}: ${result.error ?? `unexpected answer ${JSON.stringify(result.answer)}`}`,
      );
      return false;
    }
    into.get(library.name).push(result);
    return true;
  };
  for (let run = 0; run < args.runs; run++) {
    for (const library of LIBRARIES) {
      const result = await runChild(library.child, [], events.get(library.name), pinned);
      if (keep(library, result, samples, '') && !builtins.has(library.name))
        builtins.set(library.name, publicBuiltins(result.builtins));
      const bundled = bundleOf.get(library.name);
      if (bundled) {
        const args = [bundled.file];
        keep(
          library,
          await runChild('child-bundled.mjs', args, events.get(library.name), pinned),
          bundledSamples,
          ' (bundled)',
        );
      }
    }
    if (!args.json) process.stdout.write(`\r  run ${run + 1}/${args.runs}`);
  }
  if (!args.json) process.stdout.write('\n');

  const rows = LIBRARIES.map((library) => {
    const list = samples.get(library.name);
    return {
      name: library.name,
      label: library.label,
      runs: list.length,
      importMs: stats(list.map((r) => r.importMs)),
      answerMs: stats(list.map((r) => r.answerMs)),
      answerCpuMs: stats(list.map((r) => r.answerCpuMs)),
      processMs: stats(list.map((r) => r.processMs)),
      builtins: builtins.get(library.name) ?? [],
    };
  });
  const byName = new Map(rows.map((row) => [row.name, row]));
  const ratio = (a, b, field) => {
    const x = byName.get(a)?.[field]?.median;
    const y = byName.get(b)?.[field]?.median;
    return x && y ? round(x / y, 3) : null;
  };
  const ratios = {
    importVsOfficial: ratio('cekit', 'official-sdk', 'importMs'),
    answerVsOfficial: ratio('cekit', 'official-sdk', 'answerMs'),
    answerCpuVsOfficial: ratio('cekit', 'official-sdk', 'answerCpuMs'),
    processVsOfficial: ratio('cekit', 'official-sdk', 'processMs'),
    importVsAsk: ratio('cekit', 'ask-sdk-core', 'importMs'),
    answerVsAsk: ratio('cekit', 'ask-sdk-core', 'answerMs'),
    answerCpuVsAsk: ratio('cekit', 'ask-sdk-core', 'answerCpuMs'),
    processVsAsk: ratio('cekit', 'ask-sdk-core', 'processMs'),
    cjsImportVsOfficial: ratio('cekit-cjs', 'official-sdk', 'importMs'),
    cjsAnswerVsOfficial: ratio('cekit-cjs', 'official-sdk', 'answerMs'),
    cjsAnswerCpuVsOfficial: ratio('cekit-cjs', 'official-sdk', 'answerCpuMs'),
    cjsProcessVsOfficial: ratio('cekit-cjs', 'official-sdk', 'processMs'),
  };
  const targets = [
    {
      name: 'first verified answer, cekit / official SDK',
      ratio: ratios.answerVsOfficial,
      target: TARGETS.answer,
    },
    {
      name: "import('cekit') / require(official SDK)",
      ratio: ratios.importVsOfficial,
      target: TARGETS.import,
    },
  ].map((t) => ({ ...t, met: t.ratio !== null && t.ratio <= t.target }));

  for (const b of bundles) {
    const list = bundledSamples.get(b.name);
    b.runs = list.length;
    b.answerMs = stats(list.map((r) => r.answerMs));
    b.answerCpuMs = stats(list.map((r) => r.answerCpuMs));
  }
  const officialBundle = bundleOf.get('official-sdk');
  for (const b of bundles) {
    b.answerVsOfficial =
      b.answerMs.median && officialBundle?.answerMs.median
        ? round(b.answerMs.median / officialBundle.answerMs.median, 3)
        : null;
    delete b.file;
  }

  printTable(log, rows, ratios);
  for (const t of targets)
    log(
      `Target: ${t.name} ${t.ratio === null ? '-' : `${t.ratio.toFixed(2)}x`}, ` +
        `target <= ${t.target.toFixed(2)}x: ${t.met ? 'met' : 'MISSED'}`,
    );
  log('');
  if (bundles.length) printBundles(log, bundles);
  log('Node built-ins the library loaded before its first answer (internal/ modules left out):');
  for (const row of rows) log(`  ${row.name.padEnd(14)} ${row.builtins.join(' ') || '(none)'}`);
  for (const problem of problems) log(`ERROR ${problem}`);

  if (args.json) {
    console.log(
      JSON.stringify({
        cold: {
          runs: args.runs,
          node: process.version,
          pinned,
          rows,
          ratios,
          targets,
          bundles,
          ...(problems.length ? { errors: problems } : {}),
        },
      }),
    );
  }
  return problems.length || targets.some((t) => !t.met) ? 1 : 0;
}

/** Starts one child, waits for it to exit, returns what it reported plus its spawn-to-exit time. */
function runChild(childScript, childArgs, event, pinned) {
  return new Promise((resolve) => {
    const script = `${COLD}${childScript}`;
    const [command, args] = pinned
      ? ['taskset', ['-c', CPU, process.execPath, script, ...childArgs]]
      : [process.execPath, [script, ...childArgs]];
    const start = process.hrtime.bigint();
    const child = spawn(command, args, {
      cwd: COLD,
      env: { ...process.env, NODE_ENV: 'production', CEKIT_COLD_EVENT: event },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const processMs = Number(process.hrtime.bigint() - start) / 1e6;
      const line = out.split('\n').find((l) => l.startsWith('COLD '));
      if (!line) {
        resolve({ error: `exited with ${code} without a result: ${(err || out).trim().slice(0, 300)}` });
        return;
      }
      resolve({ ...JSON.parse(line.slice(5)), processMs });
    });
  });
}

/** An API Gateway REST API (payload 1.0) proxy event carrying a signed CEK request, as it arrives. */
function apiGatewayEvent(vector) {
  const signature = vector.forge ? flipFirstBit(vector.signatureCEK) : vector.signatureCEK;
  const headers = {
    Host: 'abcdef1234.execute-api.ap-northeast-1.amazonaws.com',
    'Content-Type': 'application/json;charset-UTF-8',
    SignatureCEK: signature,
    'X-Forwarded-Proto': 'https',
  };
  return {
    resource: '/clova',
    path: '/clova',
    httpMethod: 'POST',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    requestContext: { resourcePath: '/clova', httpMethod: 'POST', stage: 'prod', requestId: 'cold' },
    body: vector.rawBody,
    isBase64Encoded: false,
  };
}

function flipFirstBit(base64) {
  const bytes = Buffer.from(base64, 'base64');
  bytes[0] ^= 1;
  return bytes.toString('base64');
}

/** Alexa's LaunchRequest envelope, the event ask-sdk-core's Lambda handler gets. */
function alexaEvent() {
  const application = { applicationId: 'amzn1.ask.skill.00000000-0000-0000-0000-000000000000' };
  const user = { userId: 'amzn1.ask.account.COLD' };
  return {
    version: '1.0',
    session: { new: true, sessionId: 'amzn1.echo-api.session.cold', application, user, attributes: {} },
    context: {
      System: {
        application,
        user,
        device: { deviceId: 'amzn1.ask.device.cold', supportedInterfaces: {} },
        apiEndpoint: 'https://api.fe.amazonalexa.com',
      },
    },
    request: {
      type: 'LaunchRequest',
      requestId: 'amzn1.echo-api.request.cold',
      timestamp: new Date().toISOString(),
      locale: 'ja-JP',
    },
  };
}

function spoken(body) {
  try {
    return JSON.parse(body).response.outputSpeech.values.value === 'おはようございます';
  } catch {
    return false;
  }
}

/** Each library's Lambda extension module as one minified file in `folder`, as one would deploy it. */
async function bundle(folder) {
  const { build } = await import('esbuild');
  const out = [];
  for (const library of LIBRARIES) {
    const result = await build({
      entryPoints: [`${COLD}${library.entry}`],
      absWorkingDir: COLD,
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node20',
      format: library.format,
      write: false,
      logLevel: 'silent',
    });
    const bytes = result.outputFiles[0].contents;
    const file = join(folder, `${library.name}.${library.format === 'esm' ? 'mjs' : 'cjs'}`);
    writeFileSync(file, bytes);
    out.push({ name: library.name, file, bytes: bytes.length, gzipBytes: gzipSync(bytes).length });
  }
  return out;
}

function printBundles(log, bundles) {
  const ms = (s) => (s.median === null ? '-' : s.median.toFixed(1));
  const lines = [
    ['bundled (one minified file)', 'size', 'gzip', 'first answer ms', 'its CPU ms', 'vs official'],
    ...bundles.map((b) => [
      b.name,
      kib(b.bytes),
      kib(b.gzipBytes),
      ms(b.answerMs),
      ms(b.answerCpuMs),
      b.answerVsOfficial === null ? '-' : `${b.answerVsOfficial.toFixed(2)}x`,
    ]),
  ];
  const widths = lines[0].map((_, i) => Math.max(...lines.map((line) => line[i].length)));
  log(
    'Each extension bundled as deployed (esbuild --bundle --minify --platform=node, node20), first answer:',
  );
  for (const line of lines)
    log(line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  log('');
}

function publicBuiltins(list = []) {
  return list
    .filter((entry) => entry.startsWith('NativeModule ') && !entry.includes('internal/'))
    .map((entry) => entry.slice('NativeModule '.length));
}

function stats(values) {
  if (values.length === 0) return { median: null, min: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median: round(median, 2), min: round(sorted[0], 2), max: round(sorted.at(-1), 2) };
}

function printTable(log, rows, ratios) {
  const ms = (s) => (s.median === null ? '-' : s.median.toFixed(1));
  const x = (r) => (r === null ? '-' : `${r.toFixed(2)}x`);
  const lines = [
    ['library', 'import ms', 'first answer ms', 'its CPU ms', 'process ms', 'runs'],
    ...rows.map((r) => [
      r.label,
      ms(r.importMs),
      ms(r.answerMs),
      ms(r.answerCpuMs),
      ms(r.processMs),
      String(r.runs),
    ]),
    ...[
      ['cekit / official SDK', '', 'Official'],
      ['cekit / ask-sdk-core', '', 'Ask'],
      ['cekit CommonJS / official SDK', 'cjs', 'Official'],
    ].map(([label, variant, other]) => {
      const key = (field) => (variant ? `${variant}${field[0].toUpperCase()}${field.slice(1)}` : field);
      return [
        label,
        x(ratios[key(`importVs${other}`)]),
        x(ratios[key(`answerVs${other}`)]),
        x(ratios[key(`answerCpuVs${other}`)]),
        x(ratios[key(`processVs${other}`)]),
        '',
      ];
    }),
  ];
  const widths = lines[0].map((_, i) => Math.max(...lines.map((line) => line[i].length)));
  log('');
  log(
    'Medians, in ms from the first line of the child script (its CPU: user + system time of all its threads ' +
      'up to the answer; process: spawn to exit, node start-up included):',
  );
  for (const line of lines)
    log(line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  log('');
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function round(n, digits = 2) {
  return n === null || n === undefined ? null : Math.round(n * 10 ** digits) / 10 ** digits;
}

// `node bench/cold.mjs` works too (without the build `npm run bench` does first).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
