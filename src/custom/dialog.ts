/**
 * Multi-turn dialogs (slot filling): `app.dialog(intent, { slots, confirm, answers }, done)` asks for
 * each missing slot in turn, takes answers in any order and corrections, confirms, and runs `done`
 * with every slot known. The state travels in one session attribute (dialog-state.ts). The extension
 * registers the dialog's intent like any handler, and calls `Dialogs.activeIn(ctx)` once per request
 * before routing; there is no other path into a dialog.
 */
import { ExtensionError } from './errors.js';
import { builtinMessages } from './builtin-messages.js';
import type { Context, ExtensionTypes } from './context.js';
import {
  clearDialogState,
  hasDialogState,
  readDialogState,
  storedSlotOfRequest,
  storedSlotOfValue,
  writeDialogState,
  type Asked,
  type DialogShape,
  type DialogState,
  type StoredSlot,
} from './dialog-state.js';
import { didYouMean } from '../core/did-you-mean.js';
import type { Awaitable, BuiltinIntent, CheckedIntentName, Handler, HandlerResult } from './handlers.js';
import type { ExtensionModel, ModelOf, ModelSlots } from './model.js';
import type { Route } from './router.js';
import { parseSlot, type SlotSpec, type SlotValueOf } from './slots.js';
import type { SpeechInput } from './speech.js';

// ---- public types -------------------------------------------------------------------------

/** A handler's context whose `ctx.slots` are the dialog's slots. */
export type DialogContext<T extends ExtensionTypes, S> = Omit<Context<T>, 'slots'> & { readonly slots: S };

/** Speech the dialog says: fixed, or made from what is known so far (`(ctx) => ctx.slots...`). */
export type DialogText<C> = SpeechInput | ((ctx: C) => SpeechInput);

/**
 * A slot the dialog asks for until it is known. `validate` gets the parsed value: `true` keeps it; `false`
 * or a text refuses it, the text (else the reprompt) is said and the slot is asked again.
 */
export interface DialogSlotOptions<C, V> {
  prompt: DialogText<C>;
  /** Said when the user stays silent, and when the answer was not understood. Default: the prompt. */
  reprompt?: DialogText<C>;
  validate?: (value: V, ctx: C) => Awaitable<boolean | SpeechInput>;
}

/** A dialog slot of an extension without a model: `type` parses it, as in `app.intent(name, { slots })`. */
export interface TypedDialogSlotOptions<C, S extends SlotSpec> extends DialogSlotOptions<C, SlotValueOf<S>> {
  type: S;
}

/** What a dialog's `slots` may name: the slots of its intent in the model, or any names without one. */
export type DialogSlotsShape<T extends ExtensionTypes, N extends string> =
  ModelOf<T> extends ExtensionModel
    ? { readonly [K in keyof ModelSlots<ModelOf<T>, N>]?: unknown }
    : Record<string, SlotSpec>;

/**
 * `ctx.slots` while the dialog goes on: every slot it keeps, undefined until known. With a model these
 * are all the slots of the intent (the undeclared ones are kept when said, never asked for).
 */
export type DialogKnownSlots<T extends ExtensionTypes, N extends string, S> =
  ModelOf<T> extends ExtensionModel
    ? ModelSlots<ModelOf<T>, N>
    : { readonly [K in keyof S]: SlotValueOf<S[K]> | undefined };

/** `ctx.slots` once the dialog is complete: every declared slot known. */
export type DialogSlots<T extends ExtensionTypes, N extends string, S> = Complete<
  DialogKnownSlots<T, N, S>,
  keyof S
>;
type Complete<O, K> = { readonly [P in keyof O]: P extends K ? Exclude<O[P], undefined> : O[P] };

/** The declared slots' options, typed by the model or by their `type`. */
export type DialogSlotsOptions<T extends ExtensionTypes, N extends string, S> =
  ModelOf<T> extends ExtensionModel
    ? {
        [K in keyof S]: DialogSlotOptions<
          DialogContext<T, DialogKnownSlots<T, N, S>>,
          Exclude<DialogKnownSlots<T, N, S>[K & keyof DialogKnownSlots<T, N, S>], undefined>
        >;
      }
    : {
        [K in keyof S]: TypedDialogSlotOptions<
          DialogContext<T, DialogKnownSlots<T, N, S>>,
          S[K] extends SlotSpec ? S[K] : never
        >;
      };

/**
 * Other intents whose slots answer this dialog's while it goes on: `{ AmountOnly: { count: 'pizzaAmount' } }`
 * (intent → its slot → the dialog's slot). With a model, intents and their slots are checked.
 */
export type DialogAnswers<T extends ExtensionTypes, Names extends string> =
  ModelOf<T> extends ExtensionModel
    ? {
        readonly [I in keyof ModelOf<T>['intents']]?: {
          readonly [P in keyof ModelOf<T>['intents'][I]]?: Names;
        };
      }
    : { readonly [intent: string]: { readonly [slot: string]: Names } };

export interface DialogOptions<T extends ExtensionTypes, N extends string, S> {
  /** The slots to ask for, in this order (an answer may come in any order). */
  slots: DialogSlotsOptions<T, N, S>;
  /** Asked once every slot is known: "yes" runs the done handler, "no" does what `denied` says. */
  confirm?: {
    prompt: DialogText<DialogContext<T, DialogSlots<T, N, S>>>;
    reprompt?: DialogText<DialogContext<T, DialogSlots<T, N, S>>>;
  };
  /** "No" to the confirmation: `'restart'` (default) forgets the slots and asks again; `'cancel'` cancels. */
  denied?: 'restart' | 'cancel';
  answers?: DialogAnswers<T, keyof DialogKnownSlots<T, N, S> & string>;
  /** Said on `Clova.GuideIntent` before the current question is asked again. */
  help?: DialogText<DialogContext<T, DialogKnownSlots<T, N, S>>>;
  /**
   * Cancel, stop, or "no" to a slot's question: the state is already cleared. Default: a localized
   * "キャンセルしました。" and the session ends.
   */
  cancel?: Handler<DialogContext<T, DialogKnownSlots<T, N, S>>>;
}

/** A dialog's intent: an intent of the model (or any name without one), not a built-in one. */
export type DialogIntentName<N extends string, T extends ExtensionTypes> = N extends BuiltinIntent
  ? never
  : CheckedIntentName<N, T>;

/** Any handler's context of an extension of types `T`. */
export type AnyHandlerContext<T extends ExtensionTypes = ExtensionTypes> = Omit<
  Context<T>,
  'slots' | 'intent' | 'event' | 'request' | 'type'
>;

/** What `app.dialog()` returns: the dialog, to start it from another handler or to look at it. */
export interface Dialog<
  T extends ExtensionTypes = ExtensionTypes,
  S extends object = Record<string, unknown>,
> {
  readonly intent: string;
  /**
   * Starts the dialog from any handler, over any dialog in progress: the `prefill` values go through the
   * slots' parsers and validators like spoken ones (one that fails is asked for), then the first missing
   * slot is asked, or the confirmation, or the done handler runs. Return or await it: the answer is
   * built when it settles. It sets `ctx.slots` to the dialog's.
   */
  start(
    ctx: AnyHandlerContext<T>,
    prefill?: { readonly [K in keyof S]?: S[K] | undefined },
  ): Promise<HandlerResult>;
  /** Whether this dialog is going on in the request's session. */
  isActive(ctx: AnyHandlerContext<T>): boolean;
  /** Forgets this dialog if it is going on (for a handler that leaves it for good). */
  clear(ctx: AnyHandlerContext<T>): void;
}

// ---- run time -----------------------------------------------------------------------------

/** The options as the run time sees them (the generic types above are for the caller). */
export interface LooseDialogOptions {
  slots: Record<string, LooseSlotOptions>;
  confirm?: { prompt: LooseText; reprompt?: LooseText };
  denied?: 'restart' | 'cancel';
  answers?: Record<string, Record<string, string>>;
  help?: LooseText;
  cancel?: LooseHandler;
}
interface LooseSlotOptions {
  type?: SlotSpec;
  prompt: LooseText;
  reprompt?: LooseText;
  validate?: (value: unknown, ctx: LooseContext) => Awaitable<unknown>;
}
type LooseContext = Context<ExtensionTypes>;
type LooseText = SpeechInput | ((ctx: LooseContext) => SpeechInput);
type LooseHandler = (ctx: LooseContext) => Awaitable<HandlerResult>;

interface SlotConfig {
  readonly name: string;
  readonly spec: SlotSpec;
  /** Declared slots are asked for; a model's other slots of the intent are only kept when said. */
  readonly ask: { prompt: LooseText; reprompt: LooseText | undefined } | undefined;
  readonly validate: LooseSlotOptions['validate'];
}

/** A slot value known so far: as it arrived (kept in the session) and parsed. */
interface Known {
  stored: StoredSlot;
  value: unknown;
}
type Values = Map<string, Known>;

type Step = { slot: SlotConfig } | { confirm: true } | { done: true };

/** What a turn of an active dialog does with the dialog. */
type Action =
  | { kind: 'fill'; mapping: ReadonlyMap<string, string> }
  | { kind: 'yes' | 'no' | 'cancel' | 'help' | 'reask' };

/** Built-in intents a dialog in progress answers itself, whatever handlers the extension has. */
const CONTROLS: ReadonlyMap<string, Action> = new Map<string, Action>([
  ['Clova.YesIntent', { kind: 'yes' }],
  ['Clova.NoIntent', { kind: 'no' }],
  ['Clova.CancelIntent', { kind: 'cancel' }],
  ['Clova.StopIntent', { kind: 'cancel' }],
  ['Clova.GuideIntent', { kind: 'help' }],
  ['Clova.FallbackIntent', { kind: 'reask' }],
]);
const REASK: Action = { kind: 'reask' };

/** One registered dialog: its configuration, its turns, and the `Dialog` handle given to the caller. */
export class DialogRunner<T extends ExtensionTypes> implements Dialog<T> {
  readonly intent: string;
  /** Parser of every slot the dialog keeps, for the router (checks against the model). */
  readonly specs: Record<string, SlotSpec>;
  readonly shape: DialogShape;
  /** Intent → its slot → the dialog's slot. */
  readonly answers: ReadonlyMap<string, ReadonlyMap<string, string>>;
  private readonly slots: readonly SlotConfig[];
  private readonly ownSlots: ReadonlyMap<string, string>;
  private readonly options: LooseDialogOptions;
  private readonly done: LooseHandler;

  constructor(
    intent: string,
    options: LooseDialogOptions,
    done: LooseHandler,
    /** The parsers of the intent's slots in the model, when the extension has one. */
    modelSpecs: Record<string, SlotSpec> | undefined,
  ) {
    this.intent = intent;
    this.options = options;
    this.done = done;
    if (intent.startsWith('Clova.'))
      throw new ExtensionError(
        'DIALOG_INVALID',
        `app.dialog("${intent}"): a dialog's intent is one of your model's, not a built-in one.`,
      );
    if (options.denied !== undefined && options.denied !== 'restart' && options.denied !== 'cancel')
      throw new ExtensionError('DIALOG_INVALID', `app.dialog("${intent}"): denied is 'restart' or 'cancel'.`);
    if (typeof options.slots !== 'object' || options.slots === null)
      throw new ExtensionError(
        'DIALOG_INVALID',
        `app.dialog("${intent}"): slots is an object: { slotName: { prompt } }.`,
      );
    const slots: SlotConfig[] = [];
    for (const [name, slot] of Object.entries(options.slots)) {
      const spec = slot.type ?? modelSpecs?.[name];
      if (spec === undefined && modelSpecs)
        throw new ExtensionError(
          'DIALOG_INVALID',
          `app.dialog("${intent}"): the model gives ${intent} no slot "${name}".${didYouMean(name, Object.keys(modelSpecs))}`,
        );
      if (spec === undefined)
        throw new ExtensionError(
          'DIALOG_INVALID',
          `app.dialog("${intent}"): slot "${name}" has no type: give it one ('number', 'string'... or a parser), or give the extension a model that has it.`,
        );
      if (slot.prompt === undefined)
        throw new ExtensionError(
          'DIALOG_INVALID',
          `app.dialog("${intent}"): slot "${name}" needs a prompt, the question that asks for it.`,
        );
      slots.push({
        name,
        spec,
        ask: { prompt: slot.prompt, reprompt: slot.reprompt },
        validate: slot.validate,
      });
    }
    for (const [name, spec] of Object.entries(modelSpecs ?? {})) {
      if (!Object.hasOwn(options.slots, name))
        slots.push({ name, spec, ask: undefined, validate: undefined });
    }
    // The stored state is keyed by slot name; this one name would set a prototype instead.
    if (slots.some((slot) => slot.name === '__proto__'))
      throw new ExtensionError(
        'DIALOG_INVALID',
        `app.dialog("${intent}"): "__proto__" cannot be a slot name.`,
      );
    this.slots = slots;
    this.specs = Object.fromEntries(slots.map((slot) => [slot.name, slot.spec]));
    const names = slots.map((slot) => slot.name);
    this.shape = { slotNames: names, confirms: options.confirm !== undefined };
    this.ownSlots = new Map(names.map((name) => [name, name]));
    const answers = new Map<string, Map<string, string>>();
    for (const [other, mapping] of Object.entries(options.answers ?? {})) {
      if (other === intent || other.startsWith('Clova.'))
        throw new ExtensionError(
          'DIALOG_INVALID',
          `app.dialog("${intent}"): answers.${other}: ${other === intent ? "the dialog's own intent fills its slots already" : 'built-in intents are answered by the dialog itself (yes, no, cancel, help)'}; name other intents of the model.`,
        );
      for (const target of Object.values(mapping)) {
        if (!names.includes(target))
          throw new ExtensionError(
            'DIALOG_INVALID',
            `app.dialog("${intent}"): answers.${other} fills slot "${target}", which the dialog does not have.${didYouMean(target, names)}`,
          );
      }
      answers.set(other, new Map(Object.entries(mapping)));
    }
    this.answers = answers;
  }

  // ---- the Dialog handle ----

  start(
    ctx: AnyHandlerContext<T>,
    prefill: { readonly [slot: string]: unknown } = {},
  ): Promise<HandlerResult> {
    const context = ctx as unknown as LooseContext;
    return this.prefilled(context, prefill).then((values) => this.proceed(context, values));
  }

  isActive(ctx: AnyHandlerContext<T>): boolean {
    if (ctx.isNewSession) return false;
    const state = readDialogState(ctx.session as Record<string, unknown>, (intent) =>
      intent === this.intent ? this.shape : undefined,
    );
    return state !== undefined;
  }

  clear(ctx: AnyHandlerContext<T>): void {
    if (this.isActive(ctx)) clearDialogState(ctx.session as Record<string, unknown>);
  }

  // ---- turns ----

  /** The route of the dialog's intent when this dialog is not going on: it starts with the request's slots. */
  readonly begin = (ctx: LooseContext): Promise<HandlerResult> => this.fill(ctx, new Map(), this.ownSlots);

  /** The route of a request while this dialog goes on, or undefined when the intent is not the dialog's. */
  routeFor(intent: string, state: DialogState): Route<ExtensionTypes> | undefined {
    const action: Action | undefined =
      intent === this.intent
        ? { kind: 'fill', mapping: this.ownSlots }
        : this.answers.has(intent)
          ? { kind: 'fill', mapping: this.answers.get(intent)! }
          : CONTROLS.get(intent);
    return action && { handler: (ctx) => this.turn(ctx, state, action) };
  }

  /** The route when no handler took an intent: the current question again. */
  reaskRoute(state: DialogState): Route<ExtensionTypes> {
    return { handler: (ctx) => this.turn(ctx, state, REASK) };
  }

  private async turn(ctx: LooseContext, state: DialogState, action: Action): Promise<HandlerResult> {
    const values = await this.restore(ctx, state);
    if (action.kind === 'fill') return this.fill(ctx, values, action.mapping);
    const step = this.current(values, state.asked);
    switch (action.kind) {
      case 'yes':
        return 'confirm' in step ? this.complete(ctx, values) : this.ask(ctx, values, step, 'reprompt');
      case 'no':
        if (!('confirm' in step) || this.options.denied === 'cancel') return this.cancel(ctx, values);
        values.clear();
        return this.proceed(ctx, values);
      case 'cancel':
        return this.cancel(ctx, values);
      case 'help':
        if (this.options.help !== undefined) {
          this.expose(ctx, values);
          ctx.say(speech(this.options.help, ctx));
        }
        return this.ask(ctx, values, step, 'prompt');
      case 'reask':
        return this.ask(ctx, values, step, 'reprompt');
    }
  }

  /**
   * The request's slots (named by `mapping`: theirs → the dialog's) fill or replace known ones, each
   * parsed and validated; then the next question, or the done handler.
   */
  private async fill(
    ctx: LooseContext,
    values: Values,
    mapping: ReadonlyMap<string, string>,
  ): Promise<HandlerResult> {
    const incoming = new Map<string, StoredSlot>();
    const sent = ctx.intent?.slots ?? {};
    for (const [theirs, ours] of mapping) {
      const slot = Object.hasOwn(sent, theirs) ? sent[theirs] : undefined;
      const stored = slot && storedSlotOfRequest(slot);
      if (stored) incoming.set(ours, stored);
    }
    let refused: { slot: SlotConfig; message: SpeechInput | undefined } | undefined;
    for (const slot of this.slots) {
      const stored = incoming.get(slot.name);
      if (!stored) continue;
      // Not a value of the slot's type (a word outside the model): as if it had not been said.
      const value = parse(slot, stored);
      if (value === undefined) continue;
      const verdict = await this.check(ctx, values, slot, value);
      if (verdict === true) {
        values.set(slot.name, { stored, value });
        continue;
      }
      // A refused correction also forgets the old value: the slot is asked for again.
      values.delete(slot.name);
      refused ??= { slot, message: isSpeech(verdict) ? verdict : undefined };
    }
    if (refused) return this.ask(ctx, values, { slot: refused.slot }, refused.message ?? 'reprompt');
    return this.proceed(ctx, values);
  }

  /** Asks the first missing slot, or the confirmation, or runs the done handler. */
  private proceed(ctx: LooseContext, values: Values): Awaitable<HandlerResult> {
    const step = this.next(values);
    return 'done' in step ? this.complete(ctx, values) : this.ask(ctx, values, step, 'prompt');
  }

  private next(values: Values): Step {
    const missing = this.slots.find((slot) => slot.ask && !values.has(slot.name));
    if (missing) return { slot: missing };
    return this.options.confirm ? { confirm: true } : { done: true };
  }

  /** The question the user heard last, if it still stands; else the next one. */
  private current(values: Values, asked: Asked | undefined): Step {
    const next = this.next(values);
    if (asked && 'slot' in asked) {
      const slot = this.slots.find((candidate) => candidate.name === asked.slot);
      if (slot?.ask && !values.has(slot.name)) return { slot };
    }
    return next;
  }

  /** Says the step's question (or `said` before keeping its reprompt) and keeps the state for the answer. */
  private ask(
    ctx: LooseContext,
    values: Values,
    step: Step,
    said: 'prompt' | 'reprompt' | SpeechInput,
  ): Awaitable<HandlerResult> {
    if ('done' in step) return this.complete(ctx, values);
    const texts = 'slot' in step ? step.slot.ask! : this.options.confirm!;
    this.expose(ctx, values);
    const prompt = speech(texts.prompt, ctx);
    const reprompt = texts.reprompt === undefined ? prompt : speech(texts.reprompt, ctx);
    const stored = new Map<string, StoredSlot>();
    for (const [name, known] of values) stored.set(name, known.stored);
    writeDialogState(
      ctx.session as Record<string, unknown>,
      this.intent,
      stored,
      'slot' in step ? { slot: step.slot.name } : { confirm: true },
    );
    ctx.ask(said === 'prompt' ? prompt : said === 'reprompt' ? reprompt : said, reprompt);
    return undefined;
  }

  private complete(ctx: LooseContext, values: Values): Awaitable<HandlerResult> {
    clearDialogState(ctx.session as Record<string, unknown>);
    this.expose(ctx, values);
    return this.done(ctx);
  }

  private cancel(ctx: LooseContext, values: Values): Awaitable<HandlerResult> {
    clearDialogState(ctx.session as Record<string, unknown>);
    this.expose(ctx, values);
    if (this.options.cancel) return this.options.cancel(ctx);
    ctx.say(builtinMessages(ctx.lang).dialogCancelled).endSession();
    return undefined;
  }

  /**
   * The values the session brought back, parsed and validated again (the session comes back from the
   * client): a value that no longer parses or passes is forgotten, and asked for again.
   */
  private async restore(ctx: LooseContext, state: DialogState): Promise<Values> {
    const values: Values = new Map();
    for (const slot of this.slots) {
      const stored = state.slots.get(slot.name);
      if (!stored) continue;
      let value: unknown;
      try {
        value = parse(slot, stored);
      } catch {
        // A parser that throws on text CEK would never send: the text is not kept.
        continue;
      }
      if (value !== undefined && (await this.check(ctx, values, slot, value)) === true)
        values.set(slot.name, { stored, value });
    }
    return values;
  }

  private async prefilled(ctx: LooseContext, prefill: { readonly [slot: string]: unknown }): Promise<Values> {
    const values: Values = new Map();
    for (const slot of this.slots) {
      const given = Object.hasOwn(prefill, slot.name) ? prefill[slot.name] : undefined;
      if (given === undefined) continue;
      const stored = storedSlotOfValue(given);
      if (!stored)
        throw new ExtensionError(
          'DIALOG_INVALID',
          `dialog ${this.intent}: start() cannot prefill slot "${slot.name}" with this value; prefill text, numbers, amounts, or date, time and duration values.`,
        );
      const value = parse(slot, stored);
      if (value !== undefined && (await this.check(ctx, values, slot, value)) === true)
        values.set(slot.name, { stored, value });
    }
    return values;
  }

  /** The slot's validator's verdict (`true` only when it passes), with `ctx.slots` as known so far. */
  private async check(ctx: LooseContext, values: Values, slot: SlotConfig, value: unknown): Promise<unknown> {
    if (!slot.validate) return true;
    this.expose(ctx, values);
    return slot.validate(value, ctx);
  }

  /** `ctx.slots` for the dialog's texts and handlers: every slot it keeps, undefined until known. */
  private expose(ctx: LooseContext, values: Values): void {
    const slots: Record<string, unknown> = {};
    for (const slot of this.slots) slots[slot.name] = values.get(slot.name)?.value;
    ctx.slots = slots;
  }
}

/** A dialog going on in the request's session, as the extension routes it. */
export interface ActiveDialog<T extends ExtensionTypes> {
  /** The dialog's own route for the request, or undefined to let the extension's handlers answer. */
  readonly route: Route<T> | undefined;
  /** When no handler matched: the dialog asks its question again, instead of the unhandled fallback. */
  readonly reask: Route<T>;
}

/** The extension's dialogs, by intent. */
export class Dialogs<T extends ExtensionTypes> {
  private readonly byIntent = new Map<string, DialogRunner<T>>();
  private readonly shapeOf = (intent: string): DialogShape | undefined => this.byIntent.get(intent)?.shape;

  add(dialog: DialogRunner<T>): void {
    this.byIntent.set(dialog.intent, dialog);
  }

  /** Whether some dialog takes answers from this intent. */
  answeredBy(intent: string): boolean {
    for (const dialog of this.byIntent.values()) if (dialog.answers.has(intent)) return true;
    return false;
  }

  /**
   * The dialog going on in this request's session, for an IntentRequest. A state that is malformed,
   * for a dialog not registered, or brought into a new session is removed from `ctx.session`, so it is
   * never sent back either; events and session ends leave a good one alone.
   */
  activeIn(ctx: Context<T>): ActiveDialog<T> | undefined {
    const session = ctx.session as Record<string, unknown>;
    if (!hasDialogState(session)) return undefined;
    const state = ctx.isNewSession ? undefined : readDialogState(session, this.shapeOf);
    if (!state) {
      clearDialogState(session);
      return undefined;
    }
    const intent = ctx.intent?.name;
    if (intent === undefined) return undefined;
    const dialog = this.byIntent.get(state.intent)!;
    return {
      route: dialog.routeFor(intent, state) as Route<T> | undefined,
      reask: dialog.reaskRoute(state) as Route<T>,
    };
  }
}

function parse(slot: SlotConfig, stored: StoredSlot): unknown {
  return parseSlot(slot.spec, { name: slot.name, ...stored });
}

function speech(text: LooseText, ctx: LooseContext): SpeechInput {
  return typeof text === 'function' ? text(ctx) : text;
}

/** A validator's refusal that can be said: text, a speech object, or a list of them. */
function isSpeech(value: unknown): value is SpeechInput {
  return (typeof value === 'string' && value !== '') || (typeof value === 'object' && value !== null);
}
