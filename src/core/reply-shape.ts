import { isObject, type MessageKind } from './message-kind.js';

/**
 * The envelope every reply of a kind must have, checked by the endpoint on whatever a dispatcher
 * returns (the Custom and Clova Home frameworks check the full schema themselves; a raw dispatcher
 * can return anything). Returns what is wrong, or undefined. Field reads only: this runs on every
 * answer, so it stays far cheaper than the schema check.
 *
 * Custom (spec custom-extension.md §4.2): `version`, `sessionAttributes`, and `response` with
 * `outputSpeech`, `card`, `directives[]` and a boolean `shouldEndSession`. Clova Home (spec
 * clova-home-extension.md §1): `header` with `namespace: "ClovaHome"`, `name`, `messageId`,
 * `payloadVersion`, and a `payload` object.
 */
export function replyProblem(kind: MessageKind, reply: unknown): string | undefined {
  if (!isObject(reply)) return 'the reply is not a JSON object';
  if (kind === 'home') {
    const { header } = reply;
    if (!isObject(header)) return 'header: expected an object';
    if (header.namespace !== 'ClovaHome') return 'header.namespace: expected "ClovaHome"';
    for (const field of ['name', 'messageId', 'payloadVersion'] as const) {
      if (typeof header[field] !== 'string') return `header.${field}: expected a string`;
    }
    if (!isObject(reply.payload)) return 'payload: expected an object';
    return undefined;
  }
  if (typeof reply.version !== 'string') return 'version: expected a string';
  if (!isObject(reply.sessionAttributes)) return 'sessionAttributes: expected an object';
  const { response } = reply;
  if (!isObject(response)) return 'response: expected an object';
  if (!isObject(response.outputSpeech)) return 'response.outputSpeech: expected an object';
  if (!isObject(response.card)) return 'response.card: expected an object';
  if (!Array.isArray(response.directives)) return 'response.directives: expected an array';
  if (typeof response.shouldEndSession !== 'boolean') return 'response.shouldEndSession: expected a boolean';
  return undefined;
}
