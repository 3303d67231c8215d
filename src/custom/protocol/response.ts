import { s, type Infer } from '../../schema/index.js';
import { directiveSchema } from './directives.js';
import { outputSpeechSchema } from './speech.js';

/**
 * The response message (spec custom-extension.md §4). Validated as CEK documents it, so the simulator
 * can tell an extension what it got wrong. `directives` may be absent: the JP reprompt example omits it.
 */
/** The response message schema: the source of `CustomResponse`, `validateCustomResponse` and schema/custom-response.json. */
export const customResponseSchema = s.object(
  {
    version: s.string({ description: "Echo the request's version." }),
    sessionAttributes: s.record(s.unknown(), 'Returned in the next request of the session.'),
    response: s.object({
      outputSpeech: outputSpeechSchema,
      reprompt: s.optional(s.object({ outputSpeech: outputSpeechSchema })),
      card: s.record(s.unknown(), 'Send {} (JP: not supported for Custom extensions).'),
      directives: s.optional(s.array(directiveSchema)),
      shouldEndSession: s.boolean('true ends the session; no SessionEndedRequest follows.'),
    }),
  },
  { description: 'A Custom extension response (spec custom-extension.md §4).' },
);

/** A Custom extension response message (spec custom-extension.md §4). */
export type CustomResponse = Infer<typeof customResponseSchema>;
export type ResponseBody = CustomResponse['response'];
