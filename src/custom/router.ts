import type { Context, ExtensionTypes } from './context.js';
import { ExtensionError } from './errors.js';
import type { Handler } from './handlers.js';
import type { SlotSpec } from './slots.js';

/** A registered handler, with the slots it declared (intents only). */
export interface Route<T extends ExtensionTypes> {
  handler: Handler<Context<T>>;
  slots?: Record<string, SlotSpec>;
}

/**
 * Which handler answers a request. Lookups are by key (request type, intent name, event
 * `namespace.name`, then `namespace.*`); predicates are tried last, in registration order.
 */
export class Router<T extends ExtensionTypes> {
  private launch: Route<T> | undefined;
  private sessionEnded: Route<T> | undefined;
  private readonly intents = new Map<string, Route<T>>();
  private readonly events = new Map<string, Route<T>>();
  private readonly predicates: { test: (ctx: Context<T>) => boolean; route: Route<T> }[] = [];

  onLaunch(route: Route<T>): void {
    if (this.launch) throw duplicate('launch');
    this.launch = route;
  }

  onSessionEnded(route: Route<T>): void {
    if (this.sessionEnded) throw duplicate('sessionEnded');
    this.sessionEnded = route;
  }

  onIntent(name: string, route: Route<T>): void {
    if (this.intents.has(name)) throw duplicate(`intent ${name}`);
    this.intents.set(name, route);
  }

  /** `pattern` is `namespace.name` or `namespace.*`. */
  onEvent(pattern: string, route: Route<T>): void {
    if (this.events.has(pattern)) throw duplicate(`event ${pattern}`);
    this.events.set(pattern, route);
  }

  /** The route of one intent, if registered. */
  intent(name: string): Route<T> | undefined {
    return this.intents.get(name);
  }

  /** Intent names with a handler, in registration order. */
  get intentNames(): readonly string[] {
    return [...this.intents.keys()];
  }

  onMatch(test: (ctx: Context<T>) => boolean, route: Route<T>): void {
    this.predicates.push({ test, route });
  }

  match(ctx: Context<T>): Route<T> | undefined {
    const request = ctx.request;
    let route: Route<T> | undefined;
    switch (request.type) {
      case 'LaunchRequest':
        route = this.launch;
        break;
      case 'IntentRequest':
        route = this.intents.get(request.intent.name);
        break;
      case 'SessionEndedRequest':
        route = this.sessionEnded;
        break;
      case 'EventRequest': {
        const { namespace, name } = request.event;
        route = this.events.get(`${namespace}.${name}`) ?? this.events.get(`${namespace}.*`);
        break;
      }
    }
    if (route) return route;
    for (const { test, route: candidate } of this.predicates) if (test(ctx)) return candidate;
    return undefined;
  }
}

function duplicate(what: string): ExtensionError {
  return new ExtensionError('DUPLICATE_HANDLER', `A handler for ${what} is already registered.`);
}
