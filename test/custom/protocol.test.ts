import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  checkCustomRequest,
  formatIssue,
  parseCustomRequest,
  RejectionError,
  validateCustomResponse,
  type CustomRequest,
  type CustomResponse,
  type IntentRequest,
} from 'cekit';
import { listFixtures, readFixture } from '../helpers/fixtures.js';

const requestFixtures = listFixtures('custom').filter((name) => !name.startsWith('response'));
const responseFixtures = listFixtures('custom').filter((name) => name.startsWith('response'));

/**
 * Verbatim JP doc examples that contradict the Play field table (spec custom-extension.md §5.1, §5.5):
 * the validator follows the table, so these are refused, with exactly these findings.
 */
const CONTRADICTIONS: Record<string, string[]> = {
  'response-audioplayer-play-deferred-url.json': [
    'response.directives[0].payload.audioItem.titleText: is required',
    'response.directives[0].payload.audioItem.titleSubText1: is required',
    'response.directives[0].payload.source: is required',
  ],
  'response-audioplayer-play.json': [
    'response.directives[0].payload.audioItem.stream.token: is required',
    'response.directives[0].payload.audioItem.titleText: is required',
    'response.directives[0].payload.audioItem.titleSubText1: is required',
  ],
  // The KR example sends `data: null, url: null`; the table says the lyrics are in one of them (§5.4).
  'response-templateruntime-render-player-info.json': [
    'response.directives[0].payload.playableItems[0].lyrics[0]: needs the lyrics text in `data` or their address in `url`',
    'response.directives[0].payload.playableItems[1].lyrics[0]: needs the lyrics text in `data` or their address in `url`',
  ],
};

const base = () => readFixture<Record<string, unknown>>('custom/intent-request.json');

describe('Custom request schema', () => {
  it('has fixtures to check', () => {
    expect(requestFixtures.length).toBeGreaterThanOrEqual(25);
  });

  it.each(requestFixtures)('accepts %s', (name) => {
    expect(checkCustomRequest(readFixture(`custom/${name}`)).map(formatIssue)).toEqual([]);
  });

  it('accepts the shapes of real traffic: null session, empty context, null slots, extra fields', () => {
    const message = base();
    message.session = null;
    message.context = {};
    message.request = {
      type: 'IntentRequest',
      locale: 'ko-KR',
      extensionId: 'com.example',
      unknownField: { anything: true },
      intent: { name: 'Clova.GuideIntent', intent: 'Clova.GuideIntent', slots: null },
    };
    expect(checkCustomRequest(message)).toEqual([]);
  });

  it('accepts a session without sessionAttributes and events outside the catalogue', () => {
    const message = base();
    message.session = { sessionId: 's', new: true, user: { userId: 'u' } };
    message.request = {
      type: 'EventRequest',
      requestId: 'r',
      event: { namespace: 'FutureThing', name: 'Happened', payload: {} },
    };
    expect(checkCustomRequest(message)).toEqual([]);
  });

  it.each([
    [
      'a missing intent name',
      { type: 'IntentRequest', intent: { slots: {} } },
      'request.intent.name: is required',
    ],
    [
      'an unknown request type',
      { type: 'DanceRequest' },
      'request.type: expected one of "LaunchRequest", "IntentRequest", "SessionEndedRequest", "EventRequest", got "DanceRequest"',
    ],
    [
      'a slot value that is an object',
      { type: 'IntentRequest', intent: { name: 'X', slots: { a: { name: 'a', value: {} } } } },
      'request.intent.slots.a.value: expected a string, got object',
    ],
    [
      'an AudioPlayer event without its token',
      {
        type: 'EventRequest',
        requestId: 'r',
        event: { namespace: 'AudioPlayer', name: 'PlayFinished', payload: { offsetInMilliseconds: 1 } },
      },
      'request.event.payload.token: is required',
    ],
  ])('refuses %s with the field named', (_label, request, expected) => {
    const message = { ...base(), request };
    const error = (() => {
      try {
        parseCustomRequest(message);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(RejectionError);
    expect((error as RejectionError).code).toBe('INVALID_MESSAGE');
    expect((error as RejectionError).status).toBe(400);
    expect((error as RejectionError).detail).toBe(expected);
  });

  it('refuses a missing session id and a non-object context', () => {
    expect(checkCustomRequest({ ...base(), session: { new: true } }).map(formatIssue)).toEqual([
      'session.sessionId: is required',
    ]);
    expect(checkCustomRequest({ ...base(), context: 'x' }).map(formatIssue)).toEqual([
      'context: expected an object, got string',
    ]);
  });

  it('types the request from the same definition', () => {
    const message = parseCustomRequest(base());
    expectTypeOf(message).toEqualTypeOf<CustomRequest>();
    if (message.request.type === 'IntentRequest') {
      expectTypeOf(message.request).toEqualTypeOf<IntentRequest>();
      expectTypeOf(message.request.intent.name).toEqualTypeOf<string>();
    }
    if (message.request.type === 'EventRequest' && message.request.event.namespace === 'AudioPlayer') {
      expectTypeOf(message.request.event.name).toBeString();
    }
  });
});

describe('Custom response schema', () => {
  it.each(responseFixtures.filter((name) => !(name in CONTRADICTIONS)))('accepts %s', (name) => {
    const result = validateCustomResponse(readFixture(`custom/${name}`));
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([]);
  });

  it.each(Object.entries(CONTRADICTIONS))('follows the field table over the example in %s', (name, found) => {
    const result = validateCustomResponse(readFixture(`custom/${name}`));
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual(found);
  });

  const response = (outputSpeech: unknown): unknown => ({
    version: '1.0',
    sessionAttributes: {},
    response: { outputSpeech, card: {}, directives: [], shouldEndSession: true },
  });

  it.each([
    [
      'a URL speech with a language',
      { type: 'SimpleSpeech', values: { type: 'URL', lang: 'ja', value: 'https://a/b.mp3' } },
      'response.outputSpeech.values.lang: expected "", got "ja"',
    ],
    [
      'text without a language',
      { type: 'SimpleSpeech', values: { type: 'PlainText', lang: '', value: 'hi' } },
      'response.outputSpeech.values.lang: expected one of "ja", "ko", "en", got ""',
    ],
    [
      'a SpeechList whose values is not an array',
      { type: 'SpeechList', values: { type: 'PlainText', lang: 'ja', value: 'a' } },
      'response.outputSpeech.values: expected an array, got object',
    ],
    [
      'a SpeechSet without verbose',
      { type: 'SpeechSet', brief: { type: 'PlainText', lang: 'ja', value: 'a' } },
      'response.outputSpeech.verbose: is required',
    ],
  ])('refuses %s', (_label, outputSpeech, expected) => {
    const result = validateCustomResponse(response(outputSpeech));
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([expected]);
  });

  it('refuses directives it does not know, naming them', () => {
    const result = validateCustomResponse({
      version: '1.0',
      sessionAttributes: {},
      response: {
        outputSpeech: {},
        card: {},
        directives: [{ header: { namespace: 'AudioPlayer', name: 'Dance' }, payload: {} }],
        shouldEndSession: true,
      },
    });
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([
      'response.directives[0].header.name: unknown directive "AudioPlayer.Dance"; expected one of AudioPlayer.Play, AudioPlayer.StreamDeliver, PlaybackController.Pause, PlaybackController.Resume, PlaybackController.Stop, TemplateRuntime.RenderPlayerInfo',
    ]);
  });

  it('types the response', () => {
    expectTypeOf<CustomResponse['response']['shouldEndSession']>().toEqualTypeOf<boolean>();
  });
});
