import { toTransport, type Exchange, type Target } from '../transport.js';
import type { Signer } from '../signer.js';
import type { CapturedRequest } from './captured.js';
import type { Check, CheckResult } from './checks.js';
import { planChecks } from './plan.js';

export interface AuditOptions {
  /** The extension: a URL, or an extension/endpoint object (in-process). */
  target: Target;
  /** Trusted mode: a private key the extension was told to trust (e.g. by `cekit dev`). */
  keys?: Signer;
  /** Trusted mode: requests captured from real CEK traffic, replayed byte for byte. */
  replay?: readonly CapturedRequest[];
  /** The Extension ID the valid requests carry. Default: taken from the first captured request, else `com.example.extension`. */
  extensionId?: string;
  /** Which kind of valid requests trusted mode sends. Default `custom`. */
  kind?: 'custom' | 'home';
  /**
   * Clova Home (`kind: 'home'`, trusted mode): the account-linking access token the valid requests
   * carry (`payload.accessToken`), one the extension's authentication accepts, so the checks reach
   * discovery and the appliance lookup. With it, a request carrying a made-up token must also be
   * refused with `InvalidAccessTokenError` (check `invalid-access-token`).
   *
   * Without it the requests carry the placeholder `sample-access-token` and authentication is not
   * tested (only a token the extension accepts tells a right refusal from a wrong one); an extension
   * that refuses the placeholder fails `discover-appliances` and `unknown-appliance`, since the audit
   * never got past authentication.
   */
  accessToken?: string;
  /** A refusal slower than this fails. Default 2000 ms. */
  refusalMs?: number;
  /** Called after each check, for progress output. */
  onProgress?: (result: CheckResult, done: number, total: number) => void;
}

/** The audit could not run at all (e.g. nothing listens at the URL). */
export class AuditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditError';
  }
}

export interface AuditReport {
  target: string;
  mode: 'black-box' | 'trusted';
  /** True only when every check passed. */
  passed: boolean;
  checks: CheckResult[];
}

/**
 * Audits an extension like a certification pass (the engine of `cekit check`). Black-box checks send
 * hostile or broken requests that a correct extension refuses with a 4xx JSON answer (spec
 * http-and-validation.md §3.2: verify the signature over the raw body, check the applicationId).
 * With `keys` or `replay` it adds valid requests, which must get schema-valid 200 JSON replies under
 * CEK's 8 s deadline, and signed-but-wrong requests (application id, tampering).
 */
export async function auditExtension(options: AuditOptions): Promise<AuditReport> {
  const transport = toTransport(options.target);
  const checks = planChecks(options);
  const results: CheckResult[] = [];
  for (const check of checks) {
    const result = await runCheck(transport.send.bind(transport), check);
    // Nothing listens there: every check would fail for the same reason, so say it once.
    if (results.length === 0 && result.status === undefined && !/timeout|aborted/i.test(result.reason))
      throw new AuditError(
        `Cannot reach ${transport.description}: ${result.reason.replace(/^no answer: /, '')}`,
      );
    results.push(result);
    options.onProgress?.(result, results.length, checks.length);
  }
  return {
    target: transport.description,
    mode: options.keys || options.replay?.length ? 'trusted' : 'black-box',
    passed: results.every((r) => r.passed),
    checks: results,
  };
}

async function runCheck(
  send: (r: Check['request']) => Promise<Exchange>,
  check: Check,
): Promise<CheckResult> {
  const base = { id: check.id, title: check.title, mode: check.mode };
  let exchange: Exchange;
  try {
    exchange = await send(check.request);
  } catch (error) {
    const judged = check.onError?.(error);
    if (judged) return { ...base, ...judged };
    const message =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error);
    return { ...base, passed: false, reason: `no answer: ${message}` };
  }
  return { ...base, ...check.judge(exchange), status: exchange.status, ms: Math.round(exchange.ms) };
}
