import { REJECTIONS, RejectionError, type RejectionCode } from '../core/errors.js';
import { parseJsonBody } from '../core/json.js';
import { applicationIdOf } from '../core/message-kind.js';
import { publicKeyVerifier } from '../verify/public-key.js';
import type { RequestVerifier } from '../verify/verifier.js';

/**
 * Why {@link verifier} refused a request. The messages are the SDK's, so code matching on them keeps
 * working; `code` and `status` are cekit's stable rejection code and the HTTP status it answers with.
 */
export class VerificationError extends Error {
  readonly code: RejectionCode;
  readonly status: number;
  constructor(code: RejectionCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VerificationError';
    this.code = code;
    this.status = REJECTIONS[code].status;
  }
}

/** One verifier for the process: the key is decoded once, and refreshed as the endpoint's is. */
let shared: RequestVerifier | undefined;

/**
 * Checks a request the way the SDK's `verifier()` did, with cekit's checks underneath: the signature
 * over the bytes of `requestBody` against CEK's key (bundled, decoded once, refreshed from the
 * documented URL when CEK rotates it), then the JSON (no `__proto__` keys, bounded depth), then the
 * applicationId. Resolves to the parsed request; rejects with a {@link VerificationError}.
 *
 * Pass the body as received (a Buffer is best): text that was decoded and encoded again may no
 * longer be the bytes CEK signed.
 */
export async function verifier(
  signature: string,
  applicationId: string,
  requestBody: string | Uint8Array,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's type, which callers rely on
): Promise<any> {
  if (!signature) throw new VerificationError('SIGNATURE_MISSING', 'Missing signature.');
  if (!applicationId) throw new VerificationError('APPLICATION_ID_MISMATCH', 'Missing applicationId.');
  if (!requestBody || requestBody.length === 0)
    throw new VerificationError('EMPTY_BODY', 'Missing requestBody.');
  const body = typeof requestBody === 'string' ? new TextEncoder().encode(requestBody) : requestBody;
  shared ??= publicKeyVerifier();
  try {
    await shared.verify(body, { signaturecek: signature });
  } catch (error) {
    const rejection = error instanceof RejectionError ? error : new RejectionError('SIGNATURE_INVALID');
    throw new VerificationError(rejection.code, `Invalid signature: "${signature}".`, {
      cause: error,
    });
  }
  let message: Record<string, unknown>;
  try {
    message = parseJsonBody(body);
  } catch (error) {
    const rejection = error instanceof RejectionError ? error : new RejectionError('INVALID_JSON');
    throw new VerificationError(rejection.code, rejection.message, { cause: error });
  }
  if (applicationIdOf(message) !== applicationId) {
    throw new VerificationError('APPLICATION_ID_MISMATCH', `Invalid application id: ${applicationId}.`);
  }
  return message;
}
