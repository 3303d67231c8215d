import type { IncomingMessage, ServerResponse } from 'node:http';
import { createEndpoint } from '../core/endpoint.js';
import { ConfigurationError } from '../core/errors.js';
import { toExpressHandler } from '../adapters/express.js';
import { adoptBodyBytes, createHandover } from './handover.js';
import { canBuildEndpoint, resolveOptions, type ShimEndpointOptions } from './options.js';
import type { Clova } from './types.js';

/**
 * `Middleware()`'s options: the SDK's `{ applicationId }` (one Extension ID, or several), and any of
 * cekit's endpoint options.
 */
export interface MiddlewareOptions extends ShimEndpointOptions {
  applicationId: string | readonly string[];
}

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
  const handover = createHandover();
  const endpoint = createEndpoint({ ...resolved.endpoint, dispatcher: handover.dispatcher });
  const serve = toExpressHandler(endpoint, resolved.express);

  return function clovaMiddleware(
    req: IncomingMessage,
    res: ServerResponse,
    next: (error?: unknown) => void,
  ) {
    adoptBodyBytes(req);
    handover.expect(req, res, next);
    serve(req, res);
  };
}
