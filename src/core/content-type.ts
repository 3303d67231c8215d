import { RejectionError } from './errors.js';

/**
 * Accepts `application/json` with any parameters. CEK documents its header as
 * `application/json;charset-UTF-8` (hyphen, not `=`), so parameters are not parsed at all: only the
 * media type decides (spec http-and-validation.md §1.1).
 */
export function checkContentType(value: string | undefined): void {
  if (value === undefined) throw new RejectionError('UNSUPPORTED_MEDIA_TYPE', 'No Content-Type was sent.');
  const semicolon = value.indexOf(';');
  const mediaType = (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  if (mediaType !== 'application/json') throw new RejectionError('UNSUPPORTED_MEDIA_TYPE');
}
