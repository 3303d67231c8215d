/**
 * The handler's context, SpeechBuilder and verifier() of cekit/clova-sdk: the SDK's getters with their
 * empty values, its setters, and what was fixed (request data never reaches a prototype).
 */
import { afterEach, describe, expect, it } from 'vitest';
import clova, { Context, SpeechBuilder, VerificationError, verifier, type Clova } from 'cekit/clova-sdk';
import { buildEventRequest, buildIntentRequest, buildLaunchRequest } from 'cekit/testing';
import { signedVector } from '../helpers/fixtures.js';

const asBody = (message: unknown) => message as Clova.RequestBody;

const intent = asBody(
  buildIntentRequest(
    'OrderPizza',
    {
      pizzaType: 'ペパロニ',
      count: { value: '2', unit: '枚' },
      when: { value: '19:00:00/19:30:00', valueType: 'TIME.INTERVAL' },
    },
    { session: { new: false, attributes: { step: 'order' } }, accessToken: 'token-1' },
  ),
);

describe('Context: reading the request', () => {
  it('gives the intent, its slots by name, and only the units and value types that are set', () => {
    const ctx = new Context(intent);
    expect(ctx.getIntentName()).toBe('OrderPizza');
    expect(ctx.getSlots()).toEqual({ pizzaType: 'ペパロニ', count: '2', when: '19:00:00/19:30:00' });
    expect(ctx.getSlotUnits()).toEqual({ count: '枚' });
    expect(ctx.getSlotValueTypes()).toEqual({ when: 'TIME.INTERVAL' });
    expect(ctx.getSlot('pizzaType')).toBe('ペパロニ');
    expect(ctx.getSlotUnit('count')).toBe('枚');
    expect(ctx.getSlotValueType('when')).toBe('TIME.INTERVAL');
  });

  it('gives the SDK’s empty values: null for a missing slot, unit, type or intent; {} for no slots', () => {
    const launch = new Context(asBody(buildLaunchRequest()));
    expect(launch.getIntentName()).toBeNull();
    expect(launch.getSlots()).toEqual({});
    expect(launch.getSlotUnits()).toEqual({});
    expect(launch.getSlot('pizzaType')).toBeNull();
    const ctx = new Context(intent);
    expect(ctx.getSlot('missing')).toBeNull();
    expect(ctx.getSlotUnit('pizzaType')).toBeNull();
    expect(ctx.getSlotValueType('pizzaType')).toBeNull();
    // As in the SDK, an empty value reads as null.
    expect(new Context(asBody(buildIntentRequest('I', { n: '' }))).getSlot('n')).toBeNull();
  });

  it('never reads inherited properties, and a slot named __proto__ is an own key, not a prototype', () => {
    const ctx = new Context(intent);
    expect(ctx.getSlot('constructor')).toBeNull();
    expect(ctx.getSlot('toString')).toBeNull();
    expect(ctx.getSlotUnit('hasOwnProperty')).toBeNull();
    const hostile = JSON.parse(
      '{"version":"1.0","session":{"sessionId":"s","new":true,"sessionAttributes":{},"user":{"userId":"u"}},' +
        '"context":{"System":{"application":{"applicationId":"a"},"device":{"deviceId":"d","display":{"size":"none"}},"user":{"userId":"u"}}},' +
        '"request":{"type":"IntentRequest","intent":{"name":"I","slots":{"x":{"name":"__proto__","value":"polluted"}}}}}',
    ) as Clova.RequestBody;
    const slots = new Context(hostile).getSlots();
    expect(Object.getPrototypeOf(slots)).toBe(Object.prototype);
    expect(Object.keys(slots)).toEqual(['__proto__']);
    expect(new Context(hostile).getSlot('__proto__')).toBe('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('gives the session id, its attributes, and the user with the access token', () => {
    const ctx = new Context(intent);
    expect(ctx.getSessionId()).toBe(intent.session.sessionId);
    expect(ctx.getSessionAttributes()).toEqual({ step: 'order' });
    expect(ctx.getUser()).toMatchObject({ accessToken: 'token-1' });
  });

  it('has requestObject and responseObject as its only own properties, so contexts compare by value', () => {
    const ctx = new Context(intent);
    expect(Object.keys(ctx)).toEqual(['requestObject', 'responseObject']);
    expect(ctx).toEqual(new Context(intent));
  });
});

describe('Context: building the response', () => {
  it('starts from the empty response, ending the session by default for events only', () => {
    expect(new Context(intent).responseObject).toEqual({
      version: '1.0',
      sessionAttributes: { step: 'order' },
      response: { card: {}, directives: [], outputSpeech: {}, shouldEndSession: false },
    });
    const event = new Context(asBody(buildEventRequest('ClovaSkill.SkillEnabled')));
    expect(event.responseObject.response.shouldEndSession).toBe(true);
  });

  it('starts with the very session attributes object of the request, so changes to it are answered', () => {
    const ctx = new Context(intent);
    (ctx.getSessionAttributes() as { step: string }).step = 'confirm';
    expect(ctx.responseObject.sessionAttributes).toEqual({ step: 'confirm' });
    ctx.setSessionAttributes({ other: 1 });
    expect(ctx.responseObject.sessionAttributes).toEqual({ other: 1 });
  });

  it('sets each kind of speech, as the speech or (with `reprompt`) as the reprompt, and chains', () => {
    const ctx = new Context(intent);
    const hello = SpeechBuilder.createSpeechText('こんにちは');
    const sound = SpeechBuilder.createSpeechUrl('https://example.com/a.mp3');
    expect(ctx.setSimpleSpeech(hello).setSpeechList([hello, sound], true)).toBe(ctx);
    expect(ctx.responseObject.response.outputSpeech).toEqual({ type: 'SimpleSpeech', values: hello });
    expect(ctx.responseObject.response.reprompt).toEqual({
      outputSpeech: { type: 'SpeechList', values: [hello, sound] },
    });
    ctx.setSpeechSet(hello, { type: 'SpeechList', values: [hello, sound] });
    expect(ctx.responseObject.response.outputSpeech).toEqual({
      type: 'SpeechSet',
      brief: hello,
      verbose: { type: 'SpeechList', values: [hello, sound] },
    });
    ctx.setReprompt({ type: 'SimpleSpeech', values: sound });
    expect(ctx.responseObject.response.reprompt).toEqual({
      outputSpeech: { type: 'SimpleSpeech', values: sound },
    });
    ctx.setOutputSpeech({ type: 'SimpleSpeech', values: sound }, true);
    expect(ctx.responseObject.response.reprompt?.outputSpeech).toEqual({
      type: 'SimpleSpeech',
      values: sound,
    });
  });

  it('endSession() ends the session and drops the session attributes', () => {
    const ctx = new Context(intent);
    ctx.endSession();
    expect(ctx.responseObject.response.shouldEndSession).toBe(true);
    expect(ctx.responseObject.sessionAttributes).toEqual({});
  });
});

describe('SpeechBuilder', () => {
  afterEach(() => {
    SpeechBuilder.DEFAULT_LANG = 'ja';
  });

  it('builds text in the default language (ja, settable process-wide) or a given one, and URLs', () => {
    expect(SpeechBuilder.DEFAULT_LANG).toBe('ja');
    expect(SpeechBuilder.createSpeechText('おはよう')).toEqual({
      lang: 'ja',
      type: 'PlainText',
      value: 'おはよう',
    });
    SpeechBuilder.DEFAULT_LANG = 'ko';
    expect(SpeechBuilder.createSpeechText('안녕')).toEqual({ lang: 'ko', type: 'PlainText', value: '안녕' });
    expect(SpeechBuilder.createSpeechText('hi', 'en').lang).toBe('en');
    expect(SpeechBuilder.createSpeechUrl('https://example.com/a.mp3')).toEqual({
      lang: '',
      type: 'URL',
      value: 'https://example.com/a.mp3',
    });
  });
});

describe('verifier()', () => {
  const launch = signedVector('signed-launch-request');
  const APP = 'com.chens.morning';

  it('resolves a real CEK-signed body (text or bytes) to the parsed request', async () => {
    await expect(verifier(launch.signatureCEK, APP, launch.rawBody)).resolves.toEqual(
      JSON.parse(launch.rawBody),
    );
    await expect(verifier(launch.signatureCEK, APP, Buffer.from(launch.rawBody))).resolves.toMatchObject({
      version: '1.0',
    });
  });

  it('rejects with the SDK’s messages, as a VerificationError with cekit’s code and status', async () => {
    const cases: Array<[Promise<unknown>, string, string, number]> = [
      [verifier('', APP, launch.rawBody), 'Missing signature.', 'SIGNATURE_MISSING', 401],
      [
        verifier(launch.signatureCEK, '', launch.rawBody),
        'Missing applicationId.',
        'APPLICATION_ID_MISMATCH',
        403,
      ],
      [verifier(launch.signatureCEK, APP, ''), 'Missing requestBody.', 'EMPTY_BODY', 400],
      [
        verifier('not-base64!', APP, launch.rawBody),
        'Invalid signature: "not-base64!".',
        'SIGNATURE_MALFORMED',
        400,
      ],
      [
        verifier(launch.signatureCEK, 'com.other', launch.rawBody),
        'Invalid application id: com.other.',
        'APPLICATION_ID_MISMATCH',
        403,
      ],
    ];
    for (const [pending, message, code, status] of cases) {
      const error = await pending.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error, message).toBeInstanceOf(VerificationError);
      expect(error, message).toMatchObject({ message, code, status });
    }
  });

  it('is also the default export, which carries the whole surface', async () => {
    expect(clova.Client.configureSkill).toBeTypeOf('function');
    expect(clova.Context).toBe(Context);
    expect(clova.SpeechBuilder).toBe(SpeechBuilder);
    expect(clova.verifier).toBe(verifier);
    await expect(clova(launch.signatureCEK, APP, launch.rawBody)).resolves.toMatchObject({ version: '1.0' });
  });
});
