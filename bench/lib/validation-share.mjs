/**
 * How much of the Custom pipeline request validation costs (issue 4: < 5%). An extension answers a
 * signed IntentRequest through `endpoint.handle()` (signature, JSON, validation, routing, slot
 * parsing, response building, serialisation); validation alone is timed on freshly parsed copies of
 * the same message (parse + validate, minus parse), and the share is validation / handle(). A twin
 * extension with the validation hook switched off is timed too, as a cross-check (noisier: it is a
 * difference of two larger numbers). Rounds are interleaved and the best of each kept, so a
 * neighbour's burst does not pick the winner. Measured in-process, without HTTP: over a socket the
 * pipeline costs more and validation's share is smaller still. Never a unit-test assertion.
 *
 * Run by `npm run bench` (pinned to the server CPU; the result comes back over IPC), or alone:
 *   node bench/lib/validation-share.mjs [requests-per-round]
 */
import { performance } from 'node:perf_hooks';
import { checkCustomRequest, createExtension, silentLogger } from 'cekit';
import { generateTestKeyPair } from 'cekit/testing';
// The bench row's own request.
import { row } from '../servers/cekit-intent.mjs';

const perRound = Number(process.argv[2] ?? 3000);
const ROUNDS = 15;
const keys = generateTestKeyPair();
const body = Buffer.from(JSON.stringify(row.payload.body));
const request = {
  method: 'POST',
  headers: { 'content-type': 'application/json;charset=UTF-8', signaturecek: keys.sign(body) },
  body,
};

function pizzaExtension() {
  const app = createExtension({
    extensionId: 'com.example.extension.pizzabot',
    verify: { keys: [keys.publicKeyPem], bundledKey: false, keyUrl: false },
    logger: silentLogger,
    requestLog: false,
    validateResponses: false,
  });
  app.intent(
    'OrderPizza',
    { slots: { pizzaType: 'string', pizzaAmount: 'number', deliveryTime: 'datetime' } },
    (ctx) => {
      ctx.session.pizza = ctx.slots.pizzaType;
      return ctx.ask(`${ctx.slots.pizzaType}を${ctx.slots.pizzaAmount}枚ですね。`, 'よろしいですか?');
    },
  );
  return app;
}

const validated = pizzaExtension();
const unvalidated = pizzaExtension();
unvalidated.validate = () => {}; // the ablation: everything else identical

async function usPerRequest(endpoint) {
  const start = performance.now();
  for (let i = 0; i < perRound; i++) {
    const res = await endpoint.handle(request);
    if (res.status !== 200) throw new Error(`unexpected ${res.status}: ${res.body}`);
  }
  return ((performance.now() - start) * 1000) / perRound;
}

/** Parse, or parse + validate, of a fresh copy of the message each time (as in the pipeline). */
function timeParse(validate) {
  const text = body.toString('utf8');
  const n = perRound * 10;
  let sink = 0;
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const message = JSON.parse(text);
    sink += validate ? checkCustomRequest(message).length : Object.keys(message).length;
  }
  if (sink < 0) throw new Error('unreachable');
  return ((performance.now() - start) * 1000) / n;
}

const best = { validated: Infinity, unvalidated: Infinity, parse: Infinity, parseAndValidate: Infinity };
for (let round = 0; round < ROUNDS; round++) {
  best.validated = Math.min(best.validated, await usPerRequest(validated.endpoint));
  best.unvalidated = Math.min(best.unvalidated, await usPerRequest(unvalidated.endpoint));
  best.parse = Math.min(best.parse, timeParse(false));
  best.parseAndValidate = Math.min(best.parseAndValidate, timeParse(true));
}
const validation = best.parseAndValidate - best.parse;
const round2 = (value) => Math.round(value * 100) / 100;
const result = {
  requestsPerRound: perRound,
  rounds: ROUNDS,
  handleUsPerRequest: round2(best.validated),
  handleWithoutValidationUsPerRequest: round2(best.unvalidated),
  validationUsPerRequest: round2(validation),
  validationSharePercent: round2((validation / best.validated) * 100),
};
if (process.send) process.send({ validationShare: result });
else console.log(JSON.stringify(result));
validated.endpoint.close();
unvalidated.endpoint.close();
