import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from '../core/dispatcher.js';
import { builtinFallback } from '../core/fallback.js';
import { parseCustomRequest } from '../custom/protocol/validate.js';
import { describeRequest } from '../custom/describe-request.js';

/**
 * How `Middleware()` and the skill's `handle()` share one request. The SDK's pattern is
 * `app.post('/clova', Middleware({ applicationId }), skill.handle())`: the middleware checks, the
 * handler answers. In cekit one endpoint does both, so that a request is verified, answered, timed
 * and logged by one pipeline. The middleware's endpoint dispatches to the hand-over ({@link createHandover}), which
 * sets `req.body` to the verified request and calls `next()`; the skill's handler finds the handover
 * on `req` and settles it with its answer, which the middleware's endpoint then sends (or replaces
 * with the fallback when it throws or misses the response budget).
 *
 * A handler after the middleware that is not a skill's answers by itself; the handover then settles
 * when the response is finished, so the endpoint's budget timer stops and nothing is written twice.
 */
export interface Handover {
  /**
   * Answers the verified request with `answerer`: its `dispatch` settles the endpoint's dispatch
   * (a throw or a rejection gets the fallback), and its `fallback`, if any, is the one used then.
   */
  answerWith(answerer: Answerer): void;
}

/** Who answers a handed-over request: a skill. */
export type Answerer = Pick<Dispatcher, 'dispatch' | 'fallback'>;

/** A registered symbol: the middleware and the handler may come from different copies of cekit. */
const HANDOVER = Symbol.for('cekit.clova-sdk.handover');

type Carrier = IncomingMessage & { body?: unknown; [HANDOVER]?: Handover };

/** A request the middleware is checking: where to hand it over, and who answered it. */
interface PendingRequest {
  res: ServerResponse;
  next: (error?: unknown) => void;
  /** Set once a skill takes the request: its fallback is the one used. */
  answerer?: Answerer;
}

/** The middleware's side of the hand-over: the dispatcher of its endpoint, and where requests are registered. */
export interface HandoverPoint {
  /** Verified messages go down the Express chain; answers come back. */
  readonly dispatcher: Dispatcher;
  /** Registers a request about to be given to the endpoint, with the `next` that leads to its handler. */
  expect(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void;
}

export function createHandover(): HandoverPoint {
  const pending = new WeakMap<object, PendingRequest>();
  const dispatcher: Dispatcher = {
    kinds: ['custom'],
    validate: (message) => void parseCustomRequest(message),
    describe: describeRequest,
    fallback(message, context, reason) {
      const req = context.request?.native;
      return req === undefined
        ? undefined
        : pending.get(req as object)?.answerer?.fallback?.(message, context, reason);
    },
    dispatch(message, context) {
      const req = context.request?.native as Carrier | undefined;
      const link = req === undefined ? undefined : pending.get(req);
      if (req === undefined || link === undefined)
        throw new Error('cekit/clova-sdk: the request is not one this middleware is checking');
      // Express calls the next handler in the same tick, so the skill usually answers during
      // next(): its answer (a value, or its own promise) is then returned as it is, and the hand-over
      // costs no promise and no listener. Only an answer still missing after next() is waited for.
      let outcome: Outcome | undefined;
      let deliver: ((outcome: Outcome) => void) | undefined;
      const settle = (result: Outcome) => {
        if (outcome !== undefined) return;
        outcome = result;
        req[HANDOVER] = undefined;
        deliver?.(result);
      };
      req[HANDOVER] = {
        answerWith(answerer) {
          if (outcome !== undefined) return;
          link.answerer = answerer;
          try {
            settle({ value: answerer.dispatch(message, context) });
          } catch (error) {
            settle({ error });
          }
        },
      };
      // Answered by a handler that is not a skill's (or the client left): stop waiting. The
      // placeholder is never written, the response having been sent already.
      const answeredElsewhere = () => settle({ value: builtinFallback('custom', message) });
      req.body = message;
      link.next();
      if (outcome === undefined && link.res.headersSent) answeredElsewhere();
      if (outcome !== undefined) return unwrap(outcome);
      return new Promise((resolve, reject) => {
        deliver = (result) => ('error' in result ? reject(result.error) : resolve(result.value));
        link.res.once('finish', answeredElsewhere);
        link.res.once('close', answeredElsewhere);
      });
    },
  };
  return {
    dispatcher,
    expect: (req, res, next) => void pending.set(req, { res, next }),
  };
}

/** How a hand-over ended: the skill's answer, or what it threw. */
type Outcome = { value: unknown } | { error: unknown };

function unwrap(outcome: Outcome): unknown {
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

/** The handover waiting on `req`, if a middleware verified it (settling it removes it). */
export function takeHandover(req: object): Handover | undefined {
  return (req as Carrier)[HANDOVER];
}

/**
 * The SDK read a body that `bodyParser.raw()` or `.text()` left in `req.body` as the bytes to
 * verify; so do the middleware and the handler, by moving them to `req.rawBody`, where cekit's
 * Express adapter finds kept bytes. A parsed object is never taken for bytes.
 */
export function adoptBodyBytes(req: object): void {
  // Through `unknown`: a package may have typed `rawBody` on IncomingMessage as a string.
  const carrier = req as { body?: unknown; rawBody?: unknown };
  if (carrier.rawBody === undefined && (typeof carrier.body === 'string' || Buffer.isBuffer(carrier.body))) {
    carrier.rawBody = carrier.body;
  }
}
