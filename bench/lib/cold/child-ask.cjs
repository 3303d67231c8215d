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
  const builtins = process.moduleLoadList.slice(loadedBefore);
  require('./report.cjs')({
    started,
    imported,
    answered,
    cpu,
    builtins,
    answer: error ? { error: String(error.message) } : answer,
  });
});
