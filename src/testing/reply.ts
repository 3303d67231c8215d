import {
  validateCustomResponse,
  type CustomRequest,
  type CustomResponse,
  type Directive,
  type SpeechInfo,
} from '../custom/protocol/index.js';
import { issueProblem, parseJson, ReplyProblemError, wireProblems, type Problem } from './problems.js';
import { speechItems, spokenText } from './speech-text.js';
import type { Exchange } from './transport.js';

/**
 * A Custom extension's answer as CEK sees it: the wire exchange, the message, and every problem found
 * (status, media type, JSON, schema with field paths, 8 s deadline). The getters read the response
 * tolerantly even when it has problems, so a failing test can still show what was said.
 */
export class Reply {
  /** The request that was sent. */
  readonly request: CustomRequest;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The body exactly as received. */
  readonly rawBody: string;
  /** Time to the whole answer, in ms. */
  readonly ms: number;
  /** The parsed body (undefined when it was not JSON). */
  readonly body: unknown;
  /** Everything wrong with the answer; empty when CEK would accept it. */
  readonly problems: readonly Problem[];

  constructor(request: CustomRequest, exchange: Exchange) {
    this.request = request;
    this.status = exchange.status;
    this.headers = exchange.headers;
    this.rawBody = exchange.body;
    this.ms = exchange.ms;
    const problems = wireProblems(exchange.status, exchange.headers['content-type'], exchange.ms);
    const parsed = parseJson(exchange.body);
    if (parsed.ok) {
      this.body = parsed.value;
      // A refusal (4xx JSON error) is reported by its status; schema issues would only add noise.
      if (exchange.status === 200) {
        const result = validateCustomResponse(parsed.value);
        if (!result.ok) problems.push(...result.issues.map(issueProblem));
      }
    } else {
      problems.push(parsed.problem);
    }
    this.problems = problems;
  }

  /** True when CEK would accept the answer. */
  get ok(): boolean {
    return this.problems.length === 0;
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

  /** Throws a `ReplyProblemError` listing every problem; returns the reply when there is none. */
  assertValid(): this {
    if (!this.ok) throw new ReplyProblemError(`The reply to ${describeRequest(this.request)}`, this.problems);
    return this;
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
