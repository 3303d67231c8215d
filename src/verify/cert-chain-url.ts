import { RejectionError } from '../core/errors.js';

/** Where a `SignatureCEKCertChainUrl` may point: compared against the PARSED URL. */
export interface CertChainUrlPolicy {
  /** Exact hostname (lower case, as the WHATWG parser normalises it). */
  readonly host: string;
  /** The only port accepted; for 443 the URL may omit it or spell `:443`. */
  readonly port: number;
  /** The path must start with this and continue after it; starts and ends with `/`. */
  readonly pathPrefix: string;
}

/**
 * The documented values (spec http-and-validation.md §4.1: `SignatureSubPath` =
 * `https://cek-requests.clova.ai/cek/`). Always https.
 */
export const CEK_CERT_CHAIN_URL: CertChainUrlPolicy = Object.freeze({
  host: 'cek-requests.clova.ai',
  port: 443,
  pathPrefix: '/cek/',
});

const MAX_URL_LENGTH = 2048;
// Visible ASCII only: no spaces, controls, tabs or non-ASCII (which the parser would strip or encode).
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;
// A `.` or `..` path segment, however it ends (`/`, `?`, `#` or the end of the string).
const DOT_SEGMENT = /\/\.{1,2}(?:[/?#]|$)/;

/**
 * Checks a `SignatureCEKCertChainUrl` value and returns the parsed URL, or throws
 * `CERT_CHAIN_URL_INVALID` with the reason. Runs before any network access, so nothing outside the
 * policy is ever fetched (no SSRF). The raw string is screened first because the parser silently
 * rewrites tricks (`/cek/../x` becomes `/x`, `\` becomes `/`, `%2e%2e` survives as text but a
 * server may decode it); then the parsed parts are compared exactly.
 */
export function checkCertChainUrl(raw: string, policy: CertChainUrlPolicy): URL {
  if (raw.length > MAX_URL_LENGTH) refuse(`It is longer than ${MAX_URL_LENGTH} characters.`);
  if (!VISIBLE_ASCII.test(raw)) refuse('It contains whitespace, control or non-ASCII characters.');
  if (raw.includes('\\')) refuse('It contains a backslash.');
  if (raw.includes('%')) refuse('Percent-encoded characters are not accepted.');
  if (raw.includes('@')) refuse('It must not carry user information.');
  if (raw.includes('?')) refuse('It must not have a query string.');
  if (raw.includes('#')) refuse('It must not have a fragment.');
  if (raw.includes('..') || DOT_SEGMENT.test(raw)) refuse('It must not contain dot segments.');

  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('It is not an absolute URL.');
  }
  if (url.protocol !== 'https:') refuse('It must use https.');
  if (url.username !== '' || url.password !== '') refuse('It must not carry user information.');
  if (url.hostname !== policy.host) refuse(`The host must be ${policy.host}.`);
  const port = url.port === '' ? 443 : Number(url.port);
  if (port !== policy.port) refuse(`The port must be ${policy.port}.`);
  if (!url.pathname.startsWith(policy.pathPrefix) || url.pathname.length === policy.pathPrefix.length) {
    refuse(`The path must be under ${policy.pathPrefix}.`);
  }
  if (url.search !== '' || url.hash !== '') refuse('It must not have a query string or fragment.');
  return url;
}

/** Validates a policy given in options, so a typo fails at start-up rather than on every request. */
export function resolveUrlPolicy(overrides: Partial<CertChainUrlPolicy> | undefined): CertChainUrlPolicy {
  const policy = { ...CEK_CERT_CHAIN_URL, ...overrides };
  if (policy.host === '' || policy.host !== policy.host.toLowerCase() || /[/:@\s]/.test(policy.host)) {
    throw new TypeError(
      `certChainVerifier: allowedUrl.host must be a lower-case hostname, got "${policy.host}"`,
    );
  }
  if (!Number.isInteger(policy.port) || policy.port < 1 || policy.port > 65535) {
    throw new TypeError(`certChainVerifier: allowedUrl.port must be 1-65535, got ${policy.port}`);
  }
  if (!/^\/(?:[A-Za-z0-9._~-]+\/)*$/.test(policy.pathPrefix) || policy.pathPrefix.includes('..')) {
    throw new TypeError(
      `certChainVerifier: allowedUrl.pathPrefix must start and end with "/", got "${policy.pathPrefix}"`,
    );
  }
  return Object.freeze(policy);
}

function refuse(reason: string): never {
  throw new RejectionError('CERT_CHAIN_URL_INVALID', reason);
}
