/**
 * cekit/clova-sdk in its documented Express setups, through the conformance suite every adapter
 * runs: each answer equals the core's for the same request, and nothing refused reaches a handler.
 * The skill's handlers forward to the suite's counting dispatcher, so "reaches" is counted the same.
 */
import express4 from 'express4';
import express5, { type RequestHandler } from 'express';
import type { Dispatcher } from 'cekit';
import { keepRawBody } from 'cekit/express';
import { Client, Middleware, type Clova, type Context } from 'cekit/clova-sdk';
import {
  runConformance,
  TEST_ENDPOINT_OPTIONS,
  type AdapterHarness,
  type HarnessOptions,
  type PreParsedScenario,
} from './conformance.js';
import { listenOnLoopback } from './loopback.js';

type ExpressFactory = typeof express5;

/** The shim's options equal to the suite's reference endpoint (same key, id, limit, no log). */
function shimOptions(options: HarnessOptions) {
  const { extensionId, ...rest } = TEST_ENDPOINT_OPTIONS;
  return {
    ...rest,
    applicationId: extensionId,
    ...(options.bodyTimeoutMs !== undefined ? { bodyTimeoutMs: options.bodyTimeoutMs } : {}),
  };
}

/** A skill whose four handlers answer what the suite's dispatcher answers (and count the call). */
function forwardingSkill(dispatcher: Dispatcher, withApplicationId?: HarnessOptions) {
  const forward = (ctx: Context) => {
    ctx.responseObject = dispatcher.dispatch(
      ctx.requestObject as unknown as Record<string, unknown>,
      undefined as never,
    ) as Clova.ResponseBody;
  };
  return Client.configureSkill(withApplicationId ? shimOptions(withApplicationId) : {})
    .onLaunchRequest(forward)
    .onIntentRequest(forward)
    .onEventRequest(forward)
    .onSessionEndedRequest(forward);
}

/** Body parsers that may run before the shim, and what must happen then. */
function preParsed(
  express: ExpressFactory,
  route: (options: HarnessOptions) => RequestHandler[],
): PreParsedScenario[] {
  const serveWith =
    (mountParser: (app: ReturnType<ExpressFactory>) => void) =>
    (_endpoint: unknown, options: HarnessOptions) => {
      const app = express();
      mountParser(app);
      app.all('/clova', ...route(options));
      return listenOnLoopback(app);
    };
  return [
    {
      name: 'bodyParser.json() in front (the SDK’s unverified setup) is refused with BODY_ALREADY_PARSED',
      expect: 'refused',
      serve: serveWith((app) => app.use(express.json())),
    },
    {
      name: 'express.json({ verify: keepRawBody }) keeps the exact bytes',
      expect: 'core',
      serve: serveWith((app) => app.use(express.json({ verify: keepRawBody }))),
    },
    {
      name: 'bodyParser.raw() in front leaves the bytes in req.body (read as the SDK read them)',
      expect: 'core',
      serve: serveWith((app) => app.use(express.raw({ type: '*/*' }))),
    },
    {
      name: 'req.rawBody kept by the platform (Firebase) is used',
      expect: 'core',
      serve: serveWith((app) =>
        app.use(
          express.raw({
            type: '*/*',
            verify: (req, _res, buffer) => Object.assign(req, { rawBody: buffer }),
          }),
        ),
      ),
    },
  ];
}

function middlewareThenHandle(options: HarnessOptions): RequestHandler[] {
  return [Middleware(shimOptions(options)), forwardingSkill(options.dispatcher).handle()];
}

function handleAlone(options: HarnessOptions): RequestHandler[] {
  return [forwardingSkill(options.dispatcher, options).handle()];
}

for (const [version, express] of [
  ['Express 5', express5],
  ['Express 4', express4 as unknown as ExpressFactory],
] as const) {
  for (const route of [middlewareThenHandle, handleAlone]) {
    const harness: AdapterHarness = {
      name: `cekit/clova-sdk, ${route === middlewareThenHandle ? 'Middleware({ applicationId }) + skill.handle()' : 'skill.handle() with configureSkill({ applicationId })'}, ${version}`,
      streams: true,
      socket: true,
      serve: (_endpoint, options) => {
        const app = express();
        app.all('/clova', ...route(options));
        return listenOnLoopback(app);
      },
      preParsed: preParsed(express, route),
    };
    runConformance(harness);
  }
}
