/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: both SDKs are CommonJS packages */
// One cold start of ask-sdk-core; see child-cekit.mjs for what is timed. `import` is
// `require('ask-sdk-core')`; the event is an Alexa request envelope (direct invocation).
const started = process.hrtime.bigint();
const cpuAtStart = process.cpuUsage();
const loadedBefore = process.moduleLoadList.length;
const event = JSON.parse(process.env.CEKIT_COLD_EVENT);
require('ask-sdk-core');
const imported = process.hrtime.bigint();
const { handler } = require('./ask-lambda.cjs');
handler(event, {}, (error, answer) => {
  const answered = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpuAtStart);
  const builtins = process.moduleLoadList.slice(loadedBefore); // before `process.stdout` loads net
  process.stdout.write(
    `\nCOLD ${JSON.stringify({
      importMs: Number(imported - started) / 1e6,
      answerMs: Number(answered - started) / 1e6,
      answerCpuMs: (cpu.user + cpu.system) / 1000,
      answer: error ? { error: String(error.message) } : answer,
      builtins,
    })}\n`,
  );
});
