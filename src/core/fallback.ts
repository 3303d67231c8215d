import type { MessageKind } from './message-kind.js';
import { isObject } from './message-kind.js';

/**
 * The last-resort answers, valid by the protocol, used when a dispatcher's own fallback fails.
 * Custom: a one-sentence apology in the request's language that ends the session. Clova Home:
 * `DriverInternalError` (spec clova-home-extension.md, error interfaces), which is how CEK expects a
 * device cloud to say "it broke".
 */
export function builtinFallback(
  kind: MessageKind,
  message: Record<string, unknown>,
): Record<string, unknown> {
  if (kind === 'home') {
    return {
      header: {
        messageId: crypto.randomUUID(),
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
  // A short apology in the request's language rather than silence: the user should hear that the
  // request failed, not wonder whether the speaker heard them.
  const request = isObject(message.request) ? message.request : {};
  const language = typeof request.locale === 'string' ? request.locale.slice(0, 2) : '';
  const lang = language === 'ko' || language === 'en' ? language : 'ja';
  return {
    version: typeof message.version === 'string' && message.version !== '' ? message.version : '1.0',
    sessionAttributes: {},
    response: {
      outputSpeech: { type: 'SimpleSpeech', values: { type: 'PlainText', lang, value: APOLOGY[lang] } },
      card: {},
      directives: [],
      shouldEndSession: true,
    },
  };
}

const APOLOGY = {
  ja: '申し訳ありません。エラーが発生しました。',
  ko: '죄송합니다. 오류가 발생했습니다.',
  en: 'Sorry, something went wrong.',
} as const;
