import { createEndpoint, type Endpoint, type EndpointOptions } from '../core/endpoint.js';
import { ConfigurationError } from '../core/errors.js';
import type { Dispatcher, DispatchContext, FallbackReason } from '../core/dispatcher.js';
import { publishFallback, publishHandlerError } from '../core/diagnostics.js';
import { describeError, resolveLogger, type Logger } from '../core/logger.js';
import type { MessageKind } from '../core/message-kind.js';
import { builtinMessages } from './builtin-messages.js';
import { Context, type ExtensionTypes } from './context.js';
import { describeRequest } from './describe-request.js';
import {
  DialogRunner,
  Dialogs,
  type Dialog,
  type DialogContext,
  type DialogIntentName,
  type DialogOptions,
  type DialogSlots,
  type DialogSlotsShape,
  type LooseDialogOptions,
} from './dialog.js';
import { didYouMean } from '../core/did-you-mean.js';
import { isPromiseLike } from '../core/maybe-promise.js';
import { ExtensionError, ResponseError } from './errors.js';
import { BUILTIN_INTENTS } from './handlers.js';
import type {
  CheckedEventPattern,
  CheckedIntentName,
  ErrorHandler,
  EventContext,
  EventOf,
  Handler,
  IntentContext,
  LaunchContext,
  Middleware,
  SessionEndedContext,
} from './handlers.js';
import { languageOfLocale } from './i18n.js';
import { compose } from './middleware.js';
import { parseCustomRequest, validateCustomResponse } from './protocol/validate.js';
import {
  EVENT_NAMES,
  type CustomRequest,
  type CustomResponse,
  type SpeechLanguage,
} from './protocol/index.js';
import { ResponseBuilder } from './response-builder.js';
import { Router } from './router.js';
import { defineModel, modelSlotSpecs, type ExtensionModel, type ModelOf } from './model.js';
import { parseSlots, SLOT_KINDS, type SlotSpec } from './slots.js';
import { isStoreOutage } from '../storage/errors.js';
import type { UserStore } from '../storage/store.js';
import { formatIssue } from '../schema/index.js';

/** One way the handlers and an interaction model disagree (`app.compareWithModel(model)`). */
export interface ModelMismatch {
  kind: 'handler-without-intent' | 'slot-without-model-slot' | 'intent-without-handler';
  intent: string;
  slot?: string;
  message: string;
}

/** Texts the extension falls back to; each may be overridden per language. */
export interface FallbackTexts {
  /** Spoken for an intent (or launch) no handler matched. */
  unhandled: string;
  /** Spoken when a handler threw and no error handler answered. */
  error: string;
  /** Spoken when the handler missed the response budget. */
  timeout: string;
}

// `T` no longer shapes any option (stores keep JSON, whatever the user type); it stays so that
// `ExtensionOptions<MyTypes>` in users' code keeps compiling.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface ExtensionOptions<T extends ExtensionTypes = ExtensionTypes> extends Omit<
  EndpointOptions,
  'dispatcher'
> {
  /** Language of speech when the request's `locale` is missing or not in `languages`. Default `ja`. */
  language?: SpeechLanguage;
  /** Languages the extension speaks; the request's `locale` picks among them. Default `[language]`. */
  languages?: readonly SpeechLanguage[];
  /** Persistent user attributes (`ctx.user.load()`). Default: none (load() gives `{}`, nothing saved). */
  storage?: UserStore;
  /** Default `source` of `ctx.play()` (spec custom-extension.md §5.1 `source`). */
  audioSource?: { name: string; logoUrl?: string };
  /** Overrides of the built-in fallback speech, per language. */
  fallbackSpeech?: { [L in SpeechLanguage]?: Partial<FallbackTexts> };
  /**
   * Check every response against the response schema before sending it (a `ResponseError` goes to
   * the error handler; a response that is still invalid is replaced by the fallback, never sent).
   * Default on, in production too: it costs about 3 µs per request.
   */
  validateResponses?: boolean;
  /**
   * The interaction model as `cekit types` writes it (or `defineModel({...})`): intent names are then
   * checked against it and `ctx.slots` holds every slot of the intent, parsed by its slot type.
   */
  model?: ExtensionModel;
}

/** With a model in the types, the model itself is required: typed slots need it to be parsed. */
export type ModelOption<T extends ExtensionTypes> =
  ModelOf<T> extends ExtensionModel ? { model: ModelOf<T> } : unknown;

/**
 * A Custom extension: register handlers, then serve it (`serve(app)` from `cekit/node`,
 * `toFetchHandler(app)` from `cekit/fetch`). It is a `Dispatcher`, so it can also share one endpoint
 * with a Clova Home extension.
 *
 * @example
 * const app = createExtension({ extensionId: 'com.example.dice' });
 * app.launch((ctx) => ctx.ask('サイコロを何個振りますか?'));
 * app.intent('ThrowDiceIntent', { slots: { count: 'number' } }, (ctx) => ctx.say(`${ctx.slots.count ?? 1}個振ります`));
 */
export class Extension<T extends ExtensionTypes = ExtensionTypes> implements Dispatcher {
  readonly kinds: readonly MessageKind[] = ['custom'];
  private readonly options: ExtensionOptions<T>;
  private readonly logger: Logger;
  private readonly language: SpeechLanguage;
  private readonly languages: ReadonlySet<SpeechLanguage>;
  private readonly validateResponses: boolean;
  private readonly model: ExtensionModel | undefined;
  private readonly router = new Router<T>();
  private readonly dialogs = new Dialogs<T>();
  private readonly middleware: Middleware<T>[] = [];
  private errorHandler: ErrorHandler<T> | undefined;
  private run: ((ctx: Context<T>) => Promise<void>) | undefined;
  private builtEndpoint: Endpoint | undefined;
  /** Intents (and `launch`) already warned about for answering nothing. */
  private readonly warnedSilent = new Set<string>();

  constructor(options: ExtensionOptions<T> & ModelOption<T>) {
    this.options = options;
    this.logger = resolveLogger(options.logger, options.redact);
    this.language = options.language ?? 'ja';
    this.languages = new Set(options.languages ?? [this.language]);
    this.validateResponses = options.validateResponses ?? true;
    this.model = options.model && defineModel(options.model);
    const storage: unknown = options.storage;
    if (storage !== undefined && typeof (storage as { open?: unknown }).open !== 'function')
      throw new ConfigurationError(
        'STORAGE_INVALID',
        'storage must be a UserStore (memoryStore(), fileStore(), redisStore() from cekit/redis, postgresStore() from cekit/postgres). ' +
          'A store with get/set/delete of JSON text becomes one with keyValueStore(store).',
      );
  }

  /** The verified endpoint serving this extension, created on first use with the extension's options. */
  get endpoint(): Endpoint {
    this.builtEndpoint ??= createEndpoint({ ...this.options, logger: this.logger, dispatcher: this });
    return this.builtEndpoint;
  }

  /** The user opened the extension without a command (`LaunchRequest`). */
  launch(handler: Handler<LaunchContext<T>>): this {
    this.router.onLaunch({ handler: handler as Handler<Context<T>> });
    return this;
  }

  /**
   * An intent (or several) by name, built-in `Clova.*` ones included. Declare slots to get them
   * parsed and typed: `{ slots: { count: 'number', when: 'datetime' } }`. A `Clova.*` name that is not
   * a built-in intent is a compile error (and a start-up warning for JavaScript callers).
   */
  intent<const N extends string>(
    name: CheckedIntentName<N, T> | readonly CheckedIntentName<N, T>[],
    handler: Handler<IntentContext<T, Record<never, SlotSpec>, N>>,
  ): this;
  intent<const N extends string, const D extends Record<string, SlotSpec>>(
    name: CheckedIntentName<N, T> | readonly CheckedIntentName<N, T>[],
    options: { slots: D },
    handler: Handler<IntentContext<T, D, N>>,
  ): this;
  intent(
    name: string | readonly string[],
    second: Handler<IntentContext<T>> | { slots: Record<string, SlotSpec> },
    third?: Handler<IntentContext<T, Record<string, SlotSpec>>>,
  ): this {
    const handler = (typeof second === 'function' ? second : third) as unknown as Handler<Context<T>>;
    const declared = typeof second === 'function' ? undefined : checkSlotSpecs(second.slots);
    for (const one of typeof name === 'string' ? [name] : name) {
      this.warnUnknownIntent(one);
      const fromModel = this.model && modelSlotSpecs(this.model, one);
      const slots = fromModel || declared ? { ...fromModel, ...declared } : undefined;
      this.router.onIntent(one, slots ? { handler, slots } : { handler });
    }
    return this;
  }

  /**
   * A multi-turn dialog on an intent (slot filling): asks for each missing slot in turn (answers may
   * come in any order, a new value corrects a known one), optionally confirms, then runs `done` with
   * every slot known. It registers the intent's handler. Cancel, help and "not understood" are handled
   * while it goes on; other intents reach their handlers and the dialog waits. With a model the slots
   * are the intent's; without one each slot gives its `type`. See docs/guides/dialogs.md.
   *
   * @example
   * const order = app.dialog('OrderPizza', {
   *   slots: {
   *     pizzaType: { prompt: 'どのピザにしますか?' },
   *     pizzaAmount: { prompt: '何枚にしますか?', validate: (n) => n >= 1 || '1枚以上でお願いします。' },
   *   },
   *   confirm: { prompt: (ctx) => `${ctx.slots.pizzaType}を${ctx.slots.pizzaAmount}枚でよろしいですか?` },
   * }, (ctx) => ctx.say('承りました。'));
   * app.intent('RepeatLastOrder', (ctx) => order.start(ctx, { pizzaType: 'ペパロニ', pizzaAmount: 2 }));
   */
  dialog<const N extends string, const S extends DialogSlotsShape<T, N>>(
    name: DialogIntentName<N, T>,
    options: DialogOptions<T, N, S>,
    done: Handler<DialogContext<T, DialogSlots<T, N, S>>>,
  ): Dialog<T, DialogSlots<T, N, S>> {
    const loose = options as unknown as LooseDialogOptions;
    const declared: Record<string, SlotSpec> = {};
    for (const [slot, settings] of Object.entries(loose.slots ?? {}))
      if (settings?.type !== undefined) declared[slot] = settings.type;
    checkSlotSpecs(declared);
    const dialog = new DialogRunner<T>(
      name,
      loose,
      done as unknown as ConstructorParameters<typeof DialogRunner>[2],
      this.model && modelSlotSpecs(this.model, name),
    );
    for (const intent of [name, ...dialog.answers.keys()]) this.warnUnknownIntent(intent);
    // The router refuses a second handler for the intent (DUPLICATE_HANDLER) before the dialog is kept.
    this.router.onIntent(name, {
      handler: dialog.begin as unknown as Handler<Context<T>>,
      slots: dialog.specs,
    });
    this.dialogs.add(dialog);
    return dialog as unknown as Dialog<T, DialogSlots<T, N, S>>;
  }

  /** Type checks catch these in TypeScript; JavaScript callers get a start-up warning. */
  private warnUnknownIntent(name: string): void {
    if (name.startsWith('Clova.')) {
      if (!(BUILTIN_INTENTS as readonly string[]).includes(name))
        this.logger.warn(
          `cekit: "${name}" is not a built-in intent, so CEK never sends it.${didYouMean(name, BUILTIN_INTENTS)}`,
          { intent: name },
        );
      return;
    }
    if (this.model && !Object.hasOwn(this.model.intents, name)) {
      const known = Object.keys(this.model.intents);
      this.logger.warn(
        `cekit: "${name}" is not an intent of the interaction model, so CEK never sends it.${didYouMean(name, known)}`,
        { intent: name },
      );
    }
  }

  /**
   * A client event: `'AudioPlayer.PlayFinished'`, or every event of a namespace: `'AudioPlayer.*'`.
   * In a documented namespace a misspelled name is a compile error (and a start-up warning).
   */
  event<const P extends string>(
    pattern: CheckedEventPattern<P>,
    handler: Handler<EventContext<T, EventOf<P>>>,
  ): this {
    const namespace = pattern.slice(0, Math.max(0, pattern.indexOf('.')));
    const known = EVENT_NAMES as readonly string[];
    if (
      known.some((name) => name.startsWith(`${namespace}.`)) &&
      pattern !== `${namespace}.*` &&
      !known.includes(pattern)
    ) {
      this.logger.warn(
        `cekit: "${pattern}" is not a documented ${namespace} event, so it never arrives.${didYouMean(pattern, known)}`,
        { event: pattern },
      );
    }
    this.router.onEvent(pattern, { handler: handler as unknown as Handler<Context<T>> });
    return this;
  }

  /** The intent names with a handler, for checks against an interaction model. */
  get registeredIntents(): readonly string[] {
    return this.router.intentNames;
  }

  /**
   * How the handlers and an interaction model (`loadInteractionModel()` from `cekit/testing`, or any
   * object of that shape) disagree, without logging: a handler for an intent the model does not have
   * (CEK never sends it), a declared slot the intent does not have, a model intent with no handler (it
   * gets the unhandled fallback). Built-in `Clova.*` intents are never part of a model. `cekit model
   * check --extension` reports these.
   */
  compareWithModel(model: {
    intents: readonly { name: string; slots?: Readonly<Record<string, unknown>> }[];
  }): ModelMismatch[] {
    const mismatches: ModelMismatch[] = [];
    const byName = new Map(model.intents.map((intent) => [intent.name, intent]));
    const names = [...byName.keys()];
    for (const name of this.router.intentNames) {
      if (name.startsWith('Clova.')) continue;
      const intent = byName.get(name);
      if (!intent) {
        mismatches.push({
          kind: 'handler-without-intent',
          intent: name,
          message: `the handler for intent "${name}" never runs: the interaction model has no such intent.${didYouMean(name, names)}`,
        });
        continue;
      }
      const slots = Object.keys(intent.slots ?? {});
      for (const slot of Object.keys(this.router.intent(name)?.slots ?? {})) {
        if (!slots.includes(slot))
          mismatches.push({
            kind: 'slot-without-model-slot',
            intent: name,
            slot,
            message: `intent "${name}" declares slot "${slot}", which the interaction model does not give it.${didYouMean(slot, slots)}`,
          });
      }
    }
    for (const name of names) {
      // An intent that answers a dialog is handled while the dialog goes on.
      if (!name.startsWith('Clova.') && !this.router.intent(name) && !this.dialogs.answeredBy(name))
        mismatches.push({
          kind: 'intent-without-handler',
          intent: name,
          message: `intent "${name}" of the interaction model has no handler: it gets the unhandled fallback.${didYouMean(name, this.router.intentNames)}`,
        });
    }
    return mismatches;
  }

  /**
   * `compareWithModel()`, logged: one warning per mismatch, with did-you-mean. Returns the messages.
   * `createConversation({ target: app, model })` runs it.
   */
  checkAgainstModel(model: Parameters<Extension<T>['compareWithModel']>[0]): string[] {
    const messages = this.compareWithModel(model).map((mismatch) => mismatch.message);
    for (const message of messages) this.logger.warn(`cekit: ${message}`);
    return messages;
  }

  /** CEK ended the session (user quit, timeout, error). Any speech is ignored by CEK; clean up here. */
  sessionEnded(handler: Handler<SessionEndedContext<T>>): this {
    this.router.onSessionEnded({ handler: handler as Handler<Context<T>> });
    return this;
  }

  /** Anything else: tried in order after the specific handlers found no match. */
  on<C extends Context<T>>(predicate: (ctx: Context<T>) => ctx is C, handler: Handler<C>): this;
  on(predicate: (ctx: Context<T>) => boolean, handler: Handler<Context<T>>): this;
  on(predicate: (ctx: Context<T>) => boolean, handler: Handler<Context<T>>): this {
    this.router.onMatch(predicate, { handler });
    return this;
  }

  /** Middleware around every handler: `app.use(async (ctx, next) => { ...; await next(); ... })`. */
  use(middleware: Middleware<T>): this {
    this.middleware.push(middleware);
    this.run = undefined;
    return this;
  }

  /**
   * Turns an exception from a handler or middleware into an answer. The response is reset first;
   * if the error handler says nothing, the `error` fallback speech is used.
   */
  catch(handler: ErrorHandler<T>): this {
    this.errorHandler = handler;
    return this;
  }

  // ---- Dispatcher -------------------------------------------------------------------------

  /** Refuses a malformed request with 400 INVALID_MESSAGE naming the field, before any handler. */
  validate(message: Record<string, unknown>): void {
    parseCustomRequest(message);
  }

  /**
   * Runs the middleware and the handler, then builds the answer. With no middleware and a handler
   * that answers synchronously, the answer is returned synchronously too: the endpoint then needs no
   * deadline timer, most of the framework's own cost per request.
   */
  dispatch(
    message: Record<string, unknown>,
    context: DispatchContext,
  ): CustomResponse | Promise<CustomResponse> {
    const request = message as CustomRequest;
    const ctx = new Context<T>(
      request,
      this.languageOf(request),
      context,
      this.logger,
      this.options.storage,
      this.options.audioSource,
    );
    let outcome: unknown;
    try {
      if (this.middleware.length === 0) {
        outcome = this.route(ctx);
      } else {
        this.run ??= compose(this.middleware, async (inner) => {
          await this.route(inner);
        });
        outcome = this.run(ctx);
      }
    } catch (error) {
      return this.failed(error, ctx);
    }
    if (isPromiseLike(outcome)) {
      return Promise.resolve(outcome).then(
        () => this.complete(ctx),
        (error: unknown) => this.failed(error, ctx),
      );
    }
    return this.complete(ctx);
  }

  fallback(
    message: Record<string, unknown>,
    _context: DispatchContext,
    reason: FallbackReason,
  ): CustomResponse {
    const request = message as CustomRequest;
    const lang = this.languageOf(request);
    return new ResponseBuilder(lang)
      .say(this.text(lang, reason.type === 'timeout' ? 'timeout' : 'error'))
      .endSession()
      .build(versionOf(request), {});
  }

  /** For the request log line: request type and intent or event name; never tokens or user ids. */
  describe(message: Record<string, unknown>): Record<string, unknown> {
    return describeRequest(message);
  }

  /**
   * Whether one of this extension's handlers (or a dialog in progress) would answer `message`,
   * rather than the unhandled fallback. For sharing one endpoint with another dispatcher that takes
   * the rest, as `cekit/clova-sdk` does during a migration. Predicates of `app.on()` run here too.
   */
  handles(message: Record<string, unknown>, context: DispatchContext): boolean {
    const request = message as CustomRequest;
    const ctx = new Context<T>(request, this.languageOf(request), context, this.logger, undefined, undefined);
    return this.dialogs.activeIn(ctx) !== undefined || this.router.match(ctx) !== undefined;
  }

  // ---- internals --------------------------------------------------------------------------

  /** Runs the matching handler; a promise when it is async, else undefined once its result is checked. */
  private route(ctx: Context<T>): unknown {
    // A dialog going on (dialog.ts) answers its own turns first, and asks its question again when no
    // handler matched; without one this is the router alone.
    const dialog = this.dialogs.activeIn(ctx);
    const route = dialog?.route ?? this.router.match(ctx) ?? dialog?.reask;
    if (route) {
      if (route.slots) ctx.slots = parseSlots(route.slots, ctx.intent?.slots);
      const result = route.handler(ctx);
      if (isPromiseLike(result)) return Promise.resolve(result).then((value) => checkResult(value, ctx));
      checkResult(result, ctx);
      return undefined;
    }
    const request = ctx.request;
    if (request.type === 'IntentRequest' || request.type === 'LaunchRequest') {
      this.logger.warn(
        'cekit: no handler matched; answered with the unhandled fallback speech',
        describeRequest(ctx.message),
      );
      publishFallback(ctx.message, 'custom', () => describeRequest(ctx.message), 'unhandled');
      ctx.response.say(this.text(ctx.lang, 'unhandled')).keepSession();
    }
    // Unhandled events and session ends get a valid empty response (spec custom-extension.md §1).
    return undefined;
  }

  /** Builds the answer, then saves user attributes if they were loaded (the only async part). */
  private complete(ctx: Context<T>): CustomResponse | Promise<CustomResponse> {
    let response: CustomResponse;
    try {
      response = this.finish(ctx);
    } catch (error) {
      return this.failed(error, ctx);
    }
    if (!ctx.user.isLoaded) return response;
    // Past the budget the user already heard the timeout fallback: keep the stored state as it was.
    if (ctx.signal.aborted) return ctx.user.discard().then(() => response);
    return ctx.user.save().then(
      () => response,
      (error: unknown) => this.failed(error, ctx),
    );
  }

  /** The error path: nothing the request changed in user attributes is written. */
  private async failed(error: unknown, ctx: Context<T>): Promise<CustomResponse> {
    try {
      await this.recover(error, ctx);
      return this.finish(ctx);
    } finally {
      await ctx.user.discard();
    }
  }

  private async recover(error: unknown, ctx: Context<T>): Promise<void> {
    // A store outage is warned about once by the store, not once per request.
    this.logger[isStoreOutage(error) ? 'debug' : 'error']('cekit: handler failed', {
      ...describeRequest(ctx.message),
      ...describeError(error, { stack: true }),
    });
    publishHandlerError(ctx.message, 'custom', () => describeRequest(ctx.message), error);
    ctx.resetResponse();
    if (this.errorHandler) {
      await this.errorHandler(error, ctx); // a throw here reaches the endpoint, which uses fallback()
      if (!ctx.response.isEmpty) return;
    }
    publishFallback(ctx.message, 'custom', () => describeRequest(ctx.message), 'error');
    ctx.response.say(this.text(ctx.lang, 'error')).endSession();
  }

  private finish(ctx: Context<T>): CustomResponse {
    if (ctx.response.isEmpty && !ctx.response.hasSessionChoice) this.warnSilent(ctx);
    const response = ctx.response.build(versionOf(ctx.message), ctx.session as Record<string, unknown>);
    // From here on the answer is decided: a late ctx.say() is dropped with a warning (the error path
    // resets the response, which lifts the seal, and builds a new answer).
    ctx.seal();
    if (ctx.type === 'SessionEndedRequest') {
      // The session is over; nothing may be carried (spec custom-extension.md §1).
      response.sessionAttributes = {};
    }
    if (this.validateResponses) {
      const result = validateCustomResponse(response);
      if (!result.ok)
        throw new ResponseError(
          'RESPONSE_INVALID',
          `Invalid response: ${result.issues.map(formatIssue).join('; ')}`,
        );
    }
    return response;
  }

  /**
   * A launch or intent answered with nothing said and no session choice is usually a handler that
   * forgot to speak (or returned its answer): the user hears silence and the session ends. Warned
   * once per intent, since it repeats on every such request.
   */
  private warnSilent(ctx: Context<T>): void {
    const request = ctx.request;
    const key =
      request.type === 'IntentRequest'
        ? request.intent.name
        : request.type === 'LaunchRequest'
          ? 'launch'
          : undefined;
    if (key === undefined || this.warnedSilent.has(key)) return;
    this.warnedSilent.add(key);
    this.logger.warn(
      `cekit: the ${key === 'launch' ? 'launch handler' : `handler for intent "${key}"`} answered nothing, so the user hears silence and the session ends. Speak with ctx.say()/ctx.ask(), or call ctx.endSession() to end silently on purpose.`,
      describeRequest(ctx.message),
    );
  }

  private languageOf(request: CustomRequest): SpeechLanguage {
    const fromLocale = languageOfLocale(request.request.locale);
    return fromLocale !== undefined && this.languages.has(fromLocale) ? fromLocale : this.language;
  }

  private text(lang: SpeechLanguage, key: keyof FallbackTexts): string {
    return this.options.fallbackSpeech?.[lang]?.[key] ?? builtinMessages(lang)[key];
  }
}

/** Creates a Custom extension. Type your session and user attributes with the type parameter. */
export function createExtension<const M extends ExtensionModel>(
  options: ExtensionOptions & { model: M },
): Extension<{ model: M }>;
export function createExtension<T extends ExtensionTypes = ExtensionTypes>(
  options: ExtensionOptions<T> & ModelOption<T>,
): Extension<T>;
export function createExtension(options: ExtensionOptions): Extension {
  return new Extension(options);
}

function versionOf(request: CustomRequest): string {
  return typeof request.version === 'string' && request.version !== '' ? request.version : '1.0';
}

/**
 * A handler's answer is what it built on `ctx`; a returned string or response object would be
 * silently dropped, leaving an empty answer, so it is an error that names the fix.
 */
function checkResult(value: unknown, ctx: Context<ExtensionTypes>): void {
  if (value === undefined || value === null || value instanceof ResponseBuilder || value === ctx) return;
  const shown =
    typeof value === 'string'
      ? `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
      : `a value of type ${typeof value}`;
  const fix =
    typeof value === 'string'
      ? `speak it with ctx.say(${JSON.stringify(value.slice(0, 20))})`
      : 'build the answer with ctx.say()/ctx.ask()';
  throw new ExtensionError(
    'HANDLER_RETURNED_VALUE',
    `The handler returned ${shown}, which cekit ignores: ${fix} instead of returning it.`,
  );
}

/** Slot kinds are checked at registration: a typo would otherwise fail on every request. */
function checkSlotSpecs<D extends Record<string, SlotSpec>>(slots: D): D {
  for (const [name, spec] of Object.entries(slots)) {
    if (typeof spec === 'function' || (typeof spec === 'string' && Object.hasOwn(SLOT_KINDS, spec))) continue;
    throw new ExtensionError(
      'UNKNOWN_SLOT_KIND',
      `Slot "${name}": unknown kind ${JSON.stringify(spec)}; use one of ${Object.keys(SLOT_KINDS).join(', ')} or a parser function.${typeof spec === 'string' ? didYouMean(spec, Object.keys(SLOT_KINDS)) : ''}`,
    );
  }
  return slots;
}
