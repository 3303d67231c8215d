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
import type { ParsedSlots, SlotSpec } from './slots.js';

export type Awaitable<T> = T | PromiseLike<T>;

/** A handler: async or not; what it returns is ignored (build the answer on `ctx`). */
export type Handler<C> = (ctx: C) => Awaitable<unknown>;

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

/** Built-in intents (spec custom-extension.md §6); any other string names a custom intent. */
export type BuiltinIntent =
  | 'Clova.GuideIntent'
  | 'Clova.CancelIntent'
  | 'Clova.YesIntent'
  | 'Clova.NoIntent'
  | 'Clova.NextIntent'
  | 'Clova.PreviousIntent'
  | 'Clova.PauseIntent'
  | 'Clova.ResumeIntent'
  | 'Clova.StopIntent'
  | 'Clova.FallbackIntent';
export type IntentName = BuiltinIntent | (string & {});

/** `"AudioPlayer.PlayFinished"`, a namespace wildcard `"AudioPlayer.*"`, or any other event name. */
export type EventPattern = EventName | `${EventNamespace}.*` | (string & {});

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
