import type { Logger } from '../core/logger.js';
import type { ExtensionModel } from './model.js';
import { describeRequest } from './describe-request.js';
import type {
  AudioPlayerContext,
  Card,
  ClovaEvent,
  CustomRequest,
  DirectiveKey,
  DirectivePayload,
  Display,
  IntentRequest,
  RequestBody,
  SpeechLanguage,
} from './protocol/index.js';
import {
  ResponseBuilder,
  type MutationGuard,
  type PlayOptions,
  type StreamDeliverOptions,
} from './response-builder.js';
import { SlotView } from './slots.js';
import type { SpeechInput } from './speech.js';
import type { UserStore } from '../storage/store.js';
import { UserAttributes } from './user-attributes.js';

/**
 * Your extension's own types: session attributes, persistent user attributes, and the interaction
 * model (`typeof model` of the file `cekit types` writes) that types intent names and slots.
 */
export interface ExtensionTypes {
  session?: object;
  user?: object;
  model?: ExtensionModel;
}
export type SessionOf<T extends ExtensionTypes> = T['session'] extends object
  ? T['session']
  : Record<string, unknown>;
export type UserOf<T extends ExtensionTypes> = T['user'] extends object ? T['user'] : Record<string, unknown>;

/**
 * What every handler and middleware receives: the request, its language, the session and user
 * attributes, the deadline signal, and the response being built. One object per request; nothing is
 * shared between requests.
 */
export class Context<T extends ExtensionTypes = ExtensionTypes> implements MutationGuard {
  /** The response being built; `say`, `ask`, `play`... below are shortcuts to it. */
  get response(): ResponseBuilder {
    return this.builder;
  }
  private builder: ResponseBuilder;
  private readonly builderDefaults: ConstructorParameters<typeof ResponseBuilder>[1];
  /** Session attributes: carried to the next request of the session, cleared when it ends. */
  session: Partial<SessionOf<T>>;
  readonly user: UserAttributes<UserOf<T>>;
  /** Parsed declared slots (intent handlers); see `app.intent(name, { slots }, handler)`. */
  slots: Record<string, unknown> = {};
  /** Set by `seal()`: the answer is out, response mutations are dropped. */
  private sealed = false;
  /** Whether the one "mutation after the answer" warning of this context was logged. */
  private warnedLate = false;
  /** The signal, once something asked for it (so checking it never creates it). */
  private seenSignal: AbortSignal | undefined;

  constructor(
    /** The whole request message, as validated. */
    readonly message: CustomRequest,
    /** Language for speech: the request's `locale` when the extension speaks it, else the default. */
    readonly lang: SpeechLanguage,
    /**
     * `signal` is read only when asked for; `aborted`, when the dispatch context has it, tells that the
     * budget ran out without creating the signal.
     */
    private readonly dispatchContext: {
      readonly signal: AbortSignal;
      readonly aborted?: boolean;
      readonly deadline?: number;
    },
    /**
     * The extension's logger, as cekit writes to it: pino called fields first, and `accessToken`,
     * `password`... (plus the extension's `redact` names) replaced by `"[redacted]"` at any depth.
     */
    readonly log: Logger,
    store: UserStore | undefined,
    audioSource: { name: string; logoUrl?: string } | undefined,
  ) {
    const { session, context, request } = message;
    this.session = copyAttributes(session?.sessionAttributes) as Partial<SessionOf<T>>;
    this.user = new UserAttributes(
      session?.user?.userId ?? context.System?.user?.userId,
      store,
      dispatchContext,
    );
    this.builderDefaults = {
      ...(audioSource ? { audioSource } : {}),
      ...(request.requestId ? { dialogRequestId: request.requestId } : {}),
    };
    this.builder = new ResponseBuilder(lang, this.builderDefaults, this);
  }

  /**
   * Aborted when the response budget is spent (the fallback has then been sent): stop work. Created
   * on first use, so handlers that never look at it cost nothing.
   */
  get signal(): AbortSignal {
    this.seenSignal ??= this.dispatchContext.signal;
    return this.seenSignal;
  }

  /**
   * Drops whatever was built so far (the error handler starts from an empty response). This starts a
   * new answer, so it also lifts `seal()`.
   */
  resetResponse(): ResponseBuilder {
    // Past the budget this is the extension's error path for a handler that failed late (already
    // logged as such): what it adds is dropped, without a warning blaming a late call of the handler.
    if (this.budgetSpent()) this.warnedLate = true;
    this.sealed = false;
    this.builder = new ResponseBuilder(this.lang, this.builderDefaults, this);
    return this.builder;
  }

  /**
   * @internal Called by the extension once the answer is built: from then on every response mutation
   * through `ctx.*` or `ctx.response.*` is ignored, and the first one logs a warning naming the call
   * (a handler that forgot to await or return a promise). Never throws: the late call usually runs in
   * a detached promise, where a throw would be an unhandled rejection.
   */
  seal(): void {
    this.sealed = true;
  }

  /** Whether the answer is out: `seal()` was called, or the budget ran out and the fallback was sent. */
  get isSealed(): boolean {
    return this.sealed || this.budgetSpent();
  }

  /**
   * The budget ran out (the endpoint aborted the signal and answered with the fallback). Read without
   * creating the AbortSignal: from the signal if something already asked for it, else from an
   * `aborted` flag of the dispatch context when it has one.
   */
  private budgetSpent(): boolean {
    if (this.seenSignal !== undefined) return this.seenSignal.aborted;
    return this.dispatchContext.aborted === true;
  }

  /** @internal The seal check of every response mutation; warns once per context. */
  blocked(method: string): boolean {
    if (!this.sealed && !this.budgetSpent()) return false;
    if (!this.warnedLate) {
      this.warnedLate = true;
      const call = `ctx.${method}()`;
      this.log.warn(
        this.sealed
          ? `cekit: ${call} after the answer was sent: await the promise, or return it from the handler`
          : `cekit: ${call} after the response budget ran out (the timeout fallback was sent): answer sooner, or stop the work when ctx.signal aborts`,
        { method: call, ...describeRequest(this.message) },
      );
    }
    return true;
  }

  /** `LaunchRequest`, `IntentRequest`, `SessionEndedRequest` or `EventRequest`. */
  get type(): RequestBody['type'] {
    return this.message.request.type;
  }
  get request(): RequestBody {
    return this.message.request;
  }
  /** The intent of an IntentRequest (typed in intent handlers), else undefined. */
  get intent(): IntentRequest['intent'] | undefined {
    const request = this.message.request;
    return request.type === 'IntentRequest' ? request.intent : undefined;
  }
  /** The event of an EventRequest (typed in event handlers), else undefined. */
  get event(): ClovaEvent | undefined {
    const request = this.message.request;
    return request.type === 'EventRequest' ? request.event : undefined;
  }
  get sessionId(): string | undefined {
    return this.message.session?.sessionId;
  }
  /** True on the first request of a session. */
  get isNewSession(): boolean {
    return this.message.session?.new === true;
  }
  /** Screen of the device, when it reports one (`size: "none"` for speakers). */
  get display(): Display | undefined {
    return this.message.context.System?.device?.display;
  }
  /** The client's media player state, for audio extensions. */
  get audioPlayer(): AudioPlayerContext | undefined {
    return this.message.context.AudioPlayer;
  }

  /** A slot of the intent with its parsers (`.number()`, `.dateTime()`, `.duration()`...), if filled. */
  slot(name: string): SlotView | undefined {
    const slot = this.intent?.slots?.[name];
    return slot ? new SlotView(slot) : undefined;
  }

  // The shortcuts check the seal themselves so the warning names `ctx.say()`, not `ctx.response.say()`.
  say(input: SpeechInput): ResponseBuilder {
    return this.blocked('say') ? this.builder : this.builder.say(input);
  }
  ask(input: SpeechInput, reprompt?: SpeechInput): ResponseBuilder {
    return this.blocked('ask') ? this.builder : this.builder.ask(input, reprompt);
  }
  speechSet(brief: SpeechInput, verbose: SpeechInput): ResponseBuilder {
    return this.blocked('speechSet') ? this.builder : this.builder.speechSet(brief, verbose);
  }
  play(options: PlayOptions): ResponseBuilder {
    return this.blocked('play') ? this.builder : this.builder.play(options);
  }
  streamDeliver(options: StreamDeliverOptions): ResponseBuilder {
    return this.blocked('streamDeliver') ? this.builder : this.builder.streamDeliver(options);
  }
  pause(): ResponseBuilder {
    return this.blocked('pause') ? this.builder : this.builder.pause();
  }
  resume(): ResponseBuilder {
    return this.blocked('resume') ? this.builder : this.builder.resume();
  }
  stop(): ResponseBuilder {
    return this.blocked('stop') ? this.builder : this.builder.stop();
  }
  endSession(): ResponseBuilder {
    return this.blocked('endSession') ? this.builder : this.builder.endSession();
  }
  /** `response.card`: a KR content template for screen devices; JP does not support cards (see `ResponseBuilder.card`). */
  card(content: Card): ResponseBuilder {
    return this.blocked('card') ? this.builder : this.builder.card(content);
  }
  /**
   * A directive by `"Namespace.Name"`: a documented one, or one declared in `CustomDirectives`
   * (partner directives agreed with LINE, spec §4.2). See `ResponseBuilder.directive`.
   */
  directive<K extends DirectiveKey>(name: K, payload: DirectivePayload<K>): ResponseBuilder {
    return this.blocked('directive') ? this.builder : this.builder.directive(name, payload);
  }
}

/**
 * A shallow copy of the request's session attributes. Not `{ ...attributes }`: V8 gives a spread copy
 * a map outside any transition tree, so every attribute a handler then adds costs a slow map change,
 * and serialising the result later is twice as slow (measured: ~3.5 µs per request for two keys).
 */
function copyAttributes(attributes: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  if (!attributes) return copy;
  for (const key of Object.keys(attributes)) {
    // The parser refuses this key in requests; attributes can also come from a store or a test, and
    // assigning it would make the value the copy's prototype rather than an attribute.
    if (key !== '__proto__') copy[key] = attributes[key];
  }
  return copy;
}
