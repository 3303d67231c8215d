/**
 * The CEK side, for tests and local runs: request builders, keys and signing, a conversation harness
 * that keeps the session like CEK, an interaction-model resolver, reply checks, and the audit behind
 * `cekit check`. No test-runner imports: works with Vitest, Jest or `node:test`.
 * @module
 */
export { generateTestKeyPair, loadTestKeyPair, signBody, type TestKeyPair } from './keys.js';

// The legacy cert-chain scheme (SignatureCEKCertChainUrl): a test CA, certificates, a chain server.
export { startTestCertChain, type TestCertChain, type TestCertChainOptions } from './cert-chain.js';
export {
  createTestCertificateAuthority,
  signBodySha1,
  type TestCertificate,
  type IssueOptions,
} from './cert-authority.js';
export {
  startCertificateServer,
  type CertificateServer,
  type CertificateServerOptions,
  type CertificateRoute,
} from './cert-server.js';
export { createCertificate, type CertificateFields, type KeyUsage } from './x509.js';

// Requests.
export {
  buildLaunchRequest,
  buildIntentRequest,
  buildSessionEndedRequest,
  buildEventRequest,
  defaultEventPayload,
  cekTimestamp,
  EVENT_NAMES,
  DEFAULT_EXTENSION_ID,
  DEFAULT_USER_ID,
  DEFAULT_DEVICE_ID,
  type RequestOptions,
  type SlotInput,
} from './custom-requests.js';
export {
  buildHomeRequest,
  buildDiscoverAppliancesRequest,
  buildHomeControlRequest,
  buildDiscoverScenesRequest,
  buildActionSceneRequest,
  homeRequestName,
  type HomeMessage,
  type HomeRequestOptions,
} from './home-requests.js';
export { HOME_ACTIONS, type HomeAction, type HomeActionCategory } from './home-actions.js';
export { defaultHomeFields } from './home-samples.js';

// Talking to an extension.
export {
  httpTransport,
  inProcessTransport,
  toTransport,
  cekHeaders,
  type Transport,
  type Target,
  type Exchange,
  type OutgoingRequest,
  type HttpTransportOptions,
} from './transport.js';
export {
  createConversation,
  Conversation,
  NotForwardedError,
  type ConversationOptions,
  type Turn,
} from './conversation.js';
export { signedHeaders, type Signer } from './signer.js';
export { CheckedReply } from './checked-reply.js';
export { Reply, describeRequest } from './reply.js';
export { HomeReply } from './home-reply.js';
export { CEK_DEADLINE_MS, ReplyProblemError, formatProblem, type Problem } from './problems.js';
export { spokenText, speechItems } from './speech-text.js';
export { storeConformance, type StoreCheck, type StoreConformanceOptions } from './store-conformance.js';

// Utterances.
export {
  defineInteractionModel,
  loadInteractionModel,
  readModelJson,
  parseIntentTsv,
  parseSlotTypeTsv,
  parseSample,
  ModelError,
  type InteractionModel,
  type IntentModel,
  type ModelJson,
  type SlotTypeEntry,
  type SamplePart,
} from './model.js';
export {
  lintInteractionModel,
  type ModelProblem,
  type ModelProblemCode,
  type HandlerSource,
  type LintOptions,
} from './model-lint.js';
export { createResolver, type Resolver, type Resolution, type NearMiss } from './resolve.js';
export { normalizeUtterance } from './normalize.js';

// The audit behind `cekit check`.
export {
  auditExtension,
  AuditError,
  parseCaptured,
  loadCaptured,
  type AuditOptions,
  type AuditReport,
  type CheckResult,
  type CapturedRequest,
} from './audit/index.js';
