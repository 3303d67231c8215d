import { defineMessages } from './i18n.js';

/**
 * What the extension says when nothing else can (unhandled intent, error, deadline; overridable with
 * `fallbackSpeech`), and a dialog's default answer to a cancel (`app.dialog(..., { cancel })` replaces it).
 */
export const builtinMessages = defineMessages({
  ja: {
    unhandled: 'すみません、よくわかりませんでした。',
    error: 'すみません、エラーが発生しました。もう一度お試しください。',
    timeout: 'すみません、時間内にお答えできませんでした。もう一度お試しください。',
    dialogCancelled: 'キャンセルしました。',
  },
  ko: {
    unhandled: '죄송합니다. 잘 이해하지 못했어요.',
    error: '죄송합니다. 오류가 발생했습니다. 다시 시도해 주세요.',
    timeout: '죄송합니다. 제시간에 답하지 못했습니다. 다시 시도해 주세요.',
    dialogCancelled: '취소했습니다.',
  },
  en: {
    unhandled: "Sorry, I didn't understand that.",
    error: 'Sorry, something went wrong. Please try again.',
    timeout: "Sorry, I couldn't answer in time. Please try again.",
    dialogCancelled: 'OK, cancelled.',
  },
});
