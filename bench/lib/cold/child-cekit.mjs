// One cold start of cekit, in a fresh `node` process started by bench/cold.mjs. Times are taken with
// process.hrtime (no module to load) from this first line: `import` is `import('cekit')` alone, the
// answer is the whole extension module (cekit/lambda included) plus its first verified answer.
const started = process.hrtime.bigint();
const cpuAtStart = process.cpuUsage();
const loadedBefore = process.moduleLoadList.length;
const event = JSON.parse(process.env.CEKIT_COLD_EVENT);
await import('cekit');
const imported = process.hrtime.bigint();
const { handler } = await import('./cekit-lambda.mjs');
const answer = await handler(event);
const answered = process.hrtime.bigint();
const cpu = process.cpuUsage(cpuAtStart);
const builtins = process.moduleLoadList.slice(loadedBefore);
const { default: report } = await import('./report.cjs');
report({ started, imported, answered, cpu, builtins, answer });
