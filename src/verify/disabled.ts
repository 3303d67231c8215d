import { ConfigurationError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { RequestVerifier } from './verifier.js';

/**
 * Scheme (c): no verification. Only ever built from an explicit `verify: false`; it refuses to exist
 * when NODE_ENV is `production`, and it warns at start-up and again every 1000 requests so it cannot
 * be forgotten in a deployment.
 */
export function disabledVerifier(
  logger: Logger,
  // `globalThis.process`: Workers without nodejs_compat have no `process` at all.
  env: string | undefined = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env?.NODE_ENV,
): RequestVerifier {
  if (env === 'production') {
    throw new ConfigurationError(
      'VERIFICATION_DISABLED_IN_PRODUCTION',
      'cekit: `verify: false` is refused when NODE_ENV=production. Requests must be verified in production.',
    );
  }
  const warning =
    'cekit: SIGNATURE VERIFICATION IS DISABLED. Anyone can send this endpoint requests. Never deploy this.';
  logger.warn(warning);
  let count = 0;
  return {
    scheme: 'none',
    verify() {
      if (++count % 1000 === 0) logger.warn(warning, { unverifiedRequests: count });
    },
  };
}
