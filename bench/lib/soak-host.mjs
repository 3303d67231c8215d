// Runs ONE bench row's server for `npm run soak` (bench/soak.mjs), like host.mjs does for the bench,
// and also reports its own memory on request. Started with --expose-gc: a full collection before each
// sample makes heapUsed comparable between intervals (without it the number is mostly GC timing).
// Usage: node --expose-gc bench/lib/soak-host.mjs <row-file>; PORT and BENCH_PUBLIC_KEY_PEM in the env.
import { pathToFileURL } from 'node:url';

const [file] = process.argv.slice(2);
const mod = await import(pathToFileURL(file).href);
const running = await mod.start({
  port: Number(process.env.PORT),
  publicKeyPem: process.env.BENCH_PUBLIC_KEY_PEM || undefined,
});
process.send?.({ ready: true, headers: running?.headers });

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
