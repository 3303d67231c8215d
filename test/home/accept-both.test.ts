import { describe, expect, it } from 'vitest';
import { silentLogger } from 'cekit';
import { createHomeExtension, homeMessage, validateHomeMessage, type HomeMessage } from 'cekit/home';
import { buildHomeControlRequest } from 'cekit/testing';
import { readFixture } from '../helpers/fixtures.js';
import { send } from './helpers.js';

/** Spec §4.4 notes: where a documented example contradicts its table and the spec says "accept both". */
function recordingHome() {
  const seen: Record<string, unknown>[] = [];
  const home = createHomeExtension({
    logger: silentLogger,
    authenticate: () => ({
      user: {},
      appliances: [
        { id: 'tv', type: 'SMARTTV', name: 'TV', manufacturer: 'm', model: 'x' },
        { id: 'fan', type: 'AIRPURIFIER', name: 'Fan', manufacturer: 'm', model: 'x', modes: ['sleep'] },
      ],
    }),
    actions: {
      ChangeInputSource: ({ request }) => {
        seen.push(request.count ?? {});
        // Typed as the documented form: a number.
        const times: number | undefined = request.count?.value;
        expect(typeof times).toBe('number');
      },
      ReleaseMode: ({ request }) => {
        seen.push(request.mode);
        return { mode: { value: 'auto' }, previousState: { mode: request.mode } };
      },
    },
  });
  return { home, seen };
}

describe('"accept both" on input, normalised to the documented form before the handler', () => {
  it('ChangeInputSourceRequest with "count": {"value": "3"} (JP example)', async () => {
    const { home, seen } = recordingHome();
    const reply = await send(
      home,
      buildHomeControlRequest('ChangeInputSource', 'tv', { count: { value: '3' } }),
    );
    expect(reply.header.name).toBe('ChangeInputSourceConfirmation');
    expect(seen).toEqual([{ value: 3 }]);
    // Still refused: a count that is not a number at all.
    expect(() =>
      home.validate(
        buildHomeControlRequest('ChangeInputSource', 'tv', { count: { value: 'three' } }) as never,
      ),
    ).toThrow(/payload\.count/);
  });

  it('ReleaseModeRequest with "mode": "sleep" (JP and KR examples); modes are checked on the value', async () => {
    const { home, seen } = recordingHome();
    const request = buildHomeControlRequest('ReleaseMode', 'fan', { mode: 'sleep' });
    const reply = await send(home, request);
    expect(reply.header.name).toBe('ReleaseModeConfirmation');
    expect(seen).toEqual([{ value: 'sleep' }]);
    // The caller's message is left as it came.
    expect(request.payload.mode).toBe('sleep');
    const other = await send(home, buildHomeControlRequest('ReleaseMode', 'fan', { mode: 'turbo' }));
    expect(other.header.name).toBe('UnsupportedOperationError');
  });

  it('the documented forms pass through unchanged', async () => {
    const { home, seen } = recordingHome();
    const fixture = readFixture<{ payload: { appliance: { applianceId: string } } }>(
      'home/change-input-source-request-count.json',
    );
    fixture.payload.appliance.applianceId = 'tv';
    await send(home, fixture);
    await send(home, buildHomeControlRequest('ReleaseMode', 'fan', { mode: { value: 'sleep' } }));
    expect(seen).toEqual([{ value: 3 }, { value: 'sleep' }]);
  });
});

describe('"accept both" in replies: validateHomeMessage takes either form', () => {
  const kr = (detectedTime: unknown) =>
    homeMessage('GetDetectedTimeResponse', {
      detectedTime,
      applianceResponseTimestamp: '2019-01-01T10:00:00+09:00',
    } as never);

  it('GetDetectedTimeResponse detectedTime as the KR example object or the table string', () => {
    expect(validateHomeMessage(kr({ value: '어제 오후 10시' }))).toEqual([]);
    expect(validateHomeMessage(kr('2019-01-01T22:00:00+09:00'))).toEqual([]);
    expect(validateHomeMessage(kr(42)).map((issue) => issue.path.join('.'))).toEqual([
      'payload.detectedTime',
    ]);
  });

  it('ExpendableInfoObject remainingTime in both ISO 8601 duration forms (P0001-04-10 and P1Y4M10D)', () => {
    for (const remainingTime of ['P0001-04-10', 'P1Y4M10D']) {
      const message = homeMessage('GetExpendableStateResponse', {
        expendableInfo: [{ name: 'パッキン', remainingTime }],
      });
      expect(validateHomeMessage(message)).toEqual([]);
    }
  });

  it('ReleaseMode and ChangeInputSource requests validate in both forms (the simulator checks with this)', () => {
    const target = { accessToken: 't', appliance: { applianceId: 'a' } };
    const messages: HomeMessage[] = [
      homeMessage('ReleaseModeRequest', { ...target, mode: 'sleep' } as never),
      homeMessage('ReleaseModeRequest', { ...target, mode: { value: 'sleep' } }),
      homeMessage('ChangeInputSourceRequest', { ...target, count: { value: '3' } } as never),
      homeMessage('ChangeInputSourceRequest', { ...target, count: { value: 3 } }),
    ];
    for (const message of messages) expect(validateHomeMessage(message)).toEqual([]);
  });
});
