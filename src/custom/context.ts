import type { Logger } from '../core/logger.js';
import type {
  AudioPlayerContext,
  ClovaEvent,
  CustomRequest,
  Display,
  IntentRequest,
  RequestBody,
  SpeechLanguage,
} from './protocol/index.js';
import { ResponseBuilder, type PlayOptions, type StreamDeliverOptions } from './response-builder.js';
import { SlotView } from './slots.js';
import type { SpeechInput } from './speech.js';
import type { UserStore } from './storage/store.js';

/** Your extension's own types: session attributes and persistent user attributes. */
export interface ExtensionTypes {
  session?: object;
  user?: object;
}
export type SessionOf<T extends ExtensionTypes> = T['session'] extends object
  ? T['session']
  : Record<string, unknown>;
export type UserOf<T extends ExtensionTypes> = T['user'] extends object ? T['user'] : Record<string, unknown>;

/**
 * Persistent attributes of the current user, loaded on first use and saved after the handler only if
 * they changed. The id is the speaking user (`session.user`), else the device owner (`context.System.user`).
 */
export class UserAttributes<U extends object> {
  /** The one load of this request: concurrent `load()` calls share it, so no change is lost. */
  private pending: Promise<Partial<U>> | undefined;
  private loaded: Partial<U> | undefined;
  private snapshot: string | undefined;
  private deleted = false;

  constructor(
    /** CLOVA user id; undefined when the request carries none (then load() gives `{}` and nothing is saved). */
    readonly id: string | undefined,
    private readonly store: UserStore<Partial<U>> | undefined,
  ) {}

  /** The attributes object; mutate it and cekit saves it. Loaded once per request. */
  load(): Promise<Partial<U>> {
    this.pending ??= this.fetch();
    return this.pending;
  }

  private async fetch(): Promise<Partial<U>> {
    const stored = this.id !== undefined && this.store ? await this.store.get(this.id) : undefined;
    this.loaded = stored ?? {};
    this.snapshot = JSON.stringify(this.loaded);
    return this.loaded;
  }

  /** Removes everything stored for the user (answer `ClovaSkill.SkillDisabled` with this, spec §3.4.1). */
  async delete(): Promise<void> {
    await this.pending?.catch(() => undefined);
    if (this.id !== undefined && this.store) await this.store.delete(this.id);
    const empty: Partial<U> = {};
    this.loaded = empty;
    this.snapshot = '{}';
    this.deleted = true;
    this.pending = Promise.resolve(empty);
  }

  /** Whether `load()` (or `delete()`) was called during this request. */
  get isLoaded(): boolean {
    return this.pending !== undefined;
  }

  /** @internal Writes back when loaded and changed. */
  async save(): Promise<boolean> {
    if (this.pending === undefined || this.id === undefined || !this.store) return false;
    await this.pending;
    const now = JSON.stringify(this.loaded);
    if (now === this.snapshot || (this.deleted && now === '{}')) return false;
    await this.store.set(this.id, this.loaded!);
    this.snapshot = now;
    return true;
  }
}

/**
 * What every handler and middleware receives: the request, its language, the session and user
 * attributes, the deadline signal, and the response being built. One object per request; nothing is
 * shared between requests.
 */
export class Context<T extends ExtensionTypes = ExtensionTypes> {
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

  constructor(
    /** The whole request message, as validated. */
    readonly message: CustomRequest,
    /** Language for speech: the request's `locale` when the extension speaks it, else the default. */
    readonly lang: SpeechLanguage,
    private readonly dispatchContext: { readonly signal: AbortSignal },
    readonly log: Logger,
    store: UserStore<Partial<UserOf<T>>> | undefined,
    audioSource: { name: string; logoUrl?: string } | undefined,
  ) {
    const { session, context, request } = message;
    this.session = copyAttributes(session?.sessionAttributes) as Partial<SessionOf<T>>;
    this.user = new UserAttributes(session?.user?.userId ?? context.System?.user?.userId, store);
    this.builderDefaults = {
      ...(audioSource ? { audioSource } : {}),
      ...(request.requestId ? { dialogRequestId: request.requestId } : {}),
    };
    this.builder = new ResponseBuilder(lang, this.builderDefaults);
  }

  /**
   * Aborted when the response budget is spent (the fallback has then been sent): stop work. Created
   * on first use, so handlers that never look at it cost nothing.
   */
  get signal(): AbortSignal {
    return this.dispatchContext.signal;
  }

  /** Drops whatever was built so far (the error handler starts from an empty response). */
  resetResponse(): ResponseBuilder {
    this.builder = new ResponseBuilder(this.lang, this.builderDefaults);
    return this.builder;
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

  say(input: SpeechInput): ResponseBuilder {
    return this.response.say(input);
  }
  ask(input: SpeechInput, reprompt?: SpeechInput): ResponseBuilder {
    return this.response.ask(input, reprompt);
  }
  speechSet(brief: SpeechInput, verbose: SpeechInput): ResponseBuilder {
    return this.response.speechSet(brief, verbose);
  }
  play(options: PlayOptions): ResponseBuilder {
    return this.response.play(options);
  }
  streamDeliver(options: StreamDeliverOptions): ResponseBuilder {
    return this.response.streamDeliver(options);
  }
  pause(): ResponseBuilder {
    return this.response.pause();
  }
  resume(): ResponseBuilder {
    return this.response.resume();
  }
  stop(): ResponseBuilder {
    return this.response.stop();
  }
  endSession(): ResponseBuilder {
    return this.response.endSession();
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
