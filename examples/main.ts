/**
 * The main job (`npm start`): the dice example extension served on loopback with the real
 * SignatureCEK verifier, trusting a key generated just now; a short conversation with it through the
 * CEK simulator over HTTP (signed requests, the session kept like CEK keeps it, sentences resolved
 * with the interaction model); then the audit `cekit check` runs, in trusted mode. Exits by itself.
 */
import { silentLogger } from 'cekit';
import { serve } from 'cekit/node';
import {
  auditExtension,
  buildLaunchRequest,
  createConversation,
  generateTestKeyPair,
  loadInteractionModel,
  type Reply,
} from 'cekit/testing';
import { fileURLToPath } from 'node:url';
import { createDiceExtension } from './dice/extension.js';

const EXTENSION_ID = 'com.example.dice';
const color = process.stdout.isTTY && process.env.NO_COLOR === undefined;
const dim = (text: string) => (color ? `\u001b[2m${text}\u001b[22m` : text);
const bold = (text: string) => (color ? `\u001b[1m${text}\u001b[22m` : text);

const keys = generateTestKeyPair();
const app = createDiceExtension({
  extensionId: EXTENSION_ID,
  verify: keys.verifyOptions,
  logger: silentLogger,
});
const server = await serve(app, { port: 0, handleSignals: false });
const model = await loadInteractionModel(fileURLToPath(new URL('./models/dice.json', import.meta.url)));

console.log(bold(`The dice extension is listening on ${server.url}`));
console.log(dim('(real SignatureCEK verifier, trusting only a key generated for this run)\n'));

function show(user: string, reply: Reply) {
  console.log(`  user  › ${user}`);
  const request = reply.request.request;
  if (request.type === 'IntentRequest') {
    const slots = Object.values(request.intent.slots ?? {}).map(
      (slot) => ` ${slot.name}=${String(slot.value)}`,
    );
    console.log(dim(`          → ${request.intent.name}${slots.join('')}`));
  }
  console.log(`  clova ‹ ${reply.speech}${reply.shouldEndSession ? dim('  [session ends]') : ''}`);
  console.log(
    dim(`          ${Math.round(reply.ms)} ms, session ${reply.request.session?.sessionId.slice(0, 8)}…`),
  );
}

try {
  // English, over HTTP, every request signed and every reply checked against the protocol schema.
  const cek = createConversation({
    target: server.url,
    keys,
    extensionId: EXTENSION_ID,
    locale: 'en-US',
    model,
  });
  show('(opens the skill)', await cek.launch());
  show('help', await cek.say('help'));
  show('roll three dice', await cek.say('roll three dice'));
  // Japanese, a one-shot request in a new session.
  const ja = createConversation({
    target: server.url,
    keys,
    extensionId: EXTENSION_ID,
    locale: 'ja-JP',
    model,
  });
  show('サイコロを2個振って', await ja.say('サイコロを2個振って'));

  // What an attacker sends never reaches a handler: each is refused with a 4xx and a stable code.
  console.log(bold('\nRequests that did not come from CEK:'));
  const genuine = JSON.stringify(buildLaunchRequest({ extensionId: EXTENSION_ID, locale: 'en-US' }));
  const impostor = generateTestKeyPair();
  const attempts: [string, string, Record<string, string>][] = [
    ['signed with another key', genuine, { signaturecek: impostor.sign(genuine) }],
    [
      'body changed after signing',
      genuine.replace('LaunchRequest', 'IntentRequest'),
      { signaturecek: keys.sign(genuine) },
    ],
    ['no SignatureCEK header', genuine, {}],
  ];
  for (const [what, body, headers] of attempts) {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
      body,
    });
    const { error } = (await res.json()) as { error: { code: string } };
    console.log(`  ${what.padEnd(28)} → ${res.status} ${error.code}`);
    if (res.status < 400 || res.status >= 500) process.exitCode = 1;
  }

  const report = await auditExtension({ target: server.url, keys, extensionId: EXTENSION_ID });
  const passed = report.checks.filter((check) => check.passed).length;
  console.log(`\nAudit (cekit check, trusted mode): ${passed}/${report.checks.length} checks passed`);
  for (const check of report.checks.filter((c) => !c.passed))
    console.log(`  FAIL ${check.title}: ${check.reason}`);

  console.log(`\nContinue interactively (two terminals):
  node dist/cli/main.js dev examples/dice/extension.ts --extension-id ${EXTENSION_ID}
  node dist/cli/main.js simulate http://127.0.0.1:3000/ --key .cekit/dev-key.pem --extension-id ${EXTENSION_ID} --model examples/models/dice.json --locale en-US
(in your own project, after npm install cekit: npx cekit dev ..., npx cekit simulate ...)`);
  if (!report.passed) process.exitCode = 1;
} finally {
  await server.close();
}
