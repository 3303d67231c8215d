import { silentLogger, type Logger } from 'cekit';
import type { HomeExtension, HomeMessage } from 'cekit/home';

/** The dispatcher's context as the endpoint gives it (nothing here aborts). */
export const dispatchContext = () =>
  ({ kind: 'home', signal: new AbortController().signal, receivedAt: 0 }) as const;

/**
 * Sends a request through the public dispatcher the way the endpoint does: `validate` (a refusal throws,
 * the endpoint's 400 INVALID_MESSAGE), then `dispatch`.
 */
export async function send<U>(home: HomeExtension<U>, message: unknown): Promise<HomeMessage> {
  const record = message as Record<string, unknown>;
  home.validate(record);
  return home.dispatch(record, dispatchContext());
}

/** A logger that keeps its warnings. */
export function warningLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warn: (message: string) => void warnings.push(message), warnings };
}
