import { describe, expect, it } from 'vitest';
import { createEndpoint, silentLogger, type Logger } from 'cekit';
import {
  directInvocationVerifier,
  toLambdaHandler,
  type LambdaHandler,
  type LambdaHttpResult,
} from 'cekit/lambda';
import { signedVector } from '../helpers/fixtures.js';
import {
  EXTENSION_ID,
  countingDispatcher,
  runConformance,
  signedLaunch,
  testEndpoint,
  type WireAnswer,
  type WireRequest,
} from './conformance.js';

type EventShape = (request: WireRequest) => Record<string, unknown>;

/** API Gateway REST API (payload 1.0): headers keep the client's case; multiValueHeaders too. */
const restApi =
  (base64: boolean): EventShape =>
  (request) => {
    const headers: Record<string, string> = {};
    const multiValueHeaders: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      const values = [value].flat();
      headers[name] = values.at(-1)!;
      multiValueHeaders[name] = values;
    }
    return {
      resource: '/clova',
      path: '/clova',
      httpMethod: request.method,
      headers,
      multiValueHeaders,
      queryStringParameters: null,
      requestContext: { resourcePath: '/clova', httpMethod: request.method, stage: 'prod' },
      body: encode(request.body, base64),
      isBase64Encoded: base64,
    };
  };

/** HTTP API (payload 2.0) and function URLs: lower-cased names, repeated values joined by commas. */
const httpApi =
  (base64: boolean, functionUrl = false): EventShape =>
  (request) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers))
      headers[name.toLowerCase()] = [value].flat().join(',');
    return {
      version: '2.0',
      routeKey: functionUrl ? '$default' : 'POST /clova',
      rawPath: '/clova',
      rawQueryString: '',
      headers,
      requestContext: {
        ...(functionUrl ? { domainName: 'abc.lambda-url.ap-northeast-1.on.aws' } : { apiId: 'api' }),
        http: { method: request.method, path: '/clova', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
      },
      body: encode(request.body, base64),
      isBase64Encoded: base64,
    };
  };

/**
 * Application Load Balancer target event: the v1 shape with `requestContext.elb`, and either
 * `headers` (names lower-cased, last value wins) or, with multi-value headers on, `multiValueHeaders` only.
 */
const loadBalancer =
  (multiValue: boolean): EventShape =>
  (request) => {
    const single: Record<string, string> = {};
    const multi: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      single[name.toLowerCase()] = [value].flat().at(-1)!;
      multi[name.toLowerCase()] = [value].flat();
    }
    return {
      requestContext: {
        elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:ap-northeast-1:1:targetgroup/cek/1' },
      },
      httpMethod: request.method,
      path: '/clova',
      ...(multiValue ? { multiValueHeaders: multi } : { headers: single }),
      body: encode(request.body, true),
      isBase64Encoded: true,
    };
  };

function encode(body: Uint8Array | undefined, base64: boolean): string | undefined {
  if (body === undefined || body.byteLength === 0) return undefined;
  return Buffer.from(body).toString(base64 ? 'base64' : 'utf8');
}

async function invoke(handler: LambdaHandler, event: Record<string, unknown>): Promise<WireAnswer> {
  const result = (await handler(event)) as LambdaHttpResult;
  expect(result.isBase64Encoded).toBe(false);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = value;
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
    headers[name.toLowerCase()] = values.join(', ');
  return { status: result.statusCode, headers, body: result.body };
}

const SHAPES: Array<[string, EventShape]> = [
  ['API Gateway REST API (v1)', restApi(false)],
  ['API Gateway REST API (v1), binary media type (base64 body)', restApi(true)],
  ['API Gateway HTTP API (v2)', httpApi(false)],
  ['Lambda function URL (base64 body)', httpApi(true, true)],
  ['Application Load Balancer', loadBalancer(false)],
  ['Application Load Balancer, multi-value headers', loadBalancer(true)],
];

for (const [name, shape] of SHAPES) {
  runConformance({
    name: `Lambda, ${name}`,
    streams: false,
    socket: false,
    serve: async (endpoint) => {
      const handler = toLambdaHandler(endpoint, { logger: silentLogger });
      return { send: (request) => invoke(handler, shape(request)), close: async () => {} };
    },
  });
}

const launch = signedVector('signed-launch-request');
const launchMessage = JSON.parse(launch.rawBody) as Record<string, unknown>;

describe('Lambda: headers', () => {
  it('answers a load balancer with a status description, in the header form its event used', async () => {
    const handler = toLambdaHandler(testEndpoint(countingDispatcher()), { logger: silentLogger });
    const single = (await handler(loadBalancer(false)(signedLaunch()))) as LambdaHttpResult;
    expect(single).toMatchObject({ statusCode: 200, statusDescription: '200 OK' });
    expect(single.headers?.['content-type']).toMatch(/^application\/json/);
    expect(single.multiValueHeaders).toBeUndefined();
    const multi = (await handler(loadBalancer(true)({ method: 'GET', headers: {} }))) as LambdaHttpResult;
    expect(multi).toMatchObject({ statusCode: 405, statusDescription: '405 Method Not Allowed' });
    expect(multi.multiValueHeaders).toMatchObject({ allow: ['POST'] });
    expect(multi.headers).toBeUndefined();
  });

  it('answers API Gateway without a status description', async () => {
    const handler = toLambdaHandler(testEndpoint(countingDispatcher()), { logger: silentLogger });
    const result = (await handler(restApi(false)(signedLaunch()))) as LambdaHttpResult;
    expect(Object.keys(result).sort()).toEqual(['body', 'headers', 'isBase64Encoded', 'statusCode']);
  });

  it('a SignatureCEK repeated in multiValueHeaders is refused as duplicated', async () => {
    const dispatcher = countingDispatcher();
    const handler = toLambdaHandler(testEndpoint(dispatcher), { logger: silentLogger });
    const event = restApi(false)({
      ...signedLaunch(),
      headers: {
        'Content-Type': 'application/json',
        SignatureCEK: [launch.signatureCEK, launch.signatureCEK],
      },
    });
    const answer = await invoke(handler, event);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error.code).toBe('SIGNATURE_DUPLICATED');
    expect(dispatcher.calls).toBe(0);
  });

  it('reads v1 headers when multiValueHeaders is absent (or null)', async () => {
    const handler = toLambdaHandler(testEndpoint(countingDispatcher()), { logger: silentLogger });
    const event = { ...restApi(false)(signedLaunch()), multiValueHeaders: null };
    expect((await invoke(handler, event)).status).toBe(200);
  });

  it('an event that is neither HTTP nor a CEK message gets INVALID_MESSAGE', async () => {
    const handler = toLambdaHandler(testEndpoint(countingDispatcher()), { logger: silentLogger });
    expect(await handler({ Records: [] })).toEqual({
      error: { code: 'INVALID_MESSAGE', message: expect.stringMatching(/neither an HTTP event/) },
    });
  });
});

describe('Lambda: direct invocation', () => {
  it('is refused by default (no SignatureCEK to verify), logged once', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
    const dispatcher = countingDispatcher();
    const handler = toLambdaHandler(testEndpoint(dispatcher), { logger });
    for (let i = 0; i < 2; i++) {
      const answer = await handler(launchMessage);
      expect(answer).toMatchObject({ error: { code: 'SIGNATURE_MISSING' } });
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/directInvocation/);
    expect(dispatcher.calls).toBe(0);
  });

  it('is answered with the response message when a direct-invocation endpoint is given', async () => {
    const dispatcher = countingDispatcher();
    const direct = createEndpoint({
      dispatcher,
      extensionId: EXTENSION_ID,
      verify: directInvocationVerifier(),
      logger: silentLogger,
    });
    const handler = toLambdaHandler(testEndpoint(dispatcher), {
      directInvocation: direct,
      logger: silentLogger,
    });
    const answer = await handler(launchMessage);
    expect(answer).toMatchObject({
      version: '1.0',
      response: { outputSpeech: { values: { value: 'got LaunchRequest' } } },
    });
    expect(dispatcher.calls).toBe(1);
  });

  it('keeps every other check on the direct path (applicationId)', async () => {
    const dispatcher = countingDispatcher();
    const direct = createEndpoint({
      dispatcher,
      extensionId: 'com.example.other',
      verify: directInvocationVerifier(),
      logger: silentLogger,
    });
    const handler = toLambdaHandler(testEndpoint(dispatcher), {
      directInvocation: direct,
      logger: silentLogger,
    });
    expect(await handler(launchMessage)).toMatchObject({ error: { code: 'APPLICATION_ID_MISMATCH' } });
    expect(dispatcher.calls).toBe(0);
  });

  it('the direct-invocation verifier refuses anything that did not come through the direct path', async () => {
    const dispatcher = countingDispatcher();
    const direct = createEndpoint({
      dispatcher,
      extensionId: EXTENSION_ID,
      verify: directInvocationVerifier(),
      logger: silentLogger,
    });
    // Served over HTTP by mistake: refused, even with a real signature or forged headers.
    const answer = await direct.handle({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(launch.rawBody),
    });
    expect(answer.status).toBe(401);
    const overHttp = await invoke(
      toLambdaHandler(direct, { logger: silentLogger }),
      restApi(false)(signedLaunch()),
    );
    expect(overHttp.status).toBe(401);
    expect(dispatcher.calls).toBe(0);
  });
});
