/**
 * cekit: build Clova extensions (Custom and Clova Home) on a verified, transport-neutral endpoint.
 * @module
 */

// The endpoint: raw request in, response out. Adapters live in `cekit/node`, `cekit/fetch`, ...
export {
  createEndpoint,
  toEndpoint,
  DEFAULT_BODY_LIMIT,
  DEFAULT_RESPONSE_BUDGET_MS,
  type Endpoint,
  type EndpointOptions,
  type EndpointSource,
  type RawRequest,
  type RawResponse,
} from './core/endpoint.js';
export type { Dispatcher, DispatchContext, FallbackReason } from './core/dispatcher.js';
export type { MessageKind } from './core/message-kind.js';
export type { HeaderSource, HeaderValue } from './core/headers.js';

// Errors with stable codes.
export {
  REJECTIONS,
  RejectionError,
  ConfigurationError,
  type RejectionCode,
  type RejectionBody,
} from './core/errors.js';

// Request verification schemes.
export {
  publicKeyVerifier,
  certChainVerifier,
  anyScheme,
  JP_PUBLIC_KEY_PEM,
  REGIONS,
  CEK_CERT_CHAIN_URL,
  CEK_CERT_SAN_DOMAIN,
  type CertChainVerifierOptions,
  type CertChainUrlPolicy,
  type AnySchemeVerifiers,
  type TrustAnchorInput,
  type PublicKeyVerifierOptions,
  type RequestVerifier,
  type Region,
  type KeyInput,
} from './verify/index.js';

// Logging: any logger (pino, winston, console, cekit's), secrets redacted from every line.
export {
  adaptLogger,
  consoleLogger,
  silentLogger,
  type AdaptLoggerOptions,
  type Logger,
  type LogLevel,
} from './core/logger.js';
export { DEFAULT_REDACTED_KEYS, REDACTED } from './core/log-fields.js';

// Observability: each request's life on node:diagnostics_channel.
export {
  DIAGNOSTICS_CHANNELS,
  type RequestSummary,
  type RequestReceivedEvent,
  type RequestRejectedEvent,
  type RequestDispatchedEvent,
  type RequestAnsweredEvent,
  type HandlerErrorEvent,
  type FallbackEvent,
} from './core/diagnostics.js';

// Custom extensions: the handler framework (createExtension), response building, slots, storage,
// i18n, and the protocol messages (one schema source: types, validation, JSON Schema).
export * from './custom/index.js';
