/** Longest string value a log line carries from a message; CEK's own names are far shorter. */
export const MAX_LOGGED_STRING = 100;

// Control characters, line and paragraph separators and bidirectional overrides: what could forge a
// line or hide text in a log viewer.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Message fields made safe for a log line: strings from a request (an intent name, a header name, an
 * applianceId) are chosen by whoever sent it, so each is capped at {@link MAX_LOGGED_STRING}
 * characters and its unsafe characters written as `\uXXXX` escapes. Other values pass unchanged.
 */
export function safeFields(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  if (fields === undefined) return {};
  let safe: Record<string, unknown> | undefined;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (typeof value !== 'string') continue;
    const cleaned = safeString(value);
    if (cleaned === value) continue;
    safe ??= { ...fields };
    safe[key] = cleaned;
  }
  return safe ?? fields;
}

export function safeString(value: string): string {
  const capped =
    value.length > MAX_LOGGED_STRING
      ? `${value.slice(0, MAX_LOGGED_STRING)}… (${value.length} chars)`
      : value;
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(capped)
    ? capped.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : capped;
}
