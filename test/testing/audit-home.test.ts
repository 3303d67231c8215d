import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createEndpoint, silentLogger } from 'cekit';
import { createHomeExtension, HomeError, type HomeAccount } from 'cekit/home';
import { auditExtension, generateTestKeyPair, type CheckResult, type HomeMessage } from 'cekit/testing';

/** `auditExtension({ kind: 'home', accessToken })` against real Clova Home extensions, in-process. */
const keys = generateTestKeyPair();
const GOOD = 'good-token';

const lightAccount: HomeAccount<object> = {
  user: {},
  appliances: [{ id: 'light-1', type: 'LIGHT', name: 'Desk light', manufacturer: 'ACME', model: 'L1' }],
};

function home(authenticate: (token: string) => HomeAccount<object> | undefined) {
  return createHomeExtension({
    verify: keys.verifyOptions,
    logger: silentLogger,
    requestLog: false,
    authenticate,
    drivers: { LIGHT: { TurnOn: () => undefined } },
  });
}

/** Accepts GOOD only; the way every extension should authenticate. */
const strict = () => home((token) => (token === GOOD ? lightAccount : undefined));

const homeResults = (checks: CheckResult[]) =>
  Object.fromEntries(
    checks.filter((check) => check.mode === 'trusted').map((check) => [check.id, check] as const),
  );

describe('auditExtension, Clova Home with an access token', () => {
  it('with a token the extension accepts, every check passes and a made-up token must be refused', async () => {
    const report = await auditExtension({ target: strict(), keys, kind: 'home', accessToken: GOOD });
    expect(report.checks.filter((check) => !check.passed)).toEqual([]);
    const byId = homeResults(report.checks);
    expect(Object.keys(byId)).toEqual([
      'not-a-cek-message',
      'discover-appliances',
      'unknown-appliance',
      'invalid-access-token',
    ]);
    expect(byId['discover-appliances']!.reason).toContain('schema-valid, 1 appliance');
    expect(byId['unknown-appliance']!.reason).toBe('answered NoSuchTargetError');
    expect(byId['invalid-access-token']!.reason).toBe('answered InvalidAccessTokenError');
    expect(report.checks.some((check) => check.accessTokenRefused)).toBe(false);
  });

  it('with a token the extension refuses, discovery and the appliance lookup fail, flagged as such', async () => {
    const report = await auditExtension({ target: strict(), keys, kind: 'home', accessToken: 'wrong' });
    expect(report.passed).toBe(false);
    const byId = homeResults(report.checks);
    for (const id of ['discover-appliances', 'unknown-appliance'])
      expect(byId[id]).toMatchObject({
        passed: false,
        accessTokenRefused: true,
        status: 200,
        reason:
          'answered InvalidAccessTokenError: the extension refused the access token, so the audit never got past authentication: give it an access token the extension accepts',
      });
    // The refusal of a made-up token is still right, whatever token was given.
    expect(byId['invalid-access-token']).toMatchObject({ passed: true });
  });

  it('an expired token (ExpiredAccessTokenError) counts as not getting past authentication too', async () => {
    const target = home(() => {
      throw new HomeError('ExpiredAccessTokenError');
    });
    const report = await auditExtension({ target, keys, kind: 'home', accessToken: GOOD });
    const byId = homeResults(report.checks);
    expect(byId['discover-appliances']).toMatchObject({ passed: false, accessTokenRefused: true });
    expect(byId['discover-appliances']!.reason).toMatch(/^answered ExpiredAccessTokenError: /);
  });

  it('without a token, the placeholder is sent and its refusal is named; authentication itself is not tested', async () => {
    const report = await auditExtension({ target: strict(), keys, kind: 'home' });
    const byId = homeResults(report.checks);
    expect(byId['discover-appliances']).toMatchObject({ passed: false, accessTokenRefused: true });
    expect(byId['discover-appliances']!.reason).toContain(
      'refused the access token (none was given, so the placeholder "sample-access-token" was sent)',
    );
    expect(byId['invalid-access-token']).toBeUndefined();
  });

  it('an extension that accepts any token fails the made-up-token check', async () => {
    const report = await auditExtension({
      target: home(() => lightAccount),
      keys,
      kind: 'home',
      accessToken: GOOD,
    });
    const byId = homeResults(report.checks);
    expect(byId['discover-appliances']).toMatchObject({ passed: true });
    expect(byId['invalid-access-token']).toMatchObject({
      passed: false,
      reason:
        "answered DiscoverAppliancesResponse: a token nobody issued was accepted, so anyone could reach this account's devices",
    });
  });

  it('an account without appliances passes discovery: the list may be empty', async () => {
    const target = home((token) => (token === GOOD ? { user: {}, appliances: [] } : undefined));
    const report = await auditExtension({ target, keys, kind: 'home', accessToken: GOOD });
    expect(report.checks.filter((check) => !check.passed)).toEqual([]);
    expect(homeResults(report.checks)['discover-appliances']!.reason).toContain(
      'no appliances (an account without devices)',
    );
  });

  it('an unknown appliance must be NoSuchTargetError, not any error; an error in discovery fails', async () => {
    const header = (name: string) => ({
      messageId: randomUUID(),
      name,
      namespace: 'ClovaHome',
      payloadVersion: '1.0',
    });
    // Authenticates, but fails inside: what a broken backend looks like from CLOVA.
    const broken = createEndpoint({
      verify: keys.verifyOptions,
      logger: silentLogger,
      requestLog: false,
      dispatcher: {
        kinds: ['home'],
        dispatch: (raw) => {
          const message = raw as unknown as HomeMessage;
          if (message.payload.accessToken !== GOOD)
            return { header: header('InvalidAccessTokenError'), payload: {} };
          return { header: header('DriverInternalError'), payload: {} };
        },
      },
    });
    const report = await auditExtension({ target: broken, keys, kind: 'home', accessToken: GOOD });
    const byId = homeResults(report.checks);
    expect(byId['discover-appliances']).toMatchObject({
      passed: false,
      reason: "answered DriverInternalError instead of the account's appliances (clova-home-extension.md §3)",
    });
    expect(byId['unknown-appliance']).toMatchObject({
      passed: false,
      reason:
        'answered DriverInternalError: a device that does not exist is answered NoSuchTargetError (clova-home-extension.md §5)',
    });
    expect(byId['discover-appliances']!.accessTokenRefused).toBeUndefined();
    expect(byId['invalid-access-token']).toMatchObject({ passed: true });
  });
});
