import type { EndpointOptions } from '../core/endpoint.js';
import { resolveLogger, type Logger } from '../core/logger.js';

/**
 * The environment variable that turns verification off for `cekit/clova-sdk` only, for test suites
 * written for the SDK (unsigned requests through `bodyParser.json()`) that cannot pass an option.
 * Only the exact value `false` counts; like `verify: false` it is refused when NODE_ENV=production.
 */
export const VERIFY_ENV = 'CEKIT_CLOVA_SDK_VERIFY';

/** cekit's endpoint options, as the shim takes them (every one optional, as the SDK needed none). */
export interface ShimEndpointOptions extends Omit<EndpointOptions, 'dispatcher' | 'extensionId'> {
  /**
   * The Extension ID(s) from the Clova developer console: requests for another are refused (403).
   * The SDK's name for cekit's `extensionId`.
   */
  applicationId?: string | readonly string[];
  /**
   * Longest a client may take to send the body once its headers arrived (Express): a slower body gets
   * `408 REQUEST_TIMEOUT`. Default 10 s.
   */
  bodyTimeoutMs?: number;
}

/** What the shim's endpoints are built from: cekit's options, the opt-out resolved. */
export interface ResolvedOptions {
  endpoint: Omit<EndpointOptions, 'dispatcher'>;
  /** Verification is off (explicitly): pre-parsed and direct-invocation bodies are then accepted. */
  unverified: boolean;
  logger: Logger;
  /** The Express adapter's options. */
  express: { logger: Logger; bodyTimeoutMs?: number };
}

/**
 * Turns the shim's options into endpoint options. Verification is off only by `verify: false` or
 * `CEKIT_CLOVA_SDK_VERIFY=false`; the endpoint then refuses to start when NODE_ENV=production and
 * warns loudly otherwise. With it off and no applicationId, any applicationId is accepted (the
 * SDK's handler checked none), which the endpoint also logs.
 */
export function resolveOptions(options: ShimEndpointOptions = {}): ResolvedOptions {
  const { applicationId, bodyTimeoutMs, ...rest } = options;
  const logger = resolveLogger(options.logger, options.redact);
  const fromEnv = options.verify === undefined && process.env[VERIFY_ENV] === 'false';
  const unverified = options.verify === false || fromEnv;
  if (fromEnv) logger.warn(`cekit/clova-sdk: ${VERIFY_ENV}=false turns signature verification off.`);
  const ids = applicationId === undefined ? [] : [applicationId].flat().filter((id) => id !== '');
  return {
    endpoint: {
      ...rest,
      logger,
      ...(unverified ? { verify: false } : {}),
      ...(ids.length > 0 ? { extensionId: ids } : unverified ? { allowAnyExtensionId: true } : {}),
    },
    unverified,
    logger,
    express: { logger, ...(bodyTimeoutMs !== undefined ? { bodyTimeoutMs } : {}) },
  };
}

/** Whether an Extension ID is configured, i.e. whether an endpoint can be built from these options. */
export function canBuildEndpoint(resolved: ResolvedOptions): boolean {
  return resolved.endpoint.extensionId !== undefined || resolved.endpoint.allowAnyExtensionId === true;
}
