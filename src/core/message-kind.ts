/**
 * The two extension kinds share one endpoint shape but not one body shape: Custom messages carry
 * `request` (+ `context`, `session`), Clova Home messages carry `header` + `payload`.
 */
export type MessageKind = 'custom' | 'home';

export function messageKind(message: Record<string, unknown>): MessageKind | undefined {
  if (isObject(message.request)) return 'custom';
  if (isObject(message.header) && isObject(message.payload)) return 'home';
  return undefined;
}

/** `context.System.application.applicationId`, or `undefined` when any step is missing. */
export function applicationIdOf(message: Record<string, unknown>): unknown {
  const context = message.context;
  if (!isObject(context)) return undefined;
  const system = context.System;
  if (!isObject(system)) return undefined;
  const application = system.application;
  return isObject(application) ? application.applicationId : undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
