/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: both SDKs are CommonJS packages */
// One cold start of the official SDK; see child-cekit.mjs for what is timed. CommonJS, as the
// package is: `import` is `require('@line/clova-cek-sdk-nodejs')`.
const started = process.hrtime.bigint();
const cpuAtStart = process.cpuUsage();
const loadedBefore = process.moduleLoadList.length;
const event = JSON.parse(process.env.CEKIT_COLD_EVENT);
require('@line/clova-cek-sdk-nodejs');
const imported = process.hrtime.bigint();
const { handler } = require('./official-lambda.cjs');
handler(event).then((answer) => {
  const answered = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpuAtStart);
  const builtins = process.moduleLoadList.slice(loadedBefore);
  require('./report.cjs')({ started, imported, answered, cpu, builtins, answer });
});
