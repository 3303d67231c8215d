import { s, type Infer, type Schema } from '../../schema/index.js';
import { directiveSchema, directiveSchemaAccepting, type Directive } from './directives.js';
import { outputSpeechSchema } from './speech.js';

/**
 * `response.card` (spec custom-extension.md §4.2). KR: a content template for screen devices
 * (non-empty ⇒ the client shows it with `Clova.RenderTemplate`; `{}` ⇒ `Clova.RenderText` with the
 * speech text). JP (2020-04 and later): not supported for Custom extensions, send `{}`. The template
 * schemas are in the KR CIC docs, outside the spec, so the object is open.
 */
export type Card = Record<string, unknown>;

const cardSchema = s.record(
  s.unknown(),
  'KR: a content template for screen devices ({} = show the speech text). JP: not supported, send {}.',
);

function responseSchema<D>(directive: Schema<D>) {
  return s.object(
    {
      version: s.string({ description: "Echo the request's version." }),
      sessionAttributes: s.record(s.unknown(), 'Returned in the next request of the session.'),
      response: s.object({
        outputSpeech: outputSpeechSchema,
        reprompt: s.optional(s.object({ outputSpeech: outputSpeechSchema })),
        card: cardSchema,
        directives: s.optional(s.array(directive)),
        shouldEndSession: s.boolean('true ends the session; no SessionEndedRequest follows.'),
      }),
    },
    { description: 'A Custom extension response (spec custom-extension.md §4).' },
  );
}

/**
 * The response message (spec custom-extension.md §4). Validated as CEK documents it, so the simulator
 * can tell an extension what it got wrong. `directives` may be absent: the JP reprompt example omits it.
 * The source of `CustomResponse`, `validateCustomResponse` and schema/custom-response.json.
 */
export const customResponseSchema = responseSchema(directiveSchema);

/** The response schema that also accepts the given undocumented directive names (`'Partner.Show'`). */
export function customResponseSchemaAccepting(names: readonly string[]) {
  return responseSchema<Directive>(directiveSchemaAccepting(names));
}

/** A Custom extension response message (spec custom-extension.md §4). */
export type CustomResponse = Infer<typeof customResponseSchema>;
export type ResponseBody = CustomResponse['response'];
