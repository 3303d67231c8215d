import { describe, expect, it } from 'vitest';
import { createEndpoint, createExtension, silentLogger } from 'cekit';
import { serve } from 'cekit/node';
import {
  createConversation,
  generateTestKeyPair,
  loadInteractionModel,
  ReplyProblemError,
  type Conversation,
} from 'cekit/testing';
import { createDiceExtension } from '../../examples/dice/extension.js';

const keys = generateTestKeyPair();
const EXTENSION_ID = 'com.example.dice';

function dice() {
  return createDiceExtension({
    verify: keys.verifyOptions,
    random: () => 0.5,
    logger: silentLogger,
    language: 'en',
  });
}

/** Remembers a counter in the session and ends the session when told to. */
function counter() {
  const app = createExtension<{ session: { count: number } }>({
    extensionId: EXTENSION_ID,
    verify: keys.verifyOptions,
    logger: silentLogger,
  });
  app.launch((ctx) => ctx.ask('Counting.', 'Say count.'));
  app.intent('CountIntent', (ctx) => {
    const count = (ctx.session.count ?? 0) + 1;
    ctx.session.count = count;
    return ctx.ask(`Count ${count}.`, 'Again?');
  });
  app.intent('Clova.CancelIntent', (ctx) => ctx.say('Bye.'));
  app.event('AudioPlayer.PlayFinished', (ctx) => ctx.say('Finished.'));
  return app;
}

describe('createConversation (in-process)', () => {
  it('keeps the session like CEK: new only on the first turn, same id, attributes carried back', async () => {
    const cek = createConversation({ target: counter(), keys, extensionId: EXTENSION_ID });
    const launch = await cek.launch();
    expect(launch.speech).toBe('Counting.');
    expect(launch.reprompt).toBe('Say count.');
    expect(launch.shouldEndSession).toBe(false);
    const sessionId = cek.sessionId;
    expect(launch.request.session?.new).toBe(true);

    const first = await cek.intent('CountIntent');
    expect(first.request.session).toMatchObject({ sessionId, new: false, sessionAttributes: {} });
    expect(first.speech).toBe('Count 1.');
    expect(first.sessionAttributes).toEqual({ count: 1 });

    const second = await cek.intent('CountIntent');
    expect(second.request.session?.sessionAttributes).toEqual({ count: 1 });
    expect(second.speech).toBe('Count 2.');
    expect(cek.sessionAttributes).toEqual({ count: 2 });
  });

  it('ends the session when the extension says so; the next request opens a new one', async () => {
    const cek = createConversation({ target: counter(), keys, extensionId: EXTENSION_ID });
    await cek.launch();
    await cek.intent('CountIntent');
    const firstSession = cek.sessionId;
    const bye = await cek.intent('Clova.CancelIntent');
    expect(bye.shouldEndSession).toBe(true);
    expect(cek.sessionOpen).toBe(false);

    const again = await cek.intent('CountIntent');
    expect(again.request.session?.new).toBe(true);
    expect(again.request.session?.sessionId).not.toBe(firstSession);
    expect(again.speech).toBe('Count 1.');
  });

  it('end() sends SessionEndedRequest and closes the session', async () => {
    const cek = createConversation({ target: counter(), keys, extensionId: EXTENSION_ID });
    await cek.launch();
    const ended = await cek.end();
    expect(ended.request.request.type).toBe('SessionEndedRequest');
    expect(ended.status).toBe(200);
    expect(cek.sessionOpen).toBe(false);
  });

  it('sends events with realistic payloads', async () => {
    const cek = createConversation({ target: counter(), keys, extensionId: EXTENSION_ID });
    const reply = await cek.event('AudioPlayer.PlayFinished', { token: 'track-1' });
    expect(reply.speech).toBe('Finished.');
    expect(reply.request.request).toMatchObject({ event: { payload: { token: 'track-1' } } });
  });

  it('resolves typed sentences with the interaction model', async () => {
    const model = await loadInteractionModel(
      new URL('../../examples/models/dice.json', import.meta.url).pathname,
    );
    const cek = createConversation({
      target: dice(),
      keys,
      extensionId: EXTENSION_ID,
      locale: 'en-US',
      model,
    });
    await cek.launch();
    const reply = await cek.say('Roll three dice!');
    expect(reply.resolution).toMatchObject({
      intent: 'ThrowDiceIntent',
      via: 'sample',
      sample: 'roll {diceCount} dice',
    });
    expect(reply.request.request).toMatchObject({ intent: { slots: { diceCount: { value: '3' } } } });
    expect(reply.speech).toBe('I rolled 3 dice. The total is 12.');
    expect(cek.history).toHaveLength(2);
  });

  it('refuses a signature it does not trust: strict mode throws with the status as the problem', async () => {
    const cek = createConversation({
      target: dice(),
      keys: generateTestKeyPair(),
      extensionId: EXTENSION_ID,
    });
    const error = await cek.launch().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplyProblemError);
    expect((error as ReplyProblemError).problems[0]).toMatchObject({ code: 'HTTP_STATUS' });
  });

  it('reports schema problems with field paths (non-strict keeps them on the reply)', async () => {
    // A raw dispatcher answering with an invalid speech object.
    const endpoint = createEndpoint({
      extensionId: EXTENSION_ID,
      verify: keys.verifyOptions,
      logger: silentLogger,
      dispatcher: {
        kinds: ['custom'],
        dispatch: () => ({
          version: '1.0',
          sessionAttributes: {},
          response: {
            outputSpeech: {
              type: 'SimpleSpeech',
              values: { type: 'PlainText', lang: 'fr', value: 'Bonjour' },
            },
            card: {},
            directives: [],
            shouldEndSession: true,
          },
        }),
      },
    });
    const cek = createConversation({ target: endpoint, keys, extensionId: EXTENSION_ID, strict: false });
    const reply = await cek.launch();
    expect(reply.ok).toBe(false);
    expect(reply.problems).toContainEqual(
      expect.objectContaining({ code: 'SCHEMA', path: 'response.outputSpeech.values.lang' }),
    );
    expect(() => reply.assertValid()).toThrow(/response\.outputSpeech\.values\.lang/);
    expect(reply.speech).toBe('Bonjour');
  });
});

describe('createConversation over HTTP', () => {
  it('talks to a served extension with real signatures', async () => {
    const server = await serve(dice(), { port: 0, host: '127.0.0.1', handleSignals: false });
    try {
      const cek: Conversation = createConversation({
        target: server.url,
        keys,
        extensionId: EXTENSION_ID,
        locale: 'en-US',
      });
      expect((await cek.launch()).speech).toBe('Let me roll some dice. How many?');
      const roll = await cek.intent('ThrowDiceIntent', { diceCount: 2 });
      expect(roll.speech).toBe('I rolled 2 dice. The total is 8.');
      expect(roll.ms).toBeGreaterThan(0);
      expect(roll.headers['content-type']).toMatch(/^application\/json/);
    } finally {
      await server.close();
    }
  });
});
