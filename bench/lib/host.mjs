// Runs ONE benchmark row's server in this process, for `npm run bench` (bench/run.mjs pins it to a
// CPU with taskset) and `npm run soak` (bench/soak.mjs, which also asks it for its memory).
// Usage: node [--expose-gc] bench/lib/host.mjs <row-file>; the runner passes the port and key in the
// environment and waits for the `ready` IPC message.
import { pathToFileURL } from 'node:url';

const [file] = process.argv.slice(2);
const mod = await import(pathToFileURL(file).href);
const running = await mod.start({
  port: Number(process.env.PORT),
  publicKeyPem: process.env.BENCH_PUBLIC_KEY_PEM || undefined,
});
// A row may ask for extra request headers (e.g. the cert-chain URL, known only once it runs).
process.send?.({ ready: true, headers: running?.headers });

// The soak's memory samples. With --expose-gc, a full collection first makes heapUsed comparable
// between samples (without it the number is mostly GC timing).
process.on('message', (message) => {
  if (message?.type !== 'memory') return;
  globalThis.gc?.();
  const { rss, heapUsed, external } = process.memoryUsage();
  process.send?.({ type: 'memory', id: message.id, rss, heapUsed, external });
});

const stop = async () => {
  await Promise.race([running?.close?.(), new Promise((resolve) => setTimeout(resolve, 2000))]);
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('disconnect', stop);
