import { describe, expect, it } from 'vitest';
import { createConversation, type Transport } from 'cekit/testing';
import { readFixture } from '../helpers/fixtures.js';

/** Answers every request with the given body, as JSON, at once. */
function answering(body: unknown): Transport {
  return {
    description: 'fixed',
    send: async () => ({
      status: 200,
      headers: { 'content-type': 'application/json;charset=UTF-8' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      ms: 1,
    }),
  };
}

const launch = (body: unknown) => createConversation({ target: answering(body), strict: false }).launch();

describe('Reply reads every speech form', () => {
  it('SpeechList: text and audio items in order', async () => {
    const reply = await launch(readFixture('custom/response-speechlist.json'));
    expect(reply.ok).toBe(true);
    expect(reply.speechItems.length).toBeGreaterThan(1);
    expect(reply.speech).toBe(
      reply.speechItems.map((i) => (i.type === 'URL' ? `[audio ${i.value}]` : i.value)).join(' '),
    );
  });

  it('SpeechSet: verbose as speech, brief as briefSpeech', async () => {
    const fixture = readFixture<{ response: { outputSpeech: { brief: { value: string } } } }>(
      'custom/response-speechset.json',
    );
    const reply = await launch(fixture);
    expect(reply.ok).toBe(true);
    expect(reply.briefSpeech).toBe(fixture.response.outputSpeech.brief.value);
    expect(reply.speech).not.toBe('');
    expect(reply.speech).not.toBe(reply.briefSpeech);
  });

  it('reprompt, directives and attributes', async () => {
    expect((await launch(readFixture('custom/response-reprompt.json'))).reprompt).toEqual(expect.any(String));
    const play = await launch(readFixture('custom/response-audioplayer-play.json'));
    expect(play.directive('AudioPlayer.Play')).toBeDefined();
    expect(play.directive('AudioPlayer.Stop')).toBeUndefined();
    const attributes = await launch(readFixture('custom/response-session-attributes.json'));
    expect(Object.keys(attributes.sessionAttributes).length).toBeGreaterThan(0);
  });

  it('never throws on a malformed reply; the problems say what is wrong', async () => {
    const reply = await launch({
      version: '1.0',
      sessionAttributes: 'nope',
      response: {
        outputSpeech: { type: 'SimpleSpeech' },
        card: {},
        directives: [null],
        shouldEndSession: 'yes',
      },
    });
    expect(reply.speech).toBe('');
    expect(reply.directives).toEqual([]);
    expect(reply.sessionAttributes).toEqual({});
    expect(reply.shouldEndSession).toBe(false);
    expect(reply.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['sessionAttributes', 'response.shouldEndSession']),
    );
  });

  it('a body that is not JSON is a NOT_JSON problem', async () => {
    const reply = await launch('<html>oops</html>');
    expect(reply.problems).toContainEqual({ code: 'NOT_JSON', path: '', message: 'the body is not JSON' });
  });
});
