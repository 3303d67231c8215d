import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedVector } from '../helpers/fixtures.js';
import { packedProject, writeScript, type Project } from './harness.js';

// What a fresh process of the packed package loads: importing an entry, and answering its first
// verified request, must not compile Node modules that request never needs (the cold start of a
// Lambda function or a container). `npm run bench -- --cold` measures the time; this keeps the cause
// from coming back.

/** What the first verified answer does not need: the key is bundled, nothing is downloaded or stored. */
const NOT_FOR_THE_FIRST_ANSWER = ['tls', 'https', 'http', 'net', 'fs', 'fs/promises', 'os', 'path', 'zlib'];

let project: Project;
beforeAll(async () => {
  project = await packedProject();
  writeScript(
    project,
    'loads.mjs',
    `// Prints the public Node modules loaded by importing the entry named in argv, then by the first
// answer of a Lambda handler when argv[3] is an API Gateway event.
const loaded = () => process.moduleLoadList.filter((m) => m.startsWith('NativeModule ') && !m.includes('internal/')).map((m) => m.slice(13));
const before = new Set(loaded());
const mod = await import(process.argv[2]);
const atImport = loaded().filter((m) => !before.has(m));
let atAnswer = [];
let status;
if (process.argv[3]) {
  const { createExtension } = await import('cekit');
  const app = createExtension({ extensionId: 'com.chens.morning', verify: { keyUrl: false }, requestLog: false });
  app.launch((ctx) => ctx.say('おはよう'));
  status = (await mod.toLambdaHandler(app)(JSON.parse(process.argv[3]))).statusCode;
  atAnswer = loaded().filter((m) => !before.has(m));
}
console.log(JSON.stringify({ atImport, atAnswer, status }));
`,
  );
}, 300_000);

function run(entry: string, event?: unknown): { atImport: string[]; atAnswer: string[]; status?: number } {
  const args = ['loads.mjs', entry, ...(event === undefined ? [] : [JSON.stringify(event)])];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: project.dir, encoding: 'utf8' }));
}

describe('a cold process of the packed package', () => {
  it.each(['cekit', 'cekit/lambda', 'cekit/fetch', 'cekit/hono', 'cekit/home'])(
    'import(%j) loads no Node module',
    (entry) => {
      expect(run(entry).atImport).toEqual([]);
    },
  );

  it("cekit/lambda's first verified answer loads node:crypto, and no network or file module", () => {
    const vector = signedVector('signed-launch-request');
    const event = {
      httpMethod: 'POST',
      headers: { 'Content-Type': 'application/json;charset-UTF-8', SignatureCEK: vector.signatureCEK },
      requestContext: {},
      body: vector.rawBody,
      isBase64Encoded: false,
    };
    const { atAnswer, status } = run('cekit/lambda', event);
    expect(status).toBe(200);
    expect(atAnswer).toContain('crypto'); // RSA verification: loaded by the verifier, not by the import
    expect(atAnswer.filter((m) => NOT_FOR_THE_FIRST_ANSWER.includes(m))).toEqual([]);
  });
});
