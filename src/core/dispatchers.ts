import type { Dispatcher } from './dispatcher.js';
import { ConfigurationError } from './errors.js';
import { messageKind, type MessageKind } from './message-kind.js';

/** One dispatcher for the endpoint: the one given, or one that routes each message kind to its own. */
export function combineDispatchers(input: Dispatcher | readonly Dispatcher[]): Dispatcher {
  if (!Array.isArray(input)) return input as Dispatcher;
  const list = input as readonly Dispatcher[];
  if (list.length === 1) return list[0]!;
  const byKind = new Map<MessageKind, Dispatcher>();
  for (const dispatcher of list) {
    for (const kind of dispatcher.kinds) {
      if (byKind.has(kind))
        throw new ConfigurationError('DUPLICATE_DISPATCHER', `Two dispatchers serve ${kind} messages.`);
      byKind.set(kind, dispatcher);
    }
  }
  const pick = (message: Record<string, unknown>) => byKind.get(messageKind(message) ?? 'custom');
  return {
    kinds: [...byKind.keys()],
    validate: (message) => pick(message)?.validate?.(message),
    dispatch: (message, context) => byKind.get(context.kind)!.dispatch(message, context),
    fallback: (message, context, reason) => byKind.get(context.kind)!.fallback?.(message, context, reason),
    describe: (message) => pick(message)?.describe?.(message) ?? {},
  };
}
