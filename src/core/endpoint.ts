import { isRequestVerifier, type RequestVerifier } from '../verify/verifier.js';
import { publicKeyVerifier, type PublicKeyVerifierOptions } from '../verify/public-key.js';
import { disabledVerifier } from '../verify/disabled.js';
import { devSession, devVerifier } from './dev-session.js';
import { checkContentType } from './content-type.js';
import type { Dispatcher, DispatchContext, FallbackReason } from './dispatcher.js';
import { BudgetContext, TIMED_OUT, withinBudget } from './budget.js';
import { combineDispatchers } from './dispatchers.js';
import { ConfigurationError, RejectionError } from './errors.js';
import { builtinFallback } from './fallback.js';
import { readHeader, singleHeader, type HeaderSource } from './headers.js';
import { parseJsonBody } from './json.js';
import { describeError, resolveLogger, type Logger } from './logger.js';
import { applicationIdOf, messageKind, type MessageKind } from './message-kind.js';
import { replyProblem } from './reply-shape.js';
import { isPromiseLike } from './maybe-promise.js';
import { RequestReport, type Arrival } from './request-report.js';

/** A request as any transport sees it: nothing parsed, the body exactly as received. */
export interface RawRequest {
  method: string;
  headers: HeaderSource;
  body: Uint8Array;
  /**
   * When the request arrived (`performance.now()`), before its body was read. The response budget
   * counts from here, so time spent queued or reading a slow body is not given to the handler twice.
   * Default: when `handle` is called.
   */
  receivedAt?: number;
  /**
   * The transport's own request object (Node's `IncomingMessage` from the Express adapter), passed
   * through untouched to the dispatcher as `context.request.native`. The endpoint never reads it.
   */
  native?: unknown;
}

/** What the transport writes back. `body` is always JSON text. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Anything that turns raw requests into raw responses; every adapter accepts one. */
export interface Endpoint {
  /**
   * Checks and answers one request. Never throws, never rejects and never answers 5xx: a refusal is
   * a 4xx with a JSON error body, a handler failure is a 200 with the fallback answer. The answer is
   * returned directly when nothing had to wait (bundled key, synchronous handler), so a transport
   * can write it in the same tick; otherwise as a promise. `await` works for both.
   */
  handle(request: RawRequest): RawResponse | Promise<RawResponse>;
  /** Largest body accepted, so adapters can stop reading early. */
  readonly bodyLimit: number;
  /** Resolves when verification keys are available. */
  ready(): Promise<void>;
  close(): void;
}

/** Anything that owns an endpoint: `createEndpoint()`'s result or an extension built on it. */
export type EndpointSource = Endpoint | { readonly endpoint: Endpoint };

/** The endpoint behind `source` (an endpoint, or an extension that owns one). */
export function toEndpoint(source: EndpointSource): Endpoint {
  return 'endpoint' in source ? source.endpoint : source;
}

export interface EndpointOptions {
  /**
   * Who answers verified messages: one framework (a Custom or Clova Home extension), or several, one
   * per message kind, so a single URL can serve both kinds.
   */
  dispatcher: Dispatcher | readonly Dispatcher[];
  /**
   * How requests are proven to come from CEK. Default: `SignatureCEK` with the bundled JP key,
   * refreshed from the JP URL. Pass public-key options (`{ region: 'kr' }`, `{ keys: [pem] }`), any
   * `RequestVerifier`, or `false` to disable verification (refused when NODE_ENV=production).
   */
  verify?: PublicKeyVerifierOptions | RequestVerifier | false;
  /**
   * The Extension ID(s) registered in the Clova developer console. Custom messages whose
   * `context.System.application.applicationId` is not listed are refused. Required when the
   * dispatcher serves Custom messages, unless `allowAnyExtensionId` is set.
   */
  extensionId?: string | readonly string[];
  /** Explicit opt-out of the applicationId check (logged at start-up). */
  allowAnyExtensionId?: boolean;
  /** Largest accepted body in bytes. Default 128 KiB; CEK messages are a few KiB. */
  bodyLimit?: number;
  /**
   * Time the dispatcher has to answer before the fallback is sent. Default 6500 ms, leaving a margin
   * under CEK's documented 8 s deadline (spec http-and-validation.md §1.3) for network and queuing.
   */
  responseBudgetMs?: number;
  /**
   * Where cekit logs: a pino, winston or cekit logger, `console`, anything with `debug`, `info`, `warn`
   * and `error`. Default JSON lines on stdout/stderr (`consoleLogger()`); `silentLogger` mutes.
   */
  logger?: Logger;
  /**
   * Field names redacted from every log line (`ctx.log` included), at any depth, besides the default
   * `accessToken`, `authorization`, `password`, `secret`... (`DEFAULT_REDACTED_KEYS`).
   */
  redact?: readonly string[];
  /**
   * One line per request at `info` (default) or `debug`, or none (`false`). Refusals that suggest a
   * forged or misdirected request are logged at `warn` whatever the level here.
   */
  requestLog?: 'info' | 'debug' | false;
}

/** Default `bodyLimit`: 128 KiB. CEK messages are a few KiB; the spec documents no limit (§1.3). */
export const DEFAULT_BODY_LIMIT = 128 * 1024;
/** Default `responseBudgetMs`: 6500 ms, under CEK's 8 s response deadline (spec §1.3). */
export const DEFAULT_RESPONSE_BUDGET_MS = 6500;

const JSON_HEADERS = Object.freeze({ 'content-type': 'application/json;charset=UTF-8' });
const ALLOW_HEADERS = Object.freeze({ 'content-type': 'application/json;charset=UTF-8', allow: 'POST' });

/**
 * The transport-neutral CEK endpoint: raw method, headers and body in, status, headers and JSON body
 * out. One pipeline, in this order: method, media type, size, signature over the raw bytes, UTF-8
 * and JSON, message kind, applicationId, message shape; then the dispatcher under the response
 * budget; then the reply's envelope. Every refusal is a 4xx with a stable code; every failure after
 * verification is a 200 with the fallback. The pipeline stays synchronous until something really has
 * to wait (a key download, an async handler), so the common request costs no promise at all.
 */
export function createEndpoint(options: EndpointOptions): Endpoint {
  const logger = resolveLogger(options.logger, options.redact);
  const dispatcher = combineDispatchers(options.dispatcher);
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const budgetMs = options.responseBudgetMs ?? DEFAULT_RESPONSE_BUDGET_MS;
  const report = new RequestReport(logger, options.requestLog ?? 'info', dispatcher);
  const verifier = resolveVerifier(options.verify, logger);
  const extensionIds = resolveExtensionIds(options, dispatcher.kinds, logger);
  devSession()?.endpointCreated({ kinds: dispatcher.kinds, extensionIds: [...(extensionIds ?? [])] });
  const serves = new Set<MessageKind>(dispatcher.kinds);

  /** Steps 1-4: what can be checked before the signature; then the signature itself. */
  function handle(request: RawRequest): RawResponse | Promise<RawResponse> {
    const arrival = report.received(request);
    try {
      if (request.method !== 'POST') throw new RejectionError('METHOD_NOT_ALLOWED');
      const contentType = singleHeader(readHeader(request.headers, 'content-type'));
      checkContentType(contentType.duplicated ? 'duplicated' : contentType.value);
      if (request.body.byteLength > bodyLimit)
        throw new RejectionError('PAYLOAD_TOO_LARGE', `The limit is ${bodyLimit} bytes.`);
      if (request.body.byteLength === 0) throw new RejectionError('EMPTY_BODY');
    } catch (error) {
      return reject(error, undefined, arrival);
    }
    let pending: void | Promise<void>;
    try {
      pending = verifier.verify(request.body, request.headers);
    } catch (error) {
      return reject(unverified(error), undefined, arrival);
    }
    if (pending === undefined) return answerVerified(request, arrival);
    return pending.then(
      () => answerVerified(request, arrival),
      (error: unknown) => reject(unverified(error), undefined, arrival),
    );
  }

  /**
   * A verifier that fails with anything but a RejectionError (a bug in a custom verifier) has not
   * proven the request genuine: refuse it as unverified, fail closed.
   */
  function unverified(error: unknown): RejectionError {
    if (error instanceof RejectionError) return error;
    logger.error('cekit: the request verifier failed; the request was refused', {
      scheme: verifier.scheme,
      ...describeError(error, { stack: true }),
    });
    return new RejectionError('SIGNATURE_INVALID', undefined, { cause: error });
  }

  /** Steps 5-8: parse, route by kind, check the applicationId and the shape; then dispatch. */
  function answerVerified(request: RawRequest, arrival: Arrival): RawResponse | Promise<RawResponse> {
    let message: Record<string, unknown> | undefined;
    let kind: MessageKind;
    try {
      message = parseJsonBody(request.body);
      kind = servedKind(message);
      dispatcher.validate?.(message);
    } catch (error) {
      return reject(error, message, arrival);
    }
    const verified = message;
    report.dispatched(arrival, kind, verified);
    const json = dispatchWithinBudget(
      verified,
      new BudgetContext(kind, arrival.receivedAt, budgetMs, request),
    );
    return typeof json === 'string'
      ? accepted(json, verified, kind, arrival)
      : json.then((text) => accepted(text, verified, kind, arrival));
  }

  function servedKind(message: Record<string, unknown>): MessageKind {
    const kind = messageKind(message);
    if (kind === undefined) {
      throw new RejectionError(
        'INVALID_MESSAGE',
        'Expected a Custom message (request) or a Clova Home message (header, payload).',
      );
    }
    if (!serves.has(kind))
      throw new RejectionError('UNSUPPORTED_MESSAGE', `This endpoint does not serve ${kind} messages.`);
    if (kind === 'custom' && extensionIds !== undefined) {
      const applicationId = applicationIdOf(message);
      if (typeof applicationId !== 'string' || !extensionIds.has(applicationId))
        throw new RejectionError('APPLICATION_ID_MISMATCH');
    }
    return kind;
  }

  function accepted(
    json: string,
    message: Record<string, unknown>,
    kind: MessageKind,
    arrival: Arrival,
  ): RawResponse {
    report.answered(arrival, kind, message);
    return { status: 200, headers: JSON_HEADERS, body: json };
  }

  /**
   * Runs the dispatcher; always yields the JSON text of a valid reply. A synchronous answer is
   * checked and serialised on the spot; only a promise gets the budget timer.
   */
  function dispatchWithinBudget(
    message: Record<string, unknown>,
    context: BudgetContext,
  ): string | Promise<string> {
    let result: unknown;
    try {
      result = dispatcher.dispatch(message, context);
    } catch (error) {
      return failed(message, context, error);
    }
    if (!isPromiseLike(result)) return replyText(message, context, result);
    return withinBudget(result, context.receivedAt, budgetMs).then(
      (answer) => {
        if (answer !== TIMED_OUT) return replyText(message, context, answer);
        context.abort(new Error(`Response budget of ${budgetMs} ms exceeded`));
        logger.warn('cekit: handler did not answer within the response budget; sent the fallback', {
          kind: context.kind,
          budgetMs,
          ...report.describe(message),
        });
        return fallback(message, context, { type: 'timeout', budgetMs });
      },
      (error: unknown) => failed(message, context, error),
    );
  }

  /** The reply as JSON text, or the fallback when it is not a reply CEK can use. */
  function replyText(message: Record<string, unknown>, context: DispatchContext, reply: unknown): string {
    const problem =
      reply === undefined ? 'the dispatcher returned no answer' : replyProblem(context.kind, reply);
    try {
      if (problem !== undefined) throw new Error(`Invalid reply: ${problem}`);
      return JSON.stringify(reply);
    } catch (error) {
      return failed(message, context, error);
    }
  }

  function failed(message: Record<string, unknown>, context: DispatchContext, error: unknown): string {
    report.failed(context.kind, message, error);
    return fallback(message, context, { type: 'error', error });
  }

  /** The dispatcher's fallback when it has a valid one, else the built-in one. */
  function fallback(
    message: Record<string, unknown>,
    context: DispatchContext,
    reason: FallbackReason,
  ): string {
    try {
      const answer = dispatcher.fallback?.(message, context, reason);
      if (answer !== undefined) {
        const problem = replyProblem(context.kind, answer);
        if (problem === undefined) {
          const text = JSON.stringify(answer);
          report.fallback(context.kind, message, reason.type, false);
          return text;
        }
        logger.error('cekit: the fallback is not a valid reply; sent the built-in one', { problem });
      }
    } catch (error) {
      logger.error(
        'cekit: the fallback itself failed; sent the built-in one',
        describeError(error, { stack: true }),
      );
    }
    report.fallback(context.kind, message, reason.type, true);
    return JSON.stringify(builtinFallback(context.kind, message));
  }

  function reject(
    error: unknown,
    message: Record<string, unknown> | undefined,
    arrival: Arrival,
  ): RawResponse {
    const rejection =
      error instanceof RejectionError
        ? error
        : new RejectionError('INVALID_MESSAGE', undefined, { cause: error });
    if (!(error instanceof RejectionError)) {
      // Only reachable through a bug in cekit itself; still a 4xx, never a 500 with a stack.
      logger.error('cekit: unexpected error while checking a request', describeError(error, { stack: true }));
    }
    report.rejected(arrival, rejection, message);
    return {
      status: rejection.status,
      headers: rejection.code === 'METHOD_NOT_ALLOWED' ? ALLOW_HEADERS : JSON_HEADERS,
      body: JSON.stringify(rejection.toJSON()),
    };
  }

  return {
    handle,
    bodyLimit,
    ready: () => verifier.ready?.() ?? Promise.resolve(),
    close: () => verifier.close?.(),
  };
}

function resolveVerifier(verify: EndpointOptions['verify'], logger: Logger): RequestVerifier {
  // Under `cekit dev` the development key is trusted (src/core/dev-session.ts).
  const dev = devSession();
  if (dev) return devVerifier(dev, verify, logger);
  if (verify === false) return disabledVerifier(logger);
  if (isRequestVerifier(verify)) return verify;
  return publicKeyVerifier({ logger, ...verify });
}

function resolveExtensionIds(
  options: EndpointOptions,
  kinds: readonly MessageKind[],
  logger: Logger,
): ReadonlySet<string> | undefined {
  const ids = options.extensionId === undefined ? [] : [options.extensionId].flat();
  if (ids.length > 0) return new Set(ids);
  if (!kinds.includes('custom')) return undefined;
  if (options.allowAnyExtensionId) {
    logger.warn(
      'cekit: the applicationId check is off (allowAnyExtensionId); any Custom extension ID is accepted',
    );
    return undefined;
  }
  throw new ConfigurationError(
    'EXTENSION_ID_REQUIRED',
    'cekit: set `extensionId` to the Extension ID from the Clova developer console (or `allowAnyExtensionId: true` to opt out of the check).',
  );
}
