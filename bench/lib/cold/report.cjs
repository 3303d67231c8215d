/* global module */
// The one line a cold child prints for bench/cold.mjs to read: `COLD {json}`. Children load it only
// after they took their last time, so it costs the measurement nothing; `process.stdout` (which loads
// node:net) is first touched here, after the child listed the Node modules it loaded.
module.exports = function report({ started, imported, answered, cpu, builtins, answer }) {
  process.stdout.write(
    `\nCOLD ${JSON.stringify({
      importMs: imported === undefined ? undefined : Number(imported - started) / 1e6,
      answerMs: Number(answered - started) / 1e6,
      answerCpuMs: (cpu.user + cpu.system) / 1000,
      answer,
      builtins,
    })}\n`,
  );
};
