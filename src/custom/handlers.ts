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
import type { Context, ExtensionTypes } from './context.js';
import type { ResponseBuilder } from './response-builder.js';
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

export type IntentContext<
  T extends ExtensionTypes = ExtensionTypes,
  D extends Record<string, SlotSpec> = Record<never, SlotSpec>,
> = Omit<Context<T>, 'slots' | 'intent' | 'request' | 'type'> & {
  readonly type: 'IntentRequest';
  readonly request: IntentRequest;
  readonly intent: IntentRequest['intent'];
  /** The slots declared at registration, parsed; undefined when not filled or not parsable. */
  readonly slots: ParsedSlots<D>;
};

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
 * compile error (with TypeScript's did-you-mean); any other name is one of your model's intents.
 */
export type CheckedIntentName<N extends string> = N extends `Clova.${string}` ? BuiltinIntent : N;

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
