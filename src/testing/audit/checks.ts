import type { Exchange, OutgoingRequest } from '../transport.js';

/** The outcome of one audit check. */
export interface CheckResult {
  /** Stable id, e.g. `forged-signature`. */
  id: string;
  title: string;
  /** `black-box` checks need nothing from the server; `trusted` ones need its trusted key or captured requests. */
  mode: 'black-box' | 'trusted';
  passed: boolean;
  /** Why it passed or failed, in one line. */
  reason: string;
  status?: number;
  ms?: number;
  /**
   * Clova Home: the check failed because the extension refused the access token the audit sent
   * (`InvalidAccessTokenError`/`ExpiredAccessTokenError`), so it never reached what the check is
   * about. The fix is a token the extension accepts (`AuditOptions.accessToken`), not a change to
   * the extension.
   */
  accessTokenRefused?: boolean;
}

/** A check's verdict on one answer. */
export type Verdict = Pick<CheckResult, 'passed' | 'reason' | 'accessTokenRefused'>;

/** One check: what to send and how to judge the answer (or the failure to get one). */
export interface Check {
  id: string;
  title: string;
  mode: CheckResult['mode'];
  request: OutgoingRequest;
  judge(exchange: Exchange): Verdict;
  /** How to judge a transport error (default: a failure). */
  onError?(error: unknown): { passed: boolean; reason: string } | undefined;
}

const shortType = (exchange: Exchange) =>
  (exchange.headers['content-type'] ?? '(no content type)').split(';')[0];

const isJson = (exchange: Exchange) => {
  if (!/^application\/json\b/i.test(exchange.headers['content-type'] ?? '')) return false;
  try {
    JSON.parse(exchange.body);
    return true;
  } catch {
    return false;
  }
};

/**
 * Hostile or broken input must be refused: a 4xx JSON answer, never a 5xx (which tells an attacker the
 * input reached code that failed), and quickly (no expensive work before rejecting).
 */
export function refusal(quickMs: number) {
  return (exchange: Exchange) => {
    const what = `answered ${exchange.status} ${shortType(exchange)} in ${Math.round(exchange.ms)} ms`;
    if (exchange.status >= 500)
      return {
        passed: false,
        reason: `${what}: a server error instead of a refusal (the input reached code that failed)`,
      };
    if (exchange.status < 400)
      return { passed: false, reason: `${what}: the request was accepted, expected a 4xx refusal` };
    if (!isJson(exchange)) return { passed: false, reason: `${what}: a refusal must be a JSON body` };
    if (exchange.ms > quickMs)
      return { passed: false, reason: `${what}: slower than ${quickMs} ms for a refusal` };
    return { passed: true, reason: what };
  };
}

/** Closing the connection on an oversized upload is a refusal too (the server stopped reading). */
export function connectionClosedIsRefusal(error: unknown) {
  const codes = [error, (error as { cause?: unknown }).cause].map(
    (e) => (e as { code?: string } | undefined)?.code,
  );
  return codes.some((code) => code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET')
    ? { passed: true, reason: 'the server closed the connection without reading the whole body' }
    : undefined;
}

export const describeExchange = (exchange: Exchange) =>
  `${exchange.status} ${shortType(exchange)} in ${Math.round(exchange.ms)} ms`;
