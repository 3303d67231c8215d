/**
 * `cekit/clova-sdk`: the API of `@line/clova-cek-sdk-nodejs` 1.2 on cekit's verified endpoint. An
 * extension written for the SDK moves by changing its import:
 *
 * ```js
 * const clova = require('cekit/clova-sdk'); // was require('@line/clova-cek-sdk-nodejs')
 * const skill = clova.Client.configureSkill()
 *   .onLaunchRequest((ctx) => ctx.setSimpleSpeech(clova.SpeechBuilder.createSpeechText('おはよう')))
 *   .handle();
 * app.post('/clova', clova.Middleware({ applicationId: process.env.APPLICATION_ID }), skill);
 * ```
 *
 * Underneath, every request goes through cekit's endpoint: the signature is checked over the raw
 * bytes with a key decoded once, every refusal is a JSON 4xx, a request type without a handler gets
 * an empty answer, a handler that throws or hangs gets the fallback. A JSON body parser in front with
 * no verification is refused (`BODY_ALREADY_PARSED`) unless verification is explicitly off
 * (`configureSkill({ verify: false })` or `CEKIT_CLOVA_SDK_VERIFY=false`), which NODE_ENV=production
 * refuses. docs/guides/migrating.md lists every difference and the path to `createExtension`.
 * @module
 */
import { Context } from './context.js';
import { Middleware } from './middleware.js';
import { fillMissingNodeGlobals } from './runtime-globals.js';
import { Client } from './skill.js';
import { SpeechBuilder } from './speech-builder.js';
import { verifier } from './verifier.js';

fillMissingNodeGlobals();

export { Client, SkillConfigurator } from './skill.js';
export type { SkillOptions, RequestHandler, ExpressRequestHandler, SkillLambdaHandler } from './skill.js';
export { Context } from './context.js';
export { SpeechBuilder } from './speech-builder.js';
export { Middleware, type MiddlewareOptions } from './middleware.js';
export { verifier, VerificationError } from './verifier.js';
export { VERIFY_ENV, type ShimEndpointOptions } from './options.js';
export type { Clova } from './types.js';

/**
 * The whole surface as one default export, for `import clova from 'cekit/clova-sdk'` (what Node
 * gave ES modules importing the CommonJS SDK: `clova.Client`, `clova.Middleware`...). It is the
 * `verifier` function itself, with the rest as its properties, so code that imported the SDK's
 * verifier module by default (`import verifier from '…/verifier'`) keeps working as well.
 */
const clova: typeof verifier & {
  Client: typeof Client;
  Context: typeof Context;
  SpeechBuilder: typeof SpeechBuilder;
  Middleware: typeof Middleware;
  verifier: typeof verifier;
} = Object.assign(
  (signature: string, applicationId: string, requestBody: string | Uint8Array) =>
    verifier(signature, applicationId, requestBody),
  { Client, Context, SpeechBuilder, Middleware, verifier },
);
export default clova;
