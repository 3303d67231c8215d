import { randomUUID } from 'node:crypto';
import type { CustomRequest } from '../../custom/protocol/index.js';
import {
  buildEventRequest,
  buildIntentRequest,
  buildLaunchRequest,
  buildSessionEndedRequest,
  DEFAULT_EXTENSION_ID,
} from '../custom-requests.js';
import {
  buildDiscoverAppliancesRequest,
  buildHomeControlRequest,
  type HomeMessage,
} from '../home-requests.js';
import { HomeReply } from '../home-reply.js';
import { generateTestKeyPair } from '../keys.js';
import { formatProblem } from '../problems.js';
import { describeRequest, Reply } from '../reply.js';
import { signedHeaders, type Signer } from '../signer.js';
import { cekHeaders, type Exchange } from '../transport.js';
import type { AuditOptions } from './audit.js';
import type { CapturedRequest } from './captured.js';
import { connectionClosedIsRefusal, describeExchange, refusal, type Check, type Verdict } from './checks.js';

/**
 * Which checks an audit runs (spec http-and-validation.md §3.2 for what must be refused): the
 * black-box ones always, the trusted ones with a key or captured requests.
 */

/** 1 MiB: far past any real CEK message (a few KiB) and past common body limits. */
const OVERSIZED_BYTES = 1024 * 1024;

export function planChecks(options: AuditOptions): Check[] {
  const quick = refusal(options.refusalMs ?? 2000);
  const extensionId = options.extensionId ?? extensionIdOf(options.replay?.[0]) ?? DEFAULT_EXTENSION_ID;
  const trusted = options.keys;
  // With a trusted key, broken-input checks carry a valid signature, so the fault under test is the
  // only fault; without one they are unsigned and test that nothing is parsed before verification.
  const headersFor = (body: string) => signedHeaders(trusted, body);
  const launch = JSON.stringify(buildLaunchRequest({ extensionId }));
  const stranger = generateTestKeyPair();
  const hostile = (
    id: string,
    title: string,
    request: Check['request'],
    extra: Partial<Check> = {},
  ): Check => ({
    id,
    title,
    mode: 'black-box',
    request,
    judge: quick,
    ...extra,
  });

  const checks: Check[] = [
    hostile('unsigned', 'Request without SignatureCEK is refused', {
      headers: cekHeaders(undefined),
      body: launch,
    }),
    hostile('forged-signature', 'Request signed with an unknown key is refused', {
      headers: cekHeaders(stranger.sign(launch)),
      body: launch,
    }),
    hostile('tampered-body', 'Body changed after signing is refused', {
      headers: signedHeaders(trusted ?? stranger, launch),
      body: launch.replace('LaunchRequest', 'IntentRequest'),
    }),
    hostile('garbage-signature', 'A SignatureCEK that is not base64 is refused', {
      headers: cekHeaders('not a signature!'),
      body: launch,
    }),
    hostile('wrong-content-type', 'A body sent as text/plain is refused', {
      headers: { ...headersFor(launch), 'content-type': 'text/plain' },
      body: launch,
    }),
    hostile('malformed-json', 'A body that is not JSON is refused', {
      headers: headersFor('{"version": "1.0", "request": '),
      body: '{"version": "1.0", "request": ',
    }),
    hostile('empty-body', 'An empty body is refused', { headers: headersFor(''), body: '' }),
    hostile(
      'oversized-body',
      `A ${OVERSIZED_BYTES / 1024} KiB body is refused`,
      { headers: cekHeaders(undefined), body: oversized(launch) },
      { onError: connectionClosedIsRefusal },
    ),
    hostile('wrong-method', 'GET is refused', {
      method: 'GET',
      headers: { accept: 'application/json' },
      body: '',
    }),
  ];

  if (trusted)
    checks.push(...trustedChecks(trusted, extensionId, options.kind ?? 'custom', options.accessToken, quick));
  for (const [index, captured] of (options.replay ?? []).entries())
    checks.push(...replayChecks(captured, index, quick));
  return checks;
}

function trustedChecks(
  keys: Signer,
  extensionId: string,
  kind: 'custom' | 'home',
  accessToken: string | undefined,
  quick: ReturnType<typeof refusal>,
): Check[] {
  const signed = (message: unknown) => {
    const body = JSON.stringify(message);
    return { headers: signedHeaders(keys, body), body };
  };
  const notCek = { hello: 'world', id: randomUUID() };
  const checks: Check[] = [
    {
      id: 'not-a-cek-message',
      title: 'Signed JSON that is not a CEK message is refused',
      mode: 'trusted',
      request: signed(notCek),
      judge: quick,
    },
  ];
  if (kind === 'home') return [...checks, ...homeChecks(signed, accessToken)];
  const wrongApp = buildLaunchRequest({ extensionId: `${extensionId}.not-yours` });
  checks.push({
    id: 'wrong-application-id',
    title: 'Signed request for another Extension ID is refused',
    mode: 'trusted',
    request: signed(wrongApp),
    judge: quick,
  });
  const valid: [string, CustomRequest][] = [
    ['launch', buildLaunchRequest({ extensionId })],
    ['intent', buildIntentRequest('Clova.GuideIntent', {}, { extensionId, session: { new: false } })],
    ['session-ended', buildSessionEndedRequest({ extensionId, session: { new: false } })],
    ['event', buildEventRequest('ClovaSkill.SkillEnabled', null, { extensionId, session: null })],
  ];
  for (const [id, message] of valid)
    checks.push(
      validCustom(`valid-${id}`, `${describeRequest(message)} gets a valid reply`, message, signed(message)),
    );
  return checks;
}

/**
 * Clova Home in trusted mode. Authentication comes first in every extension, so an answer that is an
 * access-token error says nothing about discovery or the appliance lookup: such a check fails,
 * flagged `accessTokenRefused`, instead of passing on "an …Error is a valid reply".
 */
function homeChecks(
  signed: (message: unknown) => Check['request'],
  accessToken: string | undefined,
): Check[] {
  const options = accessToken === undefined ? {} : { accessToken };
  const refused = (reply: HomeReply): Verdict => ({
    passed: false,
    accessTokenRefused: true,
    reason:
      `answered ${reply.name}: the extension refused the access token` +
      (accessToken === undefined
        ? ` (none was given, so the placeholder ${JSON.stringify(reply.request.payload.accessToken)} was sent)`
        : '') +
      ', so the audit never got past authentication: give it an access token the extension accepts',
  });

  const discover = buildDiscoverAppliancesRequest(options);
  const checks: Check[] = [
    {
      id: 'discover-appliances',
      title: 'DiscoverAppliancesRequest gets a DiscoverAppliancesResponse',
      mode: 'trusted',
      request: signed(discover),
      judge: (exchange) => {
        const reply = new HomeReply(discover, exchange);
        if (!reply.ok) return judgeProblems(reply.problems, exchange);
        if (reply.refusedAccessToken) return refused(reply);
        if (reply.isError)
          return {
            passed: false,
            reason: `answered ${reply.name} instead of the account's appliances (clova-home-extension.md §3)`,
          };
        // An empty list passes: an account may have no devices yet (§3: "every device registered to
        // the user's account"). An extension that answers so for any token fails invalid-access-token.
        const found = reply.payload.discoveredAppliances;
        const count = Array.isArray(found) ? found.length : 0;
        return {
          passed: true,
          reason: `answered ${describeExchange(exchange)}, schema-valid, ${count === 0 ? 'no appliances (an account without devices)' : `${count} appliance${count === 1 ? '' : 's'}`}`,
        };
      },
    },
  ];

  // Errors are replies (HTTP 200 with an …Error message, spec clova-home-extension.md §1, §5), and
  // §5 names the one for a device that does not exist.
  const unknown = buildHomeControlRequest(
    'TurnOn',
    `cekit-audit-no-such-appliance-${randomUUID()}`,
    {},
    options,
  );
  checks.push({
    id: 'unknown-appliance',
    title: 'TurnOnRequest for an unknown appliance gets NoSuchTargetError (HTTP 200)',
    mode: 'trusted',
    request: signed(unknown),
    judge: (exchange) => {
      const reply = new HomeReply(unknown, exchange);
      if (!reply.ok) return judgeProblems(reply.problems, exchange);
      if (reply.refusedAccessToken) return refused(reply);
      if (reply.name === 'NoSuchTargetError') return { passed: true, reason: `answered ${reply.name}` };
      return {
        passed: false,
        reason: reply.isError
          ? `answered ${reply.name}: a device that does not exist is answered NoSuchTargetError (clova-home-extension.md §5)`
          : `answered ${reply.name}: an appliance that does not exist cannot be turned on`,
      };
    },
  });

  // http-and-validation.md §6: for payload.accessToken, "invalid/expired tokens are reported with
  // InvalidAccessTokenError / ExpiredAccessTokenError in an HTTP 200 response" (both listed in
  // clova-home-extension.md §5). A token made up here was never issued, so it is invalid. Only run next
  // to a given token: a refusal means something beside a token that is accepted (an extension refusing
  // every token would pass alone), and without one the caller is not testing authentication.
  if (accessToken !== undefined) {
    const madeUp = buildDiscoverAppliancesRequest({
      accessToken: `cekit-audit-invalid-token-${randomUUID()}`,
    });
    checks.push({
      id: 'invalid-access-token',
      title: 'DiscoverAppliancesRequest with a made-up access token gets InvalidAccessTokenError',
      mode: 'trusted',
      request: signed(madeUp),
      judge: (exchange) => {
        const reply = new HomeReply(madeUp, exchange);
        if (!reply.ok) return judgeProblems(reply.problems, exchange);
        if (reply.refusedAccessToken) return { passed: true, reason: `answered ${reply.name}` };
        return {
          passed: false,
          reason: reply.isError
            ? `answered ${reply.name}: an access token the extension never issued is answered InvalidAccessTokenError (http-and-validation.md §6)`
            : `answered ${reply.name}: a token nobody issued was accepted, so anyone could reach this account's devices`,
        };
      },
    });
  }
  return checks;
}

function replayChecks(captured: CapturedRequest, index: number, quick: ReturnType<typeof refusal>): Check[] {
  let message: CustomRequest | HomeMessage;
  try {
    message = JSON.parse(captured.body) as CustomRequest | HomeMessage;
  } catch {
    throw new TypeError(`Captured request #${index + 1} is not JSON`);
  }
  const request = { headers: cekHeaders(captured.signature), body: captured.body };
  const n = index + 1;
  const tampered: Check = {
    id: `replay-${n}-tampered`,
    title: `Captured request #${n} with one byte changed is refused`,
    mode: 'trusted',
    request: { ...request, body: changeOneByte(captured.body) },
    judge: quick,
  };
  const valid =
    'header' in message
      ? validHome(`replay-${n}`, `Captured ${message.header.name} #${n} gets a valid reply`, message, request)
      : validCustom(
          `replay-${n}`,
          `Captured ${describeRequest(message)} #${n} gets a valid reply`,
          message,
          request,
        );
  return [valid, tampered];
}

function validCustom(id: string, title: string, message: CustomRequest, request: Check['request']): Check {
  return {
    id,
    title,
    mode: 'trusted',
    request,
    judge: (exchange) => judgeProblems(new Reply(message, exchange).problems, exchange),
  };
}

function validHome(id: string, title: string, message: HomeMessage, request: Check['request']): Check {
  return {
    id,
    title,
    mode: 'trusted',
    request,
    judge: (exchange) => judgeProblems(new HomeReply(message, exchange).problems, exchange),
  };
}

function judgeProblems(problems: Reply['problems'], exchange: Exchange) {
  return problems.length === 0
    ? { passed: true, reason: `answered ${describeExchange(exchange)}, schema-valid` }
    : {
        passed: false,
        reason: `answered ${describeExchange(exchange)}: ${problems.map(formatProblem).join('; ')}`,
      };
}

function extensionIdOf(captured: CapturedRequest | undefined): string | undefined {
  if (!captured) return undefined;
  try {
    const id = (JSON.parse(captured.body) as CustomRequest).context?.System?.application?.applicationId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** A valid-looking message padded past the limit, so only its size is wrong. */
function oversized(body: string): string {
  const message = JSON.parse(body) as Record<string, unknown>;
  return JSON.stringify({ ...message, padding: 'x'.repeat(OVERSIZED_BYTES) });
}

/** Flips one character inside the body's first string value, keeping it JSON. */
function changeOneByte(body: string): string {
  const at = body.indexOf('"', body.indexOf(':') + 1) + 1;
  if (at <= 0 || at >= body.length) return `${body} `;
  const char = body[at] === 'a' ? 'b' : 'a';
  return body.slice(0, at) + char + body.slice(at + 1);
}
