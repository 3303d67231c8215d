import { describe, expect, it } from 'vitest';
import {
  audio,
  formatIssue,
  ResponseBuilder,
  ResponseError,
  text,
  validateCustomResponse,
  type CustomResponse,
} from 'cekit';

/** Builds and asserts the result is a valid response by the protocol schema. */
function built(builder: ResponseBuilder, attributes: Record<string, unknown> = {}): CustomResponse {
  const response = builder.build('1.0', attributes);
  const result = validateCustomResponse(response);
  expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([]);
  return response;
}

const SOURCE = { name: 'Example Radio', logoUrl: 'https://example.com/logo.png' };

function errorOf(action: () => unknown): ResponseError {
  try {
    action();
  } catch (error) {
    if (error instanceof ResponseError) return error;
    throw error;
  }
  throw new Error('expected a ResponseError');
}

describe('ResponseBuilder speech', () => {
  it('one say() is a SimpleSpeech in the builder language, ending the session by default', () => {
    const response = built(new ResponseBuilder('ko').say('안녕하세요'));
    expect(response.response.outputSpeech).toEqual({
      type: 'SimpleSpeech',
      values: { type: 'PlainText', lang: 'ko', value: '안녕하세요' },
    });
    expect(response.response.shouldEndSession).toBe(true);
  });

  it('mixes text, other languages and audio in a SpeechList, across calls', () => {
    const response = built(
      new ResponseBuilder('ja')
        .say(['サイコロを振ります', audio('https://example.com/dice.mp3')])
        .say(text('Four!', 'en', { token: 'a1b2' })),
    );
    expect(response.response.outputSpeech).toEqual({
      type: 'SpeechList',
      values: [
        { type: 'PlainText', lang: 'ja', value: 'サイコロを振ります' },
        { type: 'URL', lang: '', value: 'https://example.com/dice.mp3' },
        { type: 'PlainText', lang: 'en', value: 'Four!', token: 'a1b2' },
      ],
    });
  });

  it('builds a brief/verbose SpeechSet', () => {
    const response = built(new ResponseBuilder('ja').speechSet('晴れ', ['今日は晴れです', '明日も晴れです']));
    expect(response.response.outputSpeech).toEqual({
      type: 'SpeechSet',
      brief: { type: 'PlainText', lang: 'ja', value: '晴れ' },
      verbose: {
        type: 'SpeechList',
        values: [
          { type: 'PlainText', lang: 'ja', value: '今日は晴れです' },
          { type: 'PlainText', lang: 'ja', value: '明日も晴れです' },
        ],
      },
    });
  });

  it('ask() keeps the session with a reprompt and carries session attributes', () => {
    const response = built(new ResponseBuilder('ja').ask('何枚?', 'ピザは何枚にしますか?'), { pizza: 'L' });
    expect(response.sessionAttributes).toEqual({ pizza: 'L' });
    expect(response.response.shouldEndSession).toBe(false);
    expect(response.response.reprompt?.outputSpeech).toEqual({
      type: 'SimpleSpeech',
      values: { type: 'PlainText', lang: 'ja', value: 'ピザは何枚にしますか?' },
    });
  });

  it('a closing response sends no session attributes', () => {
    expect(built(new ResponseBuilder('ja').say('bye'), { pizza: 'L' }).sessionAttributes).toEqual({});
  });

  it('an empty builder is a valid empty response', () => {
    expect(built(new ResponseBuilder('ja')).response.outputSpeech).toEqual({});
  });
});

describe('ResponseBuilder refuses invalid combinations at build time', () => {
  it.each([
    [
      'reprompt then endSession',
      () => new ResponseBuilder('ja').reprompt('x').endSession(),
      'REPROMPT_ENDS_SESSION',
    ],
    [
      'endSession then reprompt',
      () => new ResponseBuilder('ja').endSession().reprompt('x'),
      'REPROMPT_ENDS_SESSION',
    ],
    ['say after speechSet', () => new ResponseBuilder('ja').speechSet('a', 'b').say('c'), 'SPEECH_SET_MIXED'],
    ['speechSet after say', () => new ResponseBuilder('ja').say('c').speechSet('a', 'b'), 'SPEECH_SET_MIXED'],
    ['a two-item brief', () => new ResponseBuilder('ja').speechSet(['a', 'b'], 'c'), 'SPEECH_SET_MIXED'],
    ['empty speech', () => new ResponseBuilder('ja').say([]), 'EMPTY_SPEECH'],
    [
      'http audio',
      () => new ResponseBuilder('ja').say(audio('http://example.com/a.mp3')),
      'INSECURE_AUDIO_URL',
    ],
    ['pause and resume', () => new ResponseBuilder('ja').pause().resume(), 'CONFLICTING_PLAYBACK'],
    [
      'stop and play',
      () =>
        new ResponseBuilder('ja', { audioSource: SOURCE })
          .stop()
          .play({ titleText: 't', titleSubText1: 'a', stream: { url: 'https://e.com/a.mp3' } }),
      'CONFLICTING_PLAYBACK',
    ],
    [
      'play without a source',
      () =>
        new ResponseBuilder('ja').play({
          titleText: 't',
          titleSubText1: 'a',
          stream: { url: 'https://e.com/a.mp3' },
        }),
      'INVALID_AUDIO_ITEM',
    ],
  ] as const)('%s', (_label, action, code) => {
    expect(errorOf(action).code).toBe(code);
  });
});

describe('ResponseBuilder audio directives', () => {
  it('play() fills ids, token, offset and source, with progress reports', () => {
    const response = built(
      new ResponseBuilder('ja', { audioSource: SOURCE, dialogRequestId: 'req-1' }).play({
        audioItemId: 'item-1',
        titleText: 'Episode 1',
        titleSubText1: 'Example Radio',
        stream: {
          url: 'https://example.com/ep1.mp3',
          progressReport: { progressReportIntervalInMilliseconds: 60000 },
        },
      }),
    );
    const [directive] = response.response.directives!;
    expect(directive!.header).toMatchObject({
      namespace: 'AudioPlayer',
      name: 'Play',
      dialogRequestId: 'req-1',
    });
    expect(directive!.header.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(directive!.payload).toEqual({
      audioItem: {
        audioItemId: 'item-1',
        titleText: 'Episode 1',
        titleSubText1: 'Example Radio',
        stream: {
          url: 'https://example.com/ep1.mp3',
          progressReport: { progressReportIntervalInMilliseconds: 60000 },
          token: 'item-1',
          urlPlayable: true,
          beginAtInMilliseconds: 0,
        },
      },
      playBehavior: 'REPLACE_ALL',
      source: SOURCE,
    });
  });

  it('a deferred stream (urlPlayable false) may use a placeholder url; streamDeliver() answers it', () => {
    built(
      new ResponseBuilder('ja', { audioSource: SOURCE })
        .play({
          titleText: 't',
          titleSubText1: 'a',
          stream: { url: 'clova:TR-1', token: 'TR-1', urlPlayable: false },
        })
        .play({
          titleText: 't2',
          titleSubText1: 'a',
          playBehavior: 'ENQUEUE',
          stream: { url: 'https://e.com/2.mp3' },
        }),
    );
    const deliver = built(
      new ResponseBuilder('ja').streamDeliver({
        audioItemId: 'x',
        audioStream: { url: 'https://e.com/1.mp3', token: 'TR-1' },
      }),
    );
    expect(deliver.response.directives![0]!.header.name).toBe('StreamDeliver');
  });

  it.each(['pause', 'resume', 'stop'] as const)('%s() is a PlaybackController directive with {}', (name) => {
    const response = built(new ResponseBuilder('ja')[name]());
    expect(response.response.directives![0]).toMatchObject({
      header: { namespace: 'PlaybackController', name: name[0]!.toUpperCase() + name.slice(1) },
      payload: {},
    });
  });

  it('renderPlayerInfo() sends a KR player template', () => {
    built(
      new ResponseBuilder('ko').renderPlayerInfo({
        displayType: 'single',
        controls: [{ type: 'BUTTON', name: 'PLAY_PAUSE', enabled: true, selected: false }],
        playableItems: [{ token: 't', titleText: 'Song', titleSubText1: 'Artist', showAdultIcon: false }],
      }),
    );
  });
});
