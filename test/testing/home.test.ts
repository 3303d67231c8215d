import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createEndpoint, silentLogger } from 'cekit';
import {
  auditExtension,
  buildDiscoverAppliancesRequest,
  buildHomeControlRequest,
  createConversation,
  generateTestKeyPair,
  NotForwardedError,
  ReplyProblemError,
  type HomeMessage,
} from 'cekit/testing';

const keys = generateTestKeyPair();

/** A tiny Clova Home extension on the raw endpoint: one light that turns on and off. */
function lightEndpoint(answer?: (message: HomeMessage) => HomeMessage) {
  return createEndpoint({
    verify: keys.verifyOptions,
    logger: silentLogger,
    requestLog: false,
    dispatcher: {
      kinds: ['home'],
      dispatch: (raw) => {
        const message = raw as unknown as HomeMessage;
        if (answer) return answer(message);
        const header = (name: string) => ({
          messageId: randomUUID(),
          name,
          namespace: 'ClovaHome',
          payloadVersion: '1.0',
        });
        const action = message.header.name.replace(/Request$/, '');
        if (action === 'DiscoverAppliances') {
          return {
            header: header('DiscoverAppliancesResponse'),
            payload: {
              discoveredAppliances: [
                {
                  applianceId: 'light-1',
                  manufacturerName: 'Example',
                  modelName: 'L1',
                  version: '1.0',
                  friendlyName: 'Living room light',
                  friendlyDescription: 'A light',
                  isReachable: true,
                  actions: ['TurnOn', 'TurnOff'],
                  applianceTypes: ['LIGHT'],
                  additionalApplianceDetails: { room: 'living' },
                },
              ],
            },
          };
        }
        const appliance = message.payload.appliance as { applianceId: string };
        if (appliance.applianceId !== 'light-1') return { header: header('NoSuchTargetError'), payload: {} };
        return { header: header(`${action}Confirmation`), payload: {} };
      },
    },
  });
}

describe('Clova Home through the harness', () => {
  it('builds envelopes as the spec shows them (clova-home-extension.md §1, §4.2)', () => {
    expect(buildDiscoverAppliancesRequest()).toEqual({
      header: {
        messageId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
        name: 'DiscoverAppliancesRequest',
        namespace: 'ClovaHome',
        payloadVersion: '1.0',
      },
      payload: { accessToken: 'sample-access-token' },
    });
    expect(
      buildHomeControlRequest(
        'SetBrightness',
        'light-1',
        { brightness: 50 },
        { accessToken: 't', additionalApplianceDetails: { hub: 2 } },
      ),
    ).toMatchObject({
      header: { name: 'SetBrightnessRequest' },
      payload: {
        accessToken: 't',
        appliance: { applianceId: 'light-1', additionalApplianceDetails: { hub: 2 } },
        brightness: 50,
      },
    });
  });

  it('discovers and controls appliances, signed, in-process', async () => {
    const cek = createConversation({ target: lightEndpoint(), keys, homeAccessToken: 'user-token' });
    const discovered = await cek.discover();
    expect(discovered.name).toBe('DiscoverAppliancesResponse');
    expect(discovered.payload.discoveredAppliances).toHaveLength(1);
    expect(discovered.request.payload.accessToken).toBe('user-token');

    const on = await cek.control('TurnOn', 'light-1');
    expect(on).toMatchObject({ name: 'TurnOnConfirmation', isError: false, ok: true });

    // Without a discovery first, the request goes through and the extension answers with an error.
    const fresh = createConversation({ target: lightEndpoint(), keys });
    const missing = await fresh.control('TurnOff', 'light-9');
    expect(missing).toMatchObject({ name: 'NoSuchTargetError', isError: true, ok: true });
  });

  it('after discovery, refuses like CLOVA what the appliance did not declare, and echoes its details', async () => {
    const cek = createConversation({ target: lightEndpoint(), keys });
    await cek.discover();
    await expect(cek.control('TurnOff', 'light-9')).rejects.toThrow(
      new NotForwardedError('discovery did not return an appliance "light-9"'),
    );
    await expect(cek.control('SetBrightness', 'light-1', { brightness: 10 })).rejects.toThrow(
      'appliance "light-1" does not declare SetBrightness (its actions: TurnOn, TurnOff)',
    );
    expect(cek.history).toHaveLength(1); // nothing was sent
    const on = await cek.control('TurnOn', 'light-1');
    expect(on.request.payload.appliance).toEqual({
      applianceId: 'light-1',
      additionalApplianceDetails: { room: 'living' },
    });
  });

  it('reports a reply that does not answer the request', async () => {
    const wrong = lightEndpoint((message) => ({
      ...message,
      header: { ...message.header, name: 'TurnOffConfirmation' },
    }));
    const cek = createConversation({ target: wrong, keys });
    const error = await cek.control('TurnOn', 'light-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplyProblemError);
    expect(String(error)).toContain(
      'header.name: expected TurnOnConfirmation or an …Error in reply to TurnOnRequest, got "TurnOffConfirmation"',
    );
  });

  it('audits a Clova Home endpoint in trusted mode (--kind home)', async () => {
    const report = await auditExtension({ target: lightEndpoint(), keys, kind: 'home' });
    expect(report.checks.filter((check) => !check.passed)).toEqual([]);
    expect(report.checks.map((check) => check.id)).toEqual(
      expect.arrayContaining(['discover-appliances', 'unknown-appliance']),
    );
  });
});
