import { describe, expect, it } from 'vitest';
import { createHomeExtension, homeRequest } from 'cekit/home';
import { generateTestKeyPair } from 'cekit/testing';
import { recordingLogger } from '../custom/harness.js';

// Access tokens are credentials: whatever happens to a Clova Home request, they never reach the log.
const keys = generateTestKeyPair();
const TOKEN = 'secret-access-token-6f1c';
const OTHER_TOKEN = 'revoked-access-token-90ab';

describe('Clova Home logging', () => {
  it('never logs the access token: request log, rejected token, failing handler, invalid message', async () => {
    const logger = recordingLogger();
    const home = createHomeExtension({
      verify: keys.verifyOptions,
      logger,
      requestLog: 'info',
      authenticate: (token) =>
        token === TOKEN
          ? {
              user: {},
              appliances: [{ id: 'light-1', type: 'LIGHT', name: 'Light', manufacturer: 'm', model: 'x' }],
            }
          : undefined,
      actions: {
        TurnOn: () => {
          throw new Error('the device cloud is down');
        },
        TurnOff: () => undefined,
      },
    });
    const send = async (message: unknown) => {
      const body = JSON.stringify(message);
      return home.endpoint.handle({
        method: 'POST',
        headers: { 'content-type': 'application/json', signaturecek: keys.sign(body) },
        body: Buffer.from(body),
      });
    };
    const target = (accessToken: string) => ({ accessToken, appliance: { applianceId: 'light-1' } });
    const answers = [
      await send(homeRequest('TurnOff', target(TOKEN))),
      await send(homeRequest('TurnOn', target(TOKEN))), // the handler throws: DriverInternalError, logged
      await send(homeRequest('TurnOff', target(OTHER_TOKEN))), // unknown token
      await send({ header: { name: 'TurnOffRequest' }, payload: { accessToken: TOKEN } }), // invalid message
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 400]);
    expect(logger.entries.some((entry) => entry.level === 'error')).toBe(true); // the failure was logged
    const logged = JSON.stringify(logger.entries);
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain(OTHER_TOKEN);
    // Nor is it echoed in an answer (an error message quoting the field's value, say).
    expect(answers.map((answer) => String(answer.body)).join('\n')).not.toContain(TOKEN);
  });
});
