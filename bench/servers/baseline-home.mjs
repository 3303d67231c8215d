// The `cekit-home` work written by hand on bare node:http: the same SetTargetTemperatureRequest,
// verified and parsed, the token and appliance looked up, the range checked, the confirmation built
// with a fresh messageId and serialised. The floor for that request, which cekit-home is compared to.
import { randomUUID } from 'node:crypto';
import { startBare } from '../lib/bare.mjs';
import { row as home } from './cekit-home.mjs';

export const row = {
  name: 'baseline-home',
  description: 'bare node:http doing cekit-home by hand (verify, parse, lookup, range, confirmation)',
  order: 39,
  payload: home.payload,
};

export function start({ port, publicKeyPem }) {
  const state = { targetTemperature: 26 };
  const accounts = new Map([['bench-token', { user: state, appliances: new Map([['aircon-1', {}]]) }]]);
  const reply = (name, payload) =>
    JSON.stringify({
      header: { messageId: randomUUID(), name, namespace: 'ClovaHome', payloadVersion: '1.0' },
      payload,
    });
  return startBare({
    port,
    publicKeyPem,
    answer({ payload }) {
      const account = accounts.get(payload.accessToken);
      if (!account) return reply('InvalidAccessTokenError', {});
      if (!account.appliances.has(payload.appliance.applianceId)) return reply('NoSuchTargetError', {});
      const value = payload.targetTemperature.value;
      if (value < 18 || value > 30)
        return reply('ValueOutOfRangeError', { minimumValue: 18, maximumValue: 30 });
      const previous = account.user.targetTemperature;
      account.user.targetTemperature = value;
      return reply('SetTargetTemperatureConfirmation', {
        targetTemperature: { value },
        previousState: { targetTemperature: { value: previous } },
      });
    },
  });
}
