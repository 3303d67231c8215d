import { randomUUID } from 'node:crypto';
import type { MessageKind } from './message-kind.js';
import { isObject } from './message-kind.js';

/**
 * The last-resort answers, valid by the protocol, used when a dispatcher's own fallback fails.
 * Custom: an empty speech that ends the session. Clova Home: `DriverInternalError` (spec
 * clova-home-extension.md, error interfaces), which is how CEK expects a device cloud to say "it broke".
 */
export function builtinFallback(
  kind: MessageKind,
  message: Record<string, unknown>,
): Record<string, unknown> {
  if (kind === 'home') {
    return {
      header: {
        messageId: randomUUID(),
        name: 'DriverInternalError',
        namespace: 'ClovaHome',
        payloadVersion:
          isObject(message.header) && typeof message.header.payloadVersion === 'string'
            ? message.header.payloadVersion
            : '1.0',
      },
      payload: {},
    };
  }
  return {
    version: '1.0',
    sessionAttributes: {},
    response: {
      outputSpeech: { type: 'SimpleSpeech', values: { type: 'PlainText', lang: '', value: '' } },
      card: {},
      directives: [],
      shouldEndSession: true,
    },
  };
}
