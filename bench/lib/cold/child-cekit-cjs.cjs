/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- the CommonJS build, loaded the CommonJS way */
// One cold start of cekit's CommonJS build; see child-cekit.mjs for what is timed. `import` is
// `require('cekit')`, the answer that of cekit-lambda.cjs.
const started = process.hrtime.bigint();
const cpuAtStart = process.cpuUsage();
const loadedBefore = process.moduleLoadList.length;
const event = JSON.parse(process.env.CEKIT_COLD_EVENT);
require('cekit');
const imported = process.hrtime.bigint();
const { handler } = require('./cekit-lambda.cjs');
handler(event).then((answer) => {
  const answered = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpuAtStart);
  const builtins = process.moduleLoadList.slice(loadedBefore);
  require('./report.cjs')({ started, imported, answered, cpu, builtins, answer });
});
