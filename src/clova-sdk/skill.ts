import type { ServerResponse } from 'node:http';
import { createEndpoint, type Endpoint } from '../core/endpoint.js';
import { ConfigurationError } from '../core/errors.js';
import type { DispatchContext, Dispatcher, FallbackReason } from '../core/dispatcher.js';
import type { Logger } from '../core/logger.js';
import { isPromiseLike } from '../core/maybe-promise.js';
import type { MessageKind } from '../core/message-kind.js';
import { toExpressHandler, type ExpressLikeRequest } from '../adapters/express.js';
import { toLambdaHandler } from '../adapters/lambda.js';
import {
  answerNodeRequest,
  bodyAlreadyParsed,
  keptBytes,
  rejectionResponse,
  streamConsumed,
  writeResponse,
} from '../adapters/raw-body.js';
import { describeRequest } from '../custom/describe-request.js';
import type { Extension } from '../custom/extension.js';
import { parseCustomRequest } from '../custom/protocol/validate.js';
import { Context } from './context.js';
import { adoptBodyBytes, takeHandover } from './handover.js';
import {
  canBuildEndpoint,
  resolveOptions,
  type ResolvedOptions,
  type ShimEndpointOptions,
} from './options.js';
import type { Clova } from './types.js';

/** A request handler of the SDK: gets the context (also as `this`), may be async; its result is ignored. */
export type RequestHandler = (this: Context, ctx: Context) => unknown;

/** `Client.configureSkill()`'s options: cekit's endpoint options, and native handlers to try first. */
export interface SkillOptions extends ShimEndpointOptions {
  /**
   * A native cekit extension (`createExtension()`) whose handlers answer first: a request one of its
   * handlers matches goes to it, anything else to this skill's handlers. The way to move an
   * extension to the native API one handler at a time, behind the same URL. Its own endpoint options
   * are not used; this skill's endpoint serves both.
   */
  extension?: NativeExtension;
}

/** What the skill needs of a native extension (any `Extension<T>` fits). */
export type NativeExtension = Pick<Extension, 'handles' | 'dispatch' | 'fallback'>;

/** An Express (or Firebase) route handler; Express's own `Request` and `Response` fit. */
export type ExpressRequestHandler = (req: ExpressLikeRequest, res: ServerResponse, next?: unknown) => void;

/**
 * The Lambda handler: an HTTP result for API Gateway, HTTP API and function URL events, the response
 * itself for an accepted direct event. `any`, as callers wrote code against the SDK's looser type.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's callers rely on it
export type SkillLambdaHandler = (event: any, context?: unknown) => Promise<any>;

const REQUEST_TYPES: ReadonlySet<string> = new Set<Clova.RequestHandlerType>([
  'LaunchRequest',
  'IntentRequest',
  'EventRequest',
  'SessionEndedRequest',
]);

const PARSED_FIX =
  "With cekit/clova-sdk, verify with the Middleware instead of a JSON parser: app.post('/clova', " +
  'Middleware({ applicationId }), skill.handle()). (To accept unverified requests in development only, ' +
  'pass Client.configureSkill({ verify: false }).)';

/**
 * What `Client.configureSkill()` returns: one handler per request type, then `handle()` (Express),
 * `firebase()` or `lambda()`. It is a cekit `Dispatcher`, so it answers through cekit's verified
 * endpoint: every refusal a JSON 4xx, a request type without a handler answered with an empty
 * response, a handler that throws or misses the response budget answered with the fallback.
 */
export class SkillConfigurator implements Dispatcher, Clova.SkillConfigurator<Context> {
  readonly kinds: readonly MessageKind[] = ['custom'];
  /** The registered handlers by request type (the SDK's own field; the first one registered wins). */
  config: { requestHandlers: { [type: string]: RequestHandler } } = { requestHandlers: {} };
  readonly #options: ResolvedOptions;
  readonly #extension: NativeExtension | undefined;
  readonly #warned = new Set<string>();
  #endpoint: Endpoint | undefined;

  constructor(options: SkillOptions = {}) {
    const { extension, ...endpointOptions } = options;
    this.#options = resolveOptions(endpointOptions);
    this.#extension = extension;
  }

  /** Registers the handler of a request type. A second handler for a type is ignored (and warned about). */
  on(requestType: Clova.RequestHandlerType, requestHandler: RequestHandler): this {
    if (!REQUEST_TYPES.has(requestType)) {
      this.#logger.warn(
        `cekit/clova-sdk: "${String(requestType)}" is not a CEK request type; its handler will never run. ` +
          `The types are ${[...REQUEST_TYPES].join(', ')}.`,
      );
    }
    if (Object.hasOwn(this.config.requestHandlers, requestType)) {
      this.#logger.warn(
        `cekit/clova-sdk: a handler for ${requestType} is already registered; this one is ignored (the first one wins, as in the SDK).`,
      );
      return this;
    }
    this.config.requestHandlers[requestType] = requestHandler;
    return this;
  }

  onLaunchRequest(requestHandler: RequestHandler): this {
    return this.on('LaunchRequest', requestHandler);
  }

  onIntentRequest(requestHandler: RequestHandler): this {
    return this.on('IntentRequest', requestHandler);
  }

  onEventRequest(requestHandler: RequestHandler): this {
    return this.on('EventRequest', requestHandler);
  }

  onSessionEndedRequest(requestHandler: RequestHandler): this {
    return this.on('SessionEndedRequest', requestHandler);
  }

  /**
   * The Express route handler. Behind `Middleware({ applicationId })` it answers the request the
   * middleware verified. Alone, it verifies by itself, which needs `configureSkill({ applicationId })`
   * and the raw body (no JSON parser before it; Firebase's `req.rawBody` counts). A body parsed with
   * no raw bytes kept is refused with `400 BODY_ALREADY_PARSED`, unless verification is explicitly off.
   */
  handle(): ExpressRequestHandler {
    const endpoint = this.#buildEndpoint();
    const verifyAlone =
      endpoint === undefined ? undefined : toExpressHandler(endpoint, this.#options.express);
    const alreadyParsed = bodyAlreadyParsed(this.#logger, PARSED_FIX);
    let warnedNoId = false;

    return (req, res) => {
      const handover = takeHandover(req);
      if (handover !== undefined) return handover.answerWith(this);
      adoptBodyBytes(req);
      const parsedWithoutBytes = streamConsumed(req) && keptBytes(req.rawBody) === undefined;
      if (parsedWithoutBytes && endpoint !== undefined && this.#options.unverified) {
        // Explicitly unverified: the parsed body is all there is, and nothing is checked against it.
        return answerNodeRequest(endpoint, req, res, reencoded(req.body), performance.now());
      }
      if (parsedWithoutBytes) return writeResponse(res, alreadyParsed());
      if (verifyAlone !== undefined) return verifyAlone(req, res);
      if (!warnedNoId) {
        warnedNoId = true;
        this.#logger.error(
          'cekit/clova-sdk: a request reached skill.handle() unverified, and the skill has no Extension ID to verify it ' +
            'with. Put Middleware({ applicationId }) in front of it, or pass Client.configureSkill({ applicationId }).',
        );
      }
      writeResponse(
        res,
        rejectionResponse('APPLICATION_ID_MISMATCH', 'No Extension ID is configured for this handler.'),
      );
    };
  }

  /** `handle()`, for Firebase and Google Cloud Functions (which keep the raw body in `req.rawBody`). */
  firebase(): ExpressRequestHandler {
    return this.handle();
  }

  /**
   * The AWS Lambda handler. Behind API Gateway (proxy integration), an HTTP API or a function URL, it
   * verifies each request and answers with an HTTP result; this needs `configureSkill({ applicationId
   * })`. An event that is the CEK request itself (the SDK's setup: a non-proxy integration, or a direct
   * invocation) carries no signature, so it is refused unless verification is explicitly off; then it
   * is answered with the response itself, as in the SDK.
   */
  lambda(): SkillLambdaHandler {
    const endpoint = this.#buildEndpoint();
    if (endpoint === undefined) {
      throw new ConfigurationError(
        'EXTENSION_ID_REQUIRED',
        "cekit/clova-sdk: skill.lambda() verifies each request itself, so it needs the Extension ID: Client.configureSkill({ applicationId: '...' }). " +
          'Put API Gateway (proxy integration), an HTTP API or a function URL in front, so the SignatureCEK header reaches the function.',
      );
    }
    return toLambdaHandler(endpoint, {
      logger: this.#logger,
      ...(this.#options.unverified ? { directInvocation: endpoint } : {}),
    });
  }

  // ---- Dispatcher: what cekit's endpoint calls once a request is verified ----------------------

  /** Refuses a malformed request with 400 INVALID_MESSAGE naming the field, before any handler. */
  validate(message: Record<string, unknown>): void {
    parseCustomRequest(message);
  }

  /** Runs the native extension's handler when it has one for the request, else this skill's. */
  dispatch(message: Record<string, unknown>, context: DispatchContext): unknown {
    const extension = this.#extension;
    if (extension !== undefined && extension.handles(message, context))
      return extension.dispatch(message, context);
    const ctx = new Context(message as unknown as Clova.RequestBody);
    const type = ctx.requestObject.request.type;
    const handlers = this.config.requestHandlers;
    const handler = Object.hasOwn(handlers, type) ? handlers[type] : undefined;
    if (handler === undefined) {
      this.#warnUnhandled(type, message);
      return extension !== undefined ? extension.dispatch(message, context) : ctx.responseObject;
    }
    const result = handler.call(ctx, ctx);
    return isPromiseLike(result)
      ? Promise.resolve(result).then(() => ctx.responseObject)
      : ctx.responseObject;
  }

  /**
   * The native extension's fallback (its `fallbackSpeech`, in the request's language) when there is
   * one; otherwise cekit's built-in apology.
   */
  fallback(message: Record<string, unknown>, context: DispatchContext, reason: FallbackReason): unknown {
    return this.#extension?.fallback(message, context, reason);
  }

  describe(message: Record<string, unknown>): Record<string, unknown> {
    return describeRequest(message);
  }

  // ---- internals ------------------------------------------------------------------------------

  get #logger(): Logger {
    return this.#options.logger;
  }

  /** The skill's own endpoint, built once; undefined while no Extension ID says what to accept. */
  #buildEndpoint(): Endpoint | undefined {
    if (this.#endpoint === undefined && canBuildEndpoint(this.#options))
      this.#endpoint = createEndpoint({ ...this.#options.endpoint, dispatcher: this });
    return this.#endpoint;
  }

  /** The SDK answered 500 here; an empty answer is valid for CEK. Warned once per request type. */
  #warnUnhandled(type: string, message: Record<string, unknown>): void {
    if (this.#extension !== undefined || this.#warned.has(type)) return;
    this.#warned.add(type);
    this.#logger.warn(
      `cekit/clova-sdk: no handler for ${type}; answered with an empty response (the SDK answered 500).`,
      describeRequest(message),
    );
  }
}

/** The SDK's entry point. */
export class Client {
  /** A new skill to register handlers on. The options are cekit's; the SDK took none. */
  static configureSkill(options?: SkillOptions): SkillConfigurator {
    return new SkillConfigurator(options);
  }
}

/** A body a parser left: its bytes when it kept text or a Buffer, else the parsed value as JSON. */
function reencoded(body: unknown): Uint8Array {
  if (body instanceof Uint8Array) return body;
  return Buffer.from(typeof body === 'string' ? body : (JSON.stringify(body) ?? ''), 'utf8');
}
