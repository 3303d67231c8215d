// The load generator, in its own process (the runner pins it to the other CPU). Receives its job
// over IPC, runs a warm-up and then the measured autocannon run, and reports the result together
// with its own CPU use, so a saturated generator shows up in the numbers instead of hiding in them.
import autocannon from 'autocannon';

process.once('message', async (job) => {
  const base = {
    url: job.url,
    method: 'POST',
    headers: job.headers,
    body: job.body,
    connections: job.connections,
    pipelining: 1,
    // Several signed bodies (a row's `payload.bodies`): each connection sends them in turn.
    ...(job.requests
      ? {
          requests: job.requests.map(({ body, signature }) => ({
            method: 'POST',
            body,
            headers: { ...job.headers, signaturecek: signature },
          })),
        }
      : {}),
  };
  if (job.warmupSeconds > 0) await autocannon({ ...base, duration: job.warmupSeconds });
  // Tells the runner the measured run starts, so it can sample the server's CPU time too.
  process.send({ measuring: true });
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await autocannon({ ...base, duration: job.durationSeconds });
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  process.send({
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    generatorCpu: (cpu.user + cpu.system) / 1000 / elapsedMs,
  });
  process.disconnect();
});
