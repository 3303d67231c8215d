/**
 * How much of the Custom pipeline request validation costs (issue 4: < 5%). Runs a realistic signed
 * IntentRequest through `endpoint.handle()` (signature, JSON, validation, routing, slot parsing,
 * response building, serialisation) and, separately, the request validation alone, N times each,
 * then prints the share. A ratio on one machine in one run, never an absolute timing assertion.
 *
 *   npx tsx --conditions=source bench/custom-validation.ts [iterations]
 */
import { performance } from 'node:perf_hooks';
import { checkCustomRequest, createExtension, silentLogger } from 'cekit';
import { generateTestKeyPair } from 'cekit/testing';

const iterations = Number(process.argv[2] ?? 20_000);
const keys = generateTestKeyPair();
const app = createExtension({
  extensionId: 'com.example.bench',
  verify: { keys: [keys.publicKeyPem], bundledKey: false, keyUrl: false },
  logger: silentLogger,
  requestLog: false,
  validateResponses: false,
});
app.intent(
  'OrderPizza',
  { slots: { pizzaType: 'string', pizzaAmount: 'number', when: 'datetime' } },
  (ctx) => {
    ctx.session.last = ctx.slots.pizzaType;
    return ctx.ask(`${ctx.slots.pizzaType}を${ctx.slots.pizzaAmount}枚ですね。`, 'よろしいですか?');
  },
);

const message = {
  version: '1.0',
  session: {
    new: false,
    sessionAttributes: { step: 'amount' },
    sessionId: 'a29cfead-c5ba-474d-8745-6c1a6625f0c5',
    user: { userId: 'U399a1e08a8d474521fc4bbd8c7b4148f', accessToken: 'XHapQasdfsdfFsdfasdflQQ7' },
  },
  context: {
    System: {
      application: { applicationId: 'com.example.bench' },
      device: {
        deviceId: '096e6b27-1717-33e9-b0a7-510a48658a9b',
        display: {
          size: 'l100',
          orientation: 'landscape',
          dpi: 96,
          contentLayer: { width: 640, height: 360 },
        },
      },
      user: { userId: 'U399a1e08a8d474521fc4bbd8c7b4148f', accessToken: 'XHapQasdfsdfFsdfasdflQQ7' },
    },
  },
  request: {
    type: 'IntentRequest',
    requestId: 'e5464288-50ff-4e99-928d-4a301e083d41',
    timestamp: '2018-09-08T00:00:00Z',
    locale: 'ja-JP',
    intent: {
      name: 'OrderPizza',
      slots: {
        pizzaType: { name: 'pizzaType', value: 'ペパロニ' },
        pizzaAmount: { name: 'pizzaAmount', value: '2', unit: '枚' },
        when: { name: 'when', value: '2018-08-10T19:00:00+09:00', valueType: 'DATETIME' },
      },
    },
  },
};
const body = Buffer.from(JSON.stringify(message));
const request = {
  method: 'POST',
  headers: { 'content-type': 'application/json;charset=UTF-8', signaturecek: keys.sign(body) },
  body,
};

async function timeHandle(n: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const res = await app.endpoint.handle(request);
    if (res.status !== 200) throw new Error(`unexpected ${res.status}: ${res.body}`);
  }
  return performance.now() - start;
}

function timeValidate(n: number): number {
  const parsed = JSON.parse(body.toString('utf8')) as unknown;
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    if (checkCustomRequest(parsed).length !== 0) throw new Error('invalid');
  }
  return performance.now() - start;
}

await timeHandle(2000); // warm-up
timeValidate(20_000);
const handleMs = await timeHandle(iterations);
const validateMs = timeValidate(iterations);
const share = (validateMs / handleMs) * 100;
console.log(
  JSON.stringify({
    iterations,
    handleUsPerRequest: round((handleMs * 1000) / iterations),
    validateUsPerRequest: round((validateMs * 1000) / iterations),
    validationSharePercent: round(share),
  }),
);
app.endpoint.close();

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
