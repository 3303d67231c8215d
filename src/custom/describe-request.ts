/**
 * The log fields that say which request a line is about: request type, and intent or event name;
 * never tokens or user ids. Shared by the extension's request log and the context's own warnings.
 * It also runs on refused messages, whatever their shape, so it reads with optional chaining only.
 */
export function describeRequest(message: { readonly request?: unknown }): Record<string, unknown> {
  const request = message.request as
    | { type?: unknown; intent?: { name?: unknown }; event?: { namespace?: unknown; name?: unknown } }
    | undefined;
  if (request?.type === 'IntentRequest') return { type: request.type, intent: request.intent?.name };
  if (request?.type === 'EventRequest')
    return {
      type: request.type,
      event: `${String(request.event?.namespace)}.${String(request.event?.name)}`,
    };
  return { type: request?.type };
}
