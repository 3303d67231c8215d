import type { IncomingMessage, ServerResponse } from 'node:http';
import { createEndpoint } from '../core/endpoint.js';
import { ConfigurationError } from '../core/errors.js';
import { toExpressHandler } from '../adapters/express.js';
import { handoverDispatcher, type PendingRequest } from './handover.js';
import { canBuildEndpoint, resolveOptions, type ShimEndpointOptions } from './options.js';
import type { Clova } from './types.js';

/** `Middleware()`'s options: the SDK's `{ applicationId }`, and any of cekit's endpoint options. */
export type MiddlewareOptions = Clova.MiddlewareOptions & ShimEndpointOptions;

/**
 * The SDK's verifying middleware, on cekit's endpoint: `app.post('/clova', Middleware({
 * applicationId }), skill.handle())`. It reads the raw body, checks everything the endpoint checks
 * (method, media type, size, the signature over the exact bytes, JSON, applicationId, message shape),
 * sets `req.body` to the verified request and calls `next()`. A refused request is answered here with
 * a JSON 4xx (`{ error: { code, message } }`), where the SDK passed an error to Express, which
 * answered 500. The skill's handler after it answers through this middleware's endpoint, so the
 * response budget, the fallback and the request log cover the whole request.
 *
 * A body parser that ran before it must keep the raw bytes (`req.rawBody`, as Firebase does, or
 * `express.json({ verify: keepRawBody })` from `cekit/express`); without them the request is refused
 * with `400 BODY_ALREADY_PARSED`, since a body parsed and encoded again is not what CEK signed.
 */
export function Middleware(options: MiddlewareOptions): Clova.Middleware {
  const resolved = resolveOptions(options);
  if (!canBuildEndpoint(resolved)) {
    throw new ConfigurationError(
      'EXTENSION_ID_REQUIRED',
      'cekit/clova-sdk: Middleware({ applicationId }) needs the Extension ID from the Clova developer console ' +
        '(requests for any other are refused). It was empty: is the environment variable that holds it set?',
    );
  }
  const pending = new WeakMap<object, PendingRequest>();
  const endpoint = createEndpoint({ ...resolved.endpoint, dispatcher: handoverDispatcher(pending) });
  const serve = toExpressHandler(endpoint, { logger: resolved.logger });

  return function clovaMiddleware(
    req: IncomingMessage,
    res: ServerResponse,
    next: (error?: unknown) => void,
  ) {
    // The SDK read a body that bodyParser.raw()/text() left in req.body: those are the bytes.
    // Through `unknown`: a package may have typed `rawBody` on IncomingMessage as a string.
    const carrier = req as { body?: unknown; rawBody?: unknown };
    if (
      carrier.rawBody === undefined &&
      (typeof carrier.body === 'string' || Buffer.isBuffer(carrier.body))
    ) {
      carrier.rawBody = carrier.body;
    }
    pending.set(req, { res, next });
    serve(req, res);
  };
}
