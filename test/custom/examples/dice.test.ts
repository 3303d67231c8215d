import { describe, expect, it } from 'vitest';
import { silentLogger } from 'cekit';
import { createDiceExtension } from '../../../examples/dice/extension.js';
import { fixture, intentRequest, keys, send } from '../harness.js';

const EXTENSION_ID = 'com.example.extension.pizzabot'; // the fixtures' applicationId

function dice(random = () => 0.5) {
  return createDiceExtension({
    extensionId: EXTENSION_ID,
    verify: { keys: [keys.publicKeyPem], bundledKey: false, keyUrl: false },
    random,
    logger: silentLogger,
    soundUrl: 'https://example.com/dice.mp3',
  });
}

describe('examples/dice', () => {
  it('greets on launch and asks how many dice', async () => {
    const { json } = await send(dice(), fixture('launch-request'));
    expect(json.response.outputSpeech.values.value).toBe('サイコロを振ります。何個振りますか?');
    expect(json.response.shouldEndSession).toBe(false);
    expect(json.response.reprompt).toBeDefined();
  });

  it('rolls the number of dice in the slot, after the dice sound', async () => {
    // random 0.5 → every die shows 4.
    const { json } = await send(dice(), intentRequest('ThrowDiceIntent', { diceCount: { value: '3' } }));
    expect(json.response.outputSpeech).toEqual({
      type: 'SpeechList',
      values: [
        { type: 'URL', lang: '', value: 'https://example.com/dice.mp3' },
        { type: 'PlainText', lang: 'ja', value: 'サイコロを3個振りました。合計は12です。' },
      ],
    });
    expect(json.response.shouldEndSession).toBe(true);
  });

  it('rolls one die when the slot is empty and speaks English for an English request', async () => {
    const { json } = await send(
      dice(() => 0),
      intentRequest('ThrowDiceIntent', {}, { locale: 'en-US' }),
    );
    expect(json.response.outputSpeech.values[1]).toEqual({
      type: 'PlainText',
      lang: 'en',
      value: 'I rolled 1 die. The total is 1.',
    });
  });

  it('asks again for too many dice', async () => {
    const { json } = await send(dice(), intentRequest('ThrowDiceIntent', { diceCount: { value: 50 } }));
    expect(json.response.outputSpeech.values.value).toContain('10個まで');
    expect(json.response.shouldEndSession).toBe(false);
  });

  it('answers help and cancel', async () => {
    const help = await send(dice(), intentRequest('Clova.GuideIntent'));
    expect(help.json.response.shouldEndSession).toBe(false);
    const cancel = await send(dice(), fixture('intent-request-builtin-cancel'));
    expect(cancel.json.response.outputSpeech.values.value).toBe('またね。');
    expect(cancel.json.response.shouldEndSession).toBe(true);
  });

  it('refuses a request signed by another key', async () => {
    const app = dice();
    const body = JSON.stringify(fixture('launch-request'));
    const res = await app.endpoint.handle({
      method: 'POST',
      headers: { 'content-type': 'application/json', signaturecek: keys.sign(`${body} `) },
      body: Buffer.from(body),
    });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error.code).toBe('SIGNATURE_INVALID');
  });
});
