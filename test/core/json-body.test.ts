import { describe, expect, it } from 'vitest';
import { createEndpoint, silentLogger } from 'cekit';
import { generateTestKeyPair } from 'cekit/testing';

// The depth guard skips string contents; brackets and escaped quotes inside strings must not fool it.
const keys = generateTestKeyPair();
const endpoint = createEndpoint({
  dispatcher: {
    kinds: ['custom'],
    dispatch: () => ({ version: '1.0', sessionAttributes: {}, response: {} }),
  },
  verify: { keys: [keys.publicKeyPem], bundledKey: false, keyUrl: false },
  allowAnyExtensionId: true,
  logger: silentLogger,
});

async function codeFor(text: string) {
  const body = Buffer.from(text, 'utf8');
  const res = await endpoint.handle({
    method: 'POST',
    headers: { 'content-type': 'application/json', signaturecek: keys.sign(body) },
    body,
  });
  return res.status === 200 ? 'ok' : (JSON.parse(res.body) as { error: { code: string } }).error.code;
}

const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

describe('JSON depth guard', () => {
  it.each([
    ['brackets inside a string', `{"request":{"type":"x"},"s":"${deep(200)}"}`, 'ok'],
    ['escaped quotes inside a string', `{"request":{"type":"x"},"s":"a\\"${deep(200)}\\"b"}`, 'ok'],
    [
      'an escaped backslash ending a string',
      `{"request":{"type":"x"},"s":"a\\\\","t":${deep(100)}}`,
      'JSON_TOO_DEEP',
    ],
    ['exactly the limit', `{"request":{"type":"x"},"t":${deep(63)}}`, 'ok'],
    ['one past the limit', `{"request":{"type":"x"},"t":${deep(64)}}`, 'JSON_TOO_DEEP'],
    ['an unterminated string', `{"request":{"type":"x"},"s":"abc`, 'INVALID_JSON'],
  ])('%s', async (_name, text, expected) => {
    expect(await codeFor(text)).toBe(expected);
  });
});
