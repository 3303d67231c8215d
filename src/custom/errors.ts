/**
 * A response a handler tried to build that CEK would not accept, or that contradicts itself
 * (reprompt on a closing response, pause and resume together). Thrown at build time, inside the
 * handler, so the error handler turns it into a spoken fallback and the log names the mistake.
 */
export class ResponseError extends Error {
  readonly code: ResponseErrorCode;
  constructor(code: ResponseErrorCode, message: string) {
    super(message);
    this.name = 'ResponseError';
    this.code = code;
  }
}

export type ResponseErrorCode =
  | 'REPROMPT_ENDS_SESSION'
  | 'SPEECH_SET_MIXED'
  | 'EMPTY_SPEECH'
  | 'INSECURE_AUDIO_URL'
  | 'CONFLICTING_PLAYBACK'
  | 'INVALID_AUDIO_ITEM'
  | 'INVALID_CARD'
  | 'INVALID_DIRECTIVE'
  | 'RESPONSE_INVALID';

/**
 * Misuse of the framework API itself: calling `next()` twice, registering a handler twice, declaring a
 * slot of an unknown kind (thrown at registration), a model whose slot types do not exist, a dialog
 * configured wrong (no prompt, a slot the model lacks), or a handler returning a value cekit would ignore
 * (thrown into the error path, so the log names the mistake).
 */
export class ExtensionError extends Error {
  readonly code:
    | 'NEXT_CALLED_TWICE'
    | 'DUPLICATE_HANDLER'
    | 'UNKNOWN_SLOT_KIND'
    | 'HANDLER_RETURNED_VALUE'
    | 'MODEL_INVALID'
    | 'DIALOG_INVALID';
  constructor(code: ExtensionError['code'], message: string) {
    super(message);
    this.name = 'ExtensionError';
    this.code = code;
  }
}
