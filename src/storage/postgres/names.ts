/** PostgreSQL keeps 63 bytes of a name (NAMEDATALEN - 1) and silently cuts the rest off. */
const MAX_NAME_BYTES = 63;

/**
 * `name` as a quoted SQL identifier (`"` doubled inside), after refusing what PostgreSQL would not
 * keep as written: quoting makes any other character safe, but a truncated name would silently
 * address another table than the one configured.
 */
export function quoteIdentifier(name: unknown, option: string): string {
  if (typeof name !== 'string' || name === '')
    throw new TypeError(`postgresStore: ${option} must be a non-empty string.`);
  if (name.includes('\0')) throw new TypeError(`postgresStore: ${option} must not contain a NUL character.`);
  if (/\p{Cs}/u.test(name))
    throw new TypeError(`postgresStore: ${option} must not contain an unpaired surrogate (not valid UTF-8).`);
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_NAME_BYTES)
    throw new TypeError(
      `postgresStore: ${option} is ${bytes} bytes; PostgreSQL names are at most ${MAX_NAME_BYTES} bytes (longer ones are truncated).`,
    );
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Refuses a user id PostgreSQL `text` cannot hold as it is: NUL is rejected by the server, and an
 * unpaired surrogate would be stored as U+FFFD, so two different ids would share one row.
 */
export function checkUserId(userId: string): void {
  if (typeof userId !== 'string') throw new TypeError('postgresStore: a user id must be a string.');
  if (userId.includes('\0') || /\p{Cs}/u.test(userId))
    throw new TypeError(
      'postgresStore: a user id must not contain NUL or an unpaired surrogate (PostgreSQL text cannot keep it).',
    );
}
