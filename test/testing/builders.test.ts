import { describe, expect, it } from 'vitest';
import { checkCustomRequest } from 'cekit';
import {
  buildEventRequest,
  buildIntentRequest,
  buildLaunchRequest,
  buildSessionEndedRequest,
  defaultEventPayload,
  EVENT_NAMES,
} from 'cekit/testing';

describe('Custom request builders', () => {
  const all = [
    ['LaunchRequest', buildLaunchRequest()],
    [
      'IntentRequest',
      buildIntentRequest('OrderPizza', { pizzaType: 'ペパロニ', pizzaAmount: { value: '2', unit: '枚' } }),
    ],
    ['IntentRequest (built-in, no slots)', buildIntentRequest('Clova.GuideIntent')],
    ['SessionEndedRequest', buildSessionEndedRequest()],
    ...EVENT_NAMES.map((name) => [`EventRequest ${name}`, buildEventRequest(name)] as const),
  ] as const;

  it.each(all)('%s validates against the request schema', (_name, message) => {
    expect(checkCustomRequest(message)).toEqual([]);
  });

  it('covers every documented event', () => {
    expect(EVENT_NAMES).toHaveLength(15);
    for (const name of EVENT_NAMES) {
      const request = buildEventRequest(name).request;
      expect(request.type).toBe('EventRequest');
      if (request.type === 'EventRequest')
        expect(`${request.event.namespace}.${request.event.name}`).toBe(name);
    }
  });

  it('has realistic defaults: JP version, ja-JP locale, a UUID session opened by this request', () => {
    const message = buildLaunchRequest();
    expect(message.version).toBe('1.0');
    expect(message.session?.new).toBe(true);
    expect(message.session?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(message.request.locale).toBe('ja-JP');
    expect(message.request.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(message.context.System?.device?.display?.size).toBe('none');
    expect(message.context.System?.user).not.toHaveProperty('accessToken');
  });

  it('lets every default be overridden', () => {
    const message = buildIntentRequest(
      'ThrowDiceIntent',
      { diceCount: 3 },
      {
        extensionId: 'com.example.dice',
        version: '0.1.0',
        locale: 'ko-KR',
        userId: 'V0qe',
        accessToken: 'token',
        deviceId: 'device-1',
        display: {
          size: 'l100',
          orientation: 'landscape',
          dpi: 96,
          contentLayer: { width: 640, height: 360 },
        },
        session: { id: 'session-1', new: false, attributes: { step: 2 } },
        requestId: 'request-1',
        timestamp: '2026-01-01T00:00:00Z',
        audioPlayer: { playerActivity: 'PLAYING', offsetInMilliseconds: 10 },
      },
    );
    expect(checkCustomRequest(message)).toEqual([]);
    expect(message).toMatchObject({
      version: '0.1.0',
      session: {
        sessionId: 'session-1',
        new: false,
        sessionAttributes: { step: 2 },
        user: { userId: 'V0qe' },
      },
      context: {
        System: {
          application: { applicationId: 'com.example.dice' },
          device: { deviceId: 'device-1', display: { size: 'l100' } },
          user: { userId: 'V0qe', accessToken: 'token' },
        },
        AudioPlayer: { playerActivity: 'PLAYING' },
      },
      request: {
        requestId: 'request-1',
        locale: 'ko-KR',
        intent: { name: 'ThrowDiceIntent', slots: { diceCount: { name: 'diceCount', value: '3' } } },
      },
    });
  });

  it('merges event payload overrides into the realistic default, and accepts undocumented events', () => {
    const finished = buildEventRequest('AudioPlayer.PlayFinished', { token: 'track-2' });
    expect(finished.request).toMatchObject({
      event: {
        payload: {
          token: 'track-2',
          offsetInMilliseconds: defaultEventPayload('AudioPlayer.PlayFinished')!.offsetInMilliseconds,
        },
      },
    });
    const other = buildEventRequest('Future.Thing', { x: 1 });
    expect(checkCustomRequest(other)).toEqual([]);
    expect(other.request).toMatchObject({ event: { namespace: 'Future', name: 'Thing', payload: { x: 1 } } });
    expect(() => buildEventRequest('NoDot' as `${string}.${string}`)).toThrow(/Namespace\.Name/);
  });

  it('sends session: null when asked, like the skill-store SkillEnabled event', () => {
    const message = buildEventRequest('ClovaSkill.SkillEnabled', null, { session: null });
    expect(message.session).toBeNull();
    expect(checkCustomRequest(message)).toEqual([]);
  });
});
