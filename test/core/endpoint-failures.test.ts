import { describe, expect, it, vi } from 'vitest';
import { createEndpoint, RejectionError, silentLogger, type Dispatcher, type EndpointOptions } from 'cekit';
import { generateTestKeyPair } from 'cekit/testing';

// Failures inside cekit's collaborators (handlers, fallbacks, custom verifiers) never become a 5xx,
// never leak a message or stack to the caller, and never let an unverified request through.

const keys = generateTestKeyPair();
const SECRET = 'db password is hunter2';
const message = {
  version: '1.0',
  session: { new: true, sessionAttributes: {}, sessionId: 's', user: { userId: 'u' } },
  context: {
    System: {
      application: { applicationId: 'com.example.dice' },
      device: { deviceId: 'd' },
      user: { userId: 'u' },
    },
  },
  request: { type: 'LaunchRequest' },
};
const body = Buffer.from(JSON.stringify(message));
const request = {
  method: 'POST',
  headers: { 'content-type': 'application/json', signaturecek: keys.sign(body) },
  body,
};

function make(dispatcher: Partial<Dispatcher>, extra: Partial<EndpointOptions> = {}) {
  const error = vi.fn();
  const endpoint = createEndpoint({
    dispatcher: { kinds: ['custom'], dispatch: () => ({}), ...dispatcher },
    verify: { keys: [keys.publicKeyPem], bundledKey: false, keyUrl: false },
    extensionId: 'com.example.dice',
    logger: { ...silentLogger, error },
    ...extra,
  });
  return { endpoint, error };
}

const boom = () => {
  throw new Error(SECRET);
};

describe('handler failures answer 200 with a valid fallback and leak nothing', () => {
  const failures: [string, Partial<Dispatcher>][] = [
    ['a throwing handler', { dispatch: boom }],
    ['a rejecting async handler', { dispatch: () => Promise.reject(new Error(SECRET)) }],
    ['a handler returning undefined', { dispatch: () => undefined }],
    ['an async handler resolving undefined', { dispatch: async () => undefined }],
    [
      'a circular answer',
      {
        dispatch: () => {
          const a: Record<string, unknown> = {};
          a.self = a;
          return a;
        },
      },
    ],
    ['an answer that cannot be serialised (BigInt)', { dispatch: async () => ({ n: 1n }) }],
  ];

  it.each(failures)('%s', async (_name, dispatcher) => {
    const { endpoint, error } = make(dispatcher);
    const res = await endpoint.handle(request);
    expect(res.status).toBe(200);
    expect(res.body).not.toContain(SECRET);
    expect(JSON.parse(res.body)).toMatchObject({ version: '1.0', response: { shouldEndSession: true } });
    expect(error).toHaveBeenCalledOnce();
    expect(JSON.stringify(error.mock.calls)).not.toMatch(/\n\s+at /);
  });

  it('uses the built-in fallback when the dispatcher fallback throws too', async () => {
    const { endpoint, error } = make({ dispatch: boom, fallback: boom });
    const res = await endpoint.handle(request);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ response: { shouldEndSession: true } });
    expect(error).toHaveBeenCalledTimes(2);
  });

  it('aborts the signal of a handler that outlives the budget, even when it reads the signal late', async () => {
    let late: AbortSignal | undefined;
    const { endpoint } = make(
      {
        dispatch: (_message, context) =>
          new Promise((resolve) =>
            setTimeout(() => {
              late = context.signal;
              resolve({});
            }, 80),
          ),
      },
      { responseBudgetMs: 20 },
    );
    expect((await endpoint.handle(request)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(late?.aborted).toBe(true);
  });
});

describe('failures before the handler answer 4xx and leak nothing', () => {
  it('a validate hook throwing a plain Error is a 400 INVALID_MESSAGE without its message', async () => {
    const dispatch = vi.fn();
    const { endpoint, error } = make({ dispatch, validate: boom });
    const res = await endpoint.handle(request);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'INVALID_MESSAGE', message: expect.any(String) } });
    expect(res.body).not.toContain(SECRET);
    expect(dispatch).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledOnce();
  });

  it('a validate hook throwing a RejectionError answers that rejection', async () => {
    const { endpoint } = make({
      validate: () => {
        throw new RejectionError('INVALID_MESSAGE', 'request.type is missing');
      },
    });
    const res = await endpoint.handle(request);
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 'INVALID_MESSAGE', message: expect.stringContaining('request.type is missing') },
    });
  });

  it.each([
    ['throws', () => boom()],
    ['rejects', () => Promise.reject(new Error(SECRET))],
  ])('a custom verifier that %s fails closed with 403 SIGNATURE_INVALID', async (_name, verify) => {
    const dispatch = vi.fn();
    const { endpoint, error } = make({ dispatch }, { verify: { scheme: 'custom', verify } });
    const res = await endpoint.handle(request);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'SIGNATURE_INVALID' } });
    expect(res.body).not.toContain(SECRET);
    expect(dispatch).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledWith(
      expect.stringMatching(/verifier failed/),
      expect.objectContaining({ scheme: 'custom' }),
    );
  });
});
