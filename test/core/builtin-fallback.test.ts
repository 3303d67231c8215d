import { describe, expect, it } from 'vitest';
import { builtinFallback } from '../../src/core/fallback.js';
import { validateCustomResponse } from 'cekit';
import { validateHomeMessage } from 'cekit/home';

// The answers of last resort must be valid by the protocol themselves: CEK would refuse anything else.
describe('builtinFallback', () => {
  it.each([
    ['ja-JP', 'ja'],
    ['ko-KR', 'ko'],
    ['en-US', 'en'],
    [undefined, 'ja'],
    [42, 'ja'],
  ])('answers a Custom request with locale %s by a valid apology in %s', (locale, lang) => {
    const answer = builtinFallback('custom', { version: '1.0', request: { type: 'LaunchRequest', locale } });
    expect(validateCustomResponse(answer)).toMatchObject({ ok: true });
    expect(answer).toMatchObject({
      response: { outputSpeech: { values: { lang } }, shouldEndSession: true },
    });
  });

  it('answers a Clova Home request with a valid DriverInternalError', () => {
    const answer = builtinFallback('home', {
      header: { name: 'TurnOnRequest', namespace: 'ClovaHome', payloadVersion: '1.0', messageId: 'x' },
      payload: {},
    });
    expect(validateHomeMessage(answer)).toEqual([]);
    expect(answer).toMatchObject({ header: { name: 'DriverInternalError' } });
  });
});
