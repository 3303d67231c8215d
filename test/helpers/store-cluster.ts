/**
 * Several extension processes sharing one database (test/helpers/store-host.ts), and signed
 * requests sent to them round-robin, as a load balancer would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildIntentRequest, generateTestKeyPair } from 'cekit/testing';

/** Replies are read as untyped JSON in tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const HOST = fileURLToPath(new URL('./store-host.ts', import.meta.url));
const keys = generateTestKeyPair();

export type HostKind = 'redis' | 'redis4' | 'ioredis' | 'postgres';

export interface StoreCluster {
  readonly ports: number[];
  /** Sends one signed IntentRequest for `userId` to the `index`-th process (modulo the count). */
  send(
    index: number,
    intent: 'Count' | 'Peek',
    userId: string,
  ): Promise<{ status: number; json: Json; ms: number }>;
  /** Everything the processes wrote on stderr (their log lines). */
  logs(): string;
  stop(): Promise<void>;
}

export async function startCluster(
  kind: HostKind,
  url: string,
  options: { count?: number; timeoutMs?: number } = {},
): Promise<StoreCluster> {
  const children: ChildProcess[] = [];
  let stderr = '';
  const ports = await Promise.all(
    Array.from({ length: options.count ?? 3 }, async () => {
      const child = spawn(process.execPath, ['--import', TSX, HOST, kind, url], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          CEKIT_TEST_PUBLIC_KEY: keys.publicKeyPem,
          CEKIT_TEST_TIMEOUT_MS: `${options.timeoutMs ?? 1000}`,
          NODE_ENV: 'test',
        },
      });
      children.push(child);
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      // Read stdout with a listener that stays: leaving a `for await` loop would destroy the stream,
      // and the host's next log line on stdout would then kill it with EPIPE.
      return new Promise<number>((resolve, reject) => {
        let out: string | undefined = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          if (out === undefined) return; // listening already: later lines are request logs
          out += chunk.toString();
          const port = out
            .split('\n')
            .map((line) =>
              line.startsWith('{"port":') ? (JSON.parse(line) as { port: number }).port : undefined,
            )
            .find((found) => found !== undefined);
          if (port === undefined) return;
          out = undefined;
          resolve(port);
        });
        child.once('exit', () =>
          reject(new Error(`store host (${kind}) exited before listening: ${stderr}`)),
        );
      });
    }),
  );
  return {
    ports,
    async send(index, intent, userId) {
      const body = JSON.stringify(
        buildIntentRequest(intent, {}, { extensionId: 'com.example.extension', userId }),
      );
      const started = performance.now();
      const response = await fetch(`http://127.0.0.1:${ports[index % ports.length]}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=UTF-8', signaturecek: keys.sign(body) },
        body,
      });
      const json: unknown = await response.json();
      return { status: response.status, json, ms: performance.now() - started };
    },
    logs: () => stderr,
    async stop() {
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode !== null) return;
          const exited = once(child, 'exit');
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}

/** The text a reply speaks (SimpleSpeech), or undefined. */
export function spoken(json: Json): string | undefined {
  return json?.response?.outputSpeech?.values?.value;
}
