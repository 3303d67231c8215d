import { performance } from 'node:perf_hooks';
import { isRequestVerifier, type RequestVerifier } from '../verify/verifier.js';
import { publicKeyVerifier, type PublicKeyVerifierOptions } from '../verify/public-key.js';
import { disabledVerifier } from '../verify/disabled.js';
import { checkContentType } from './content-type.js';
import type { Dispatcher, DispatchContext, FallbackReason } from './dispatcher.js';
import { ConfigurationError, RejectionError } from './errors.js';
import { builtinFallback } from './fallback.js';
import { readHeader, singleHeader, type HeaderSource } from './headers.js';
import { parseJsonBody } from './json.js';
import { consoleLogger, describeError, type Logger } from './logger.js';
import { applicationIdOf, messageKind, type MessageKind } from './message-kind.js';

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
  /** Where cekit logs; default JSON lines on the console. Use `silentLogger` to mute. */
  logger?: Logger;
  /** Log one line per request at `info` (default) or `debug`, or not at all (`false`). */
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
 * out. Order of checks: method, media type, size, signature over the raw bytes, UTF-8 and JSON,
 * message kind, applicationId; only then the dispatcher. Every refusal is a 4xx with a stable code.
 */
export function createEndpoint(options: EndpointOptions): Endpoint {
  const logger = options.logger ?? consoleLogger();
  const dispatcher = combineDispatchers(options.dispatcher);
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const budgetMs = options.responseBudgetMs ?? DEFAULT_RESPONSE_BUDGET_MS;
  const requestLog = options.requestLog ?? 'info';
  const verifier = resolveVerifier(options.verify, logger);
  const extensionIds = resolveExtensionIds(options, dispatcher.kinds, logger);
  const serves = new Set<MessageKind>(dispatcher.kinds);

  // The pipeline stays synchronous until something really has to wait (a key download, an async
  // handler): on the common path a request costs no promise at all.
  function handle(request: RawRequest): RawResponse | Promise<RawResponse> {
    const receivedAt = request.receivedAt ?? performance.now();
    try {
      if (request.method !== 'POST') throw new RejectionError('METHOD_NOT_ALLOWED');
      const contentType = singleHeader(readHeader(request.headers, 'content-type'));
      checkContentType(contentType.duplicated ? 'duplicated' : contentType.value);
      const { body } = request;
      if (body.byteLength > bodyLimit)
        throw new RejectionError('PAYLOAD_TOO_LARGE', `The limit is ${bodyLimit} bytes.`);
      if (body.byteLength === 0) throw new RejectionError('EMPTY_BODY');

      let pending: void | Promise<void>;
      try {
        pending = verifier.verify(body, request.headers);
      } catch (error) {
        throw unverified(error);
      }
      if (pending !== undefined) {
        return pending.then(
          () => answerVerified(body, receivedAt),
          (error: unknown) => reject(unverified(error), undefined, receivedAt),
        );
      }
      return answerVerified(body, receivedAt);
    } catch (error) {
      return reject(error, undefined, receivedAt);
    }
  }

  /**
   * A verifier that fails with anything but a RejectionError (a bug in a custom verifier) has not
   * proven the request genuine: refuse it as unverified, fail closed.
   */
  function unverified(error: unknown): RejectionError {
    if (error instanceof RejectionError) return error;
    logger.error('cekit: the request verifier failed; the request was refused', {
      scheme: verifier.scheme,
      ...describeError(error),
    });
    return new RejectionError('SIGNATURE_INVALID', undefined, { cause: error });
  }

  /** Everything after the signature: parse, route by kind, check the applicationId, dispatch. */
  function answerVerified(body: Uint8Array, receivedAt: number): RawResponse | Promise<RawResponse> {
    let message: Record<string, unknown> | undefined;
    let kind: MessageKind;
    try {
      message = parseJsonBody(body);
      const found = messageKind(message);
      if (found === undefined) {
        throw new RejectionError(
          'INVALID_MESSAGE',
          'Expected a Custom message (request) or a Clova Home message (header, payload).',
        );
      }
      kind = found;
      if (!serves.has(kind))
        throw new RejectionError('UNSUPPORTED_MESSAGE', `This endpoint does not serve ${kind} messages.`);
      if (kind === 'custom' && extensionIds !== undefined) {
        const applicationId = applicationIdOf(message);
        if (typeof applicationId !== 'string' || !extensionIds.has(applicationId)) {
          throw new RejectionError('APPLICATION_ID_MISMATCH');
        }
      }
      dispatcher.validate?.(message);
    } catch (error) {
      return reject(error, message, receivedAt);
    }
    const verified = message;
    const text = dispatchWithinBudget(verified, kind, receivedAt);
    return typeof text === 'string'
      ? accepted(text, verified, kind, receivedAt)
      : text.then((json) => accepted(json, verified, kind, receivedAt));
  }

  function accepted(
    json: string,
    message: Record<string, unknown>,
    kind: MessageKind,
    receivedAt: number,
  ): RawResponse {
    if (requestLog) {
      logger[requestLog]('cekit: request', {
        kind,
        ...dispatcher.describe?.(message),
        status: 200,
        ms: round(performance.now() - receivedAt),
      });
    }
    return { status: 200, headers: JSON_HEADERS, body: json };
  }

  /**
   * Runs the dispatcher under the response budget; always yields serialised JSON for a 200. A
   * synchronous answer is serialised on the spot; only a promise gets the budget timer.
   */
  function dispatchWithinBudget(
    message: Record<string, unknown>,
    kind: MessageKind,
    receivedAt: number,
  ): string | Promise<string> {
    const context = new BudgetContext(kind, receivedAt);
    let result: unknown;
    try {
      result = dispatcher.dispatch(message, context);
      if (!isPromise(result)) return serialise(result);
    } catch (error) {
      return failed(message, context, error);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const budget = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(resolve, budgetMs, TIMED_OUT);
    });
    return Promise.race([result, budget]).then(
      (answer) => {
        clearTimeout(timer);
        if (answer !== TIMED_OUT) {
          try {
            return serialise(answer);
          } catch (error) {
            return failed(message, context, error);
          }
        }
        context.abort(new Error(`Response budget of ${budgetMs} ms exceeded`));
        logger.warn('cekit: handler did not answer within the response budget; sent the fallback', {
          kind,
          budgetMs,
          ...dispatcher.describe?.(message),
        });
        return fallback(message, context, { type: 'timeout', budgetMs });
      },
      (error: unknown) => {
        clearTimeout(timer);
        return failed(message, context, error);
      },
    );
  }

  function failed(message: Record<string, unknown>, context: DispatchContext, error: unknown): string {
    logger.error('cekit: handler failed; sent the fallback', {
      kind: context.kind,
      ...dispatcher.describe?.(message),
      ...describeError(error),
    });
    return fallback(message, context, { type: 'error', error });
  }

  function fallback(
    message: Record<string, unknown>,
    context: DispatchContext,
    reason: FallbackReason,
  ): string {
    try {
      const answer = dispatcher.fallback?.(message, context, reason);
      if (answer !== undefined) return JSON.stringify(answer);
    } catch (error) {
      logger.error('cekit: the fallback itself failed; sent the built-in one', describeError(error));
    }
    return JSON.stringify(builtinFallback(context.kind, message));
  }

  function reject(
    error: unknown,
    message: Record<string, unknown> | undefined,
    receivedAt: number,
  ): RawResponse {
    const rejection =
      error instanceof RejectionError
        ? error
        : new RejectionError('INVALID_MESSAGE', undefined, { cause: error });
    if (!(error instanceof RejectionError)) {
      // Only reachable through a bug in cekit itself; still a 4xx, never a 500 with a stack.
      logger.error('cekit: unexpected error while checking a request', describeError(error));
    }
    if (requestLog) {
      logger[requestLog]('cekit: rejected', {
        status: rejection.status,
        code: rejection.code,
        ...(message && dispatcher.describe ? dispatcher.describe(message) : {}),
        ms: round(performance.now() - receivedAt),
      });
    }
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

/** Routes each message kind to the one dispatcher that serves it. */
function combineDispatchers(input: Dispatcher | readonly Dispatcher[]): Dispatcher {
  if (!Array.isArray(input)) return input as Dispatcher;
  const list = input as readonly Dispatcher[];
  if (list.length === 1) return list[0]!;
  const byKind = new Map<MessageKind, Dispatcher>();
  for (const dispatcher of list) {
    for (const kind of dispatcher.kinds) {
      if (byKind.has(kind))
        throw new ConfigurationError('DUPLICATE_DISPATCHER', `Two dispatchers serve ${kind} messages.`);
      byKind.set(kind, dispatcher);
    }
  }
  const pick = (message: Record<string, unknown>) => byKind.get(messageKind(message) ?? 'custom');
  return {
    kinds: [...byKind.keys()],
    validate: (message) => pick(message)?.validate?.(message),
    dispatch: (message, context) => byKind.get(context.kind)!.dispatch(message, context),
    fallback: (message, context, reason) => byKind.get(context.kind)!.fallback?.(message, context, reason),
    describe: (message) => pick(message)?.describe?.(message) ?? {},
  };
}

const TIMED_OUT: unique symbol = Symbol('timed out');

/** `undefined` (a handler that forgot to return) would serialise to nothing; CEK needs a body. */
function serialise(answer: unknown): string {
  const text = answer === undefined ? undefined : JSON.stringify(answer);
  if (text === undefined) throw new Error('The dispatcher returned no answer');
  return text;
}

/**
 * The dispatch context. Its AbortController is only built when a handler asks for `signal`: most
 * never do, and an AbortController per request is a measurable share of the hot path.
 */
class BudgetContext implements DispatchContext {
  readonly kind: MessageKind;
  readonly receivedAt: number;
  #controller: AbortController | undefined;
  #reason: unknown;
  #aborted = false;

  constructor(kind: MessageKind, receivedAt: number) {
    this.kind = kind;
    this.receivedAt = receivedAt;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}

function isPromise(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function resolveVerifier(verify: EndpointOptions['verify'], logger: Logger): RequestVerifier {
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
