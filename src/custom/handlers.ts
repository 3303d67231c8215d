import type {
  ClovaEvent,
  EventMap,
  EventName,
  EventNamespace,
  EventRequest,
  IntentRequest,
  KnownEvent,
  LaunchRequest,
  OtherEvent,
  SessionEndedRequest,
} from './protocol/index.js';
import type { SuggestName } from '../core/did-you-mean.js';
import type { Context, ExtensionTypes } from './context.js';
import type { ResponseBuilder } from './response-builder.js';
import type { ExtensionModel, IntentNameOf, ModelOf, ModelSlots } from './model.js';
import type { ParsedSlots, SlotSpec } from './slots.js';

export type Awaitable<T> = T | PromiseLike<T>;

/**
 * A handler: async or not. It builds the answer on `ctx`; what it returns is not the answer, so it may
 * return only nothing or the builder a `ctx.say(...)` chain gives back. Returning a string or a
 * response object (a habit from other frameworks) is a compile error, and at run time an
 * `ExtensionError` (`HANDLER_RETURNED_VALUE`) that the error handler and the log see.
 */
export type Handler<C> = (ctx: C) => Awaitable<HandlerResult>;

/** What a handler may return: nothing, or the builder of `ctx.say(...)`/`ctx.ask(...)` chains. */
export type HandlerResult = void | undefined | ResponseBuilder;

export type LaunchContext<T extends ExtensionTypes = ExtensionTypes> = Context<T> & {
  readonly type: 'LaunchRequest';
  readonly request: LaunchRequest;
};

/**
 * The context of an intent handler. `D` are the slots declared at registration; `N` the intent name(s)
 * it was registered for, which give it the slots of the extension's model (`createExtension({ model })`).
 */
export type IntentContext<
  T extends ExtensionTypes = ExtensionTypes,
  D extends Record<string, SlotSpec> = Record<never, SlotSpec>,
  N extends string = string,
> = Omit<Context<T>, 'slots' | 'intent' | 'request' | 'type'> & {
  readonly type: 'IntentRequest';
  readonly request: IntentRequest;
  readonly intent: IntentRequest['intent'] & { readonly name: N };
  /**
   * The model's slots of the intent and the slots declared at registration (a declaration replaces the
   * model's parser of that slot), parsed; undefined when not filled or not parsable.
   */
  readonly slots: IntentSlots<T, D, N>;
};

/** `ctx.slots` of an intent handler: the model's slots of `N`, then the declared ones `D` over them. */
export type IntentSlots<T extends ExtensionTypes, D extends Record<string, SlotSpec>, N extends string> =
  ModelOf<T> extends ExtensionModel
    ? Flatten<Omit<ModelSlots<ModelOf<T>, N>, keyof D> & ParsedSlots<D>>
    : ParsedSlots<D>;

/** One object type instead of an intersection, for readable hovers and errors. */
type Flatten<O> = { readonly [K in keyof O]: O[K] };

export type EventContext<T extends ExtensionTypes = ExtensionTypes, E extends ClovaEvent = ClovaEvent> = Omit<
  Context<T>,
  'event' | 'request' | 'type'
> & {
  readonly type: 'EventRequest';
  readonly request: EventRequest & { readonly event: E };
  readonly event: E;
};

export type SessionEndedContext<T extends ExtensionTypes = ExtensionTypes> = Context<T> & {
  readonly type: 'SessionEndedRequest';
  readonly request: SessionEndedRequest;
};

/** Built-in intents (spec custom-extension.md §6). */
export const BUILTIN_INTENTS = [
  'Clova.GuideIntent',
  'Clova.CancelIntent',
  'Clova.YesIntent',
  'Clova.NoIntent',
  'Clova.NextIntent',
  'Clova.PreviousIntent',
  'Clova.PauseIntent',
  'Clova.ResumeIntent',
  'Clova.StopIntent',
  'Clova.FallbackIntent',
] as const;
export type BuiltinIntent = (typeof BUILTIN_INTENTS)[number];
/** A built-in intent, or any name of your interaction model. */
export type IntentName = BuiltinIntent | (string & {});

/**
 * `N` when it can name an intent: a `Clova.*` name must be a built-in one, so `'Clova.GuidIntent'` is a
 * compile error (with TypeScript's did-you-mean). With a model in `T` any other name must be one of its
 * intents; without one, any other name is taken as one of your model's intents.
 */
export type CheckedIntentName<N extends string, T extends ExtensionTypes = ExtensionTypes> =
  ModelOf<T> extends ExtensionModel
    ? N extends IntentNameOf<T>
      ? N
      : SuggestName<N, IntentNameOf<T>>
    : N extends `Clova.${string}`
      ? N extends BuiltinIntent
        ? N
        : SuggestName<N, BuiltinIntent>
      : N;

/** `"AudioPlayer.PlayFinished"`, a namespace wildcard `"AudioPlayer.*"`, or any other event name. */
export type EventPattern = EventName | `${EventNamespace}.*` | (string & {});

/**
 * `P` when it can name an event: in a documented namespace it must be a documented event or the
 * namespace's `.*`, so `'AudioPlayer.PlayFinishd'` is a compile error; other namespaces (partner or
 * future events) are free.
 */
export type CheckedEventPattern<P extends string> = P extends `${infer NS}.${string}`
  ? NS extends EventNamespace
    ? Extract<EventName, `${NS}.${string}`> | `${NS}.*`
    : P
  : P;

/** The event type a pattern selects. */
export type EventOf<P extends string> = P extends EventName
  ? EventMap[P]
  : P extends `${infer NS}.*`
    ? NS extends EventNamespace
      ? Extract<KnownEvent, { namespace: NS }>
      : OtherEvent
    : OtherEvent;

export type Middleware<T extends ExtensionTypes = ExtensionTypes> = (
  ctx: Context<T>,
  next: () => Promise<void>,
) => Awaitable<unknown>;

export type ErrorHandler<T extends ExtensionTypes = ExtensionTypes> = (
  error: unknown,
  ctx: Context<T>,
) => Awaitable<unknown>;
