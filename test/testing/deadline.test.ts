import { describe, expect, it } from 'vitest';
import { CEK_DEADLINE_MS, createConversation, defineInteractionModel, type Transport } from 'cekit/testing';

const valid = JSON.stringify({
  version: '1.0',
  sessionAttributes: {},
  response: {
    outputSpeech: { type: 'SimpleSpeech', values: { type: 'PlainText', lang: 'en', value: 'Hi' } },
    card: {},
    directives: [],
    shouldEndSession: false,
  },
});

/** A transport that answers at once but reports a given duration: the deadline check without waiting 8 s. */
function slowTransport(ms: number, sent: string[] = []): Transport {
  return {
    description: 'fake',
    send: async (request) => {
      sent.push(String(request.body));
      return { status: 200, headers: { 'content-type': 'application/json' }, body: valid, ms };
    },
  };
}

describe('the 8-second deadline', () => {
  it('is a problem when the answer takes longer than CEK waits', async () => {
    const cek = createConversation({ target: slowTransport(CEK_DEADLINE_MS + 1), strict: false });
    const reply = await cek.launch();
    expect(reply.problems).toEqual([
      {
        code: 'DEADLINE',
        path: '',
        message: `answered in ${CEK_DEADLINE_MS + 1} ms, over CEK's 8000 ms deadline`,
      },
    ]);
  });

  it('is fine just under it', async () => {
    const cek = createConversation({ target: slowTransport(CEK_DEADLINE_MS - 1) });
    expect((await cek.launch()).ok).toBe(true);
  });
});

describe('custom transports and exit phrases', () => {
  it('sends the CEK headers and a session-ending request for "終了して"', async () => {
    const sent: string[] = [];
    const model = defineInteractionModel({ intents: [{ name: 'Hello', samples: ['hello'] }] });
    const cek = createConversation({ target: slowTransport(5, sent), model });
    await cek.launch();
    expect(cek.sessionOpen).toBe(true);
    const reply = await cek.say('終了して');
    expect(reply.resolution).toMatchObject({ type: 'SessionEndedRequest', via: 'exit' });
    expect(JSON.parse(sent[1]!)).toMatchObject({
      request: { type: 'SessionEndedRequest' },
      session: { new: false },
    });
    expect(cek.sessionOpen).toBe(false);
  });
});
