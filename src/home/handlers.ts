/**
 * The developer's action code: handler and driver types, and the table that finds the handler for an
 * appliance's types and an action (`actions` first, then drivers).
 */

import type { Appliance } from './appliance.js';
import type {
  ActionOfType,
  ApplianceActionName,
  ApplianceTypeName,
  HomeActionName,
  QueryActionName,
  ReplyPayloadOf,
  RequestPayloadOf,
} from './names.js';

/** What an action handler receives. */
export interface HomeActionContext<A extends HomeActionName, U> {
  readonly action: A;
  readonly appliance: Appliance;
  readonly user: U;
  /**
   * The request payload (typed per action), always in the documented form: where the spec accepts an
   * example's other shape ("accept both"), it is rewritten first. Contains the access token: never log it.
   */
  readonly request: RequestPayloadOf<A>;
  readonly signal: AbortSignal;
}

/**
 * A control handler returns the confirmation payload or nothing (`{}`); a query handler (`Get…`,
 * `HealthCheck`) must return the response payload, since the response carries the answer.
 */
export type HomeActionHandler<A extends ApplianceActionName, U> = (
  context: HomeActionContext<A, U>,
) => A extends QueryActionName
  ? ReplyPayloadOf<A> | Promise<ReplyPayloadOf<A>>
  : ReplyPayloadOf<A> | void | Promise<ReplyPayloadOf<A> | void>;

/** One handler per action name (the `actions` option). */
export type HomeActionHandlers<U> = { [A in ApplianceActionName]?: HomeActionHandler<A, U> };

/** A driver for one appliance type: handlers for the actions that type allows (§6.2) only. */
export type HomeDriver<T extends ApplianceTypeName, U> = {
  [A in ActionOfType<T>]?: HomeActionHandler<A, U>;
};

/** Drivers by appliance type: `{ LIGHT: { TurnOn, TurnOff }, AIRCONDITIONER: { … } }`. */
export type HomeDrivers<U> = { [T in ApplianceTypeName]?: HomeDriver<T, U> };

/** A handler with its action and user types erased: the table holds handlers of every action. */
export type AnyHandler = (context: HomeActionContext<HomeActionName, unknown>) => unknown;
/** Handlers by action name, as plain strings: request names and data are looked up as they come. */
export type HandlersByAction = Readonly<Record<string, AnyHandler | undefined>>;

/** Finds the handler that answers an action for an appliance; also read by discovery and the warnings. */
export class HandlerTable {
  readonly actions: HandlersByAction;
  readonly drivers: Readonly<Record<string, HandlersByAction | undefined>>;

  constructor(actions: HomeActionHandlers<never> | undefined, drivers: HomeDrivers<never> | undefined) {
    this.actions = (actions ?? {}) as HandlersByAction;
    this.drivers = (drivers ?? {}) as Readonly<Record<string, HandlersByAction | undefined>>;
  }

  /**
   * `actions` first, then the driver of the appliance's first type that has one. Takes the types as
   * given, so the usual single type costs no array: routing calls this on every request.
   */
  find(types: string | readonly string[], action: string): AnyHandler | undefined {
    const own = this.actions[action];
    if (own) return own;
    if (typeof types === 'string') return this.drivers[types]?.[action];
    for (const type of types) {
      const handler = this.drivers[type]?.[action];
      if (handler) return handler;
    }
    return undefined;
  }
}
