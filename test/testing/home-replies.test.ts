import { describe, expect, it } from 'vitest';
import { buildHomeControlRequest, createConversation, type HomeMessage, type Transport } from 'cekit/testing';
import { listFixtures, readFixture } from '../helpers/fixtures.js';

/** Answers every request with the given message at once. */
const answering = (message: unknown): Transport => ({
  description: 'fixed',
  send: async () => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
    ms: 1,
  }),
});

/** Sends `action`'s request and reads `reply` as its answer. */
async function replyTo(action: string, reply: unknown) {
  const cek = createConversation({ target: answering(reply), strict: false });
  return cek.sendHome(buildHomeControlRequest(action, 'device-001'));
}

describe('Clova Home reply checks', () => {
  const replies = listFixtures('home').filter((name) => !/-request/.test(name));
  it.each(replies)('the spec example %s passes', async (file) => {
    const message = readFixture<HomeMessage>(`home/${file}`);
    const action = message.header.name.replace(/(Confirmation|Response|Error)$/, '');
    const reply = await replyTo(message.header.name.endsWith('Error') ? 'TurnOn' : action, message);
    expect(reply.problems).toEqual([]);
  });

  it('finds discovery mistakes with field paths', async () => {
    const reply = await replyTo('DiscoverAppliances', {
      header: {
        messageId: 'm',
        name: 'DiscoverAppliancesResponse',
        namespace: 'ClovaHome',
        payloadVersion: '1.0',
      },
      payload: { discoveredAppliances: [{ applianceId: 'light-1', actions: ['TurnOn', 'Fly'] }] },
    });
    expect(reply.problems.map((p) => p.path)).toEqual([
      'payload.discoveredAppliances[0].applianceTypes',
      'payload.discoveredAppliances[0].actions[1]',
    ]);
  });

  it('requires the bounds of ValueOutOfRangeError (§5)', async () => {
    const reply = await replyTo('SetBrightness', {
      header: { messageId: 'm', name: 'ValueOutOfRangeError', namespace: 'ClovaHome', payloadVersion: '1.0' },
      payload: { minimumValue: 0 },
    });
    expect(reply.problems).toEqual([
      expect.objectContaining({ code: 'SCHEMA', path: 'payload.maximumValue' }),
    ]);
  });

  it("checks every reply's payload against the cekit/home schema, not only discovery and errors", async () => {
    const reply = await replyTo('GetHumidity', {
      header: { messageId: 'm', name: 'GetHumidityResponse', namespace: 'ClovaHome', payloadVersion: '1.0' },
      payload: {},
    });
    expect(reply.problems).toEqual([expect.objectContaining({ code: 'SCHEMA', path: 'payload.humidity' })]);
  });

  it('expects the reply the catalog names for the request (§4.3)', async () => {
    const reply = await replyTo('TurnOn', {
      header: { messageId: 'm', name: 'TurnOnResponse', namespace: 'ClovaHome', payloadVersion: '1.0' },
      payload: {},
    });
    // Reported once, expected vs got; not a second time as an unknown message name.
    expect(reply.problems.map((p) => [p.path, p.message])).toEqual([
      [
        'header.name',
        expect.stringContaining(
          'expected TurnOnConfirmation or an …Error in reply to TurnOnRequest, got "TurnOnResponse" (not a Clova Home message)',
        ),
      ],
    ]);
  });

  it('reports a reply named for another request once, and still checks its payload', async () => {
    const reply = await replyTo('GetCurrentTemperature', {
      header: { messageId: 'm', name: 'GetHumidityResponse', namespace: 'ClovaHome', payloadVersion: '1.0' },
      payload: {},
    });
    expect(reply.problems.map((p) => [p.path, p.message])).toEqual([
      [
        'header.name',
        expect.stringContaining(
          'expected GetCurrentTemperatureResponse or an …Error in reply to GetCurrentTemperatureRequest, got "GetHumidityResponse"',
        ),
      ],
      ['payload.humidity', expect.any(String)],
    ]);
    expect(reply.problems[0]!.message).not.toContain('not a Clova Home message');
  });

  it('reports an unknown …Error name once, as not a Clova Home message', async () => {
    const reply = await replyTo('TurnOn', {
      header: { messageId: 'm', name: 'TargetOffError', namespace: 'ClovaHome', payloadVersion: '1.0' },
      payload: {},
    });
    expect(reply.problems.map((p) => [p.path, p.message])).toEqual([
      ['header.name', expect.stringContaining('"TargetOffError" is not a Clova Home message name')],
    ]);
  });

  it('requires the namespace ClovaHome', async () => {
    const reply = await replyTo('TurnOn', {
      header: { messageId: 'm', name: 'TurnOnConfirmation', namespace: 'CLOVAHome', payloadVersion: '1.0' },
      payload: {},
    });
    expect(reply.problems).toEqual([expect.objectContaining({ path: 'header.namespace' })]);
  });
});
