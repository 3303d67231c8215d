// One cold start of a bundled extension (one file, as deployed): argv[2] is the bundle, an ES module
// or, ending in .cjs, a CommonJS one. Timed like child-cekit.mjs, from this first line to the answer.
const started = process.hrtime.bigint();
const cpuAtStart = process.cpuUsage();
const event = JSON.parse(process.env.CEKIT_COLD_EVENT);
const file = process.argv[2];
const { handler } = file.endsWith('.cjs')
  ? (await import('node:module')).createRequire(import.meta.url)(file)
  : await import(file);
// ask-sdk-core's handler takes a callback; the others return a promise.
const answer = await (handler.length >= 3
  ? new Promise((resolve, reject) =>
      handler(event, {}, (error, result) => (error ? reject(error) : resolve(result))),
    )
  : handler(event));
const answered = process.hrtime.bigint();
const cpu = process.cpuUsage(cpuAtStart);
const { default: report } = await import('./report.cjs');
report({ started, answered, cpu, answer });
