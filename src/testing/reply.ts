import {
  validateCustomResponse,
  type CustomRequest,
  type CustomResponse,
  type Directive,
  type SpeechInfo,
} from '../custom/protocol/index.js';
import { CheckedReply } from './checked-reply.js';
import { speechItems, spokenText } from './speech-text.js';
import type { Exchange } from './transport.js';

/**
 * A Custom extension's answer as CEK sees it: the wire exchange, the message, and every problem found
 * (status, media type, JSON, schema with field paths, 8 s deadline). The getters read the response
 * tolerantly even when it has problems, so a failing test can still show what was said.
 */
export class Reply extends CheckedReply<CustomRequest> {
  constructor(request: CustomRequest, exchange: Exchange) {
    super(request, exchange, (body) => {
      const result = validateCustomResponse(body);
      return result.ok ? [] : result.issues;
    });
  }

  /** The response message, read without trusting its shape. */
  get message(): Partial<CustomResponse> {
    return typeof this.body === 'object' && this.body !== null ? (this.body as Partial<CustomResponse>) : {};
  }

  private get response(): Partial<CustomResponse['response']> {
    const response: unknown = this.message.response;
    return typeof response === 'object' && response !== null ? response : {};
  }

  /** What the user hears: the text of any speech form, audio as `[audio URL]`; `''` when silent. */
  get speech(): string {
    return spokenText(this.response.outputSpeech);
  }

  /** The `brief` part of a SpeechSet (what a device with a screen plays); else the same as `speech`. */
  get briefSpeech(): string {
    return spokenText(this.response.outputSpeech, 'brief');
  }

  /** The individual speech items (text and audio URLs), in playing order. */
  get speechItems(): SpeechInfo[] {
    return speechItems(this.response.outputSpeech);
  }

  /** The reprompt text, or undefined when there is none. */
  get reprompt(): string | undefined {
    const reprompt = this.response.reprompt;
    return reprompt ? spokenText(reprompt.outputSpeech) : undefined;
  }

  get directives(): Directive[] {
    const directives: unknown = this.response.directives;
    return Array.isArray(directives)
      ? directives.filter((d): d is Directive => typeof (d as Directive | null)?.header === 'object')
      : [];
  }

  /** The first directive named `Namespace.Name` (e.g. `AudioPlayer.Play`), or undefined. */
  directive(name: string): Directive | undefined {
    return this.directives.find((d) => `${d.header.namespace}.${d.header.name}` === name);
  }

  /** Session attributes the extension returned; CEK sends them back in the next request. */
  get sessionAttributes(): Record<string, unknown> {
    const attributes: unknown = this.message.sessionAttributes;
    return typeof attributes === 'object' && attributes !== null
      ? (attributes as Record<string, unknown>)
      : {};
  }

  get shouldEndSession(): boolean {
    return this.response.shouldEndSession === true;
  }

  protected get requestName(): string {
    return describeRequest(this.request);
  }
}

/** `LaunchRequest`, `IntentRequest ThrowDiceIntent`, `EventRequest AudioPlayer.PlayFinished`. */
export function describeRequest(message: CustomRequest): string {
  const request = message.request;
  switch (request.type) {
    case 'IntentRequest':
      return `IntentRequest ${request.intent.name}`;
    case 'EventRequest':
      return `EventRequest ${request.event.namespace}.${request.event.name}`;
    default:
      return request.type;
  }
}
