/**
 * Every way cekit can refuse a request, in one table. Codes are stable: once published a code keeps
 * its meaning and status forever, and a retired code is never reused. `docs/errors.md` mirrors this
 * table and `test/core/errors.test.ts` fails when the two drift apart.
 */
export const REJECTIONS = {
  METHOD_NOT_ALLOWED: { status: 405, message: 'CEK sends requests with POST only.' },
  MALFORMED_HTTP: {
    status: 400,
    message: 'The HTTP request could not be parsed (bad request line, header or framing).',
  },
  REQUEST_TIMEOUT: {
    status: 408,
    message: 'The request was not received completely within the request timeout.',
  },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body must be application/json.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is larger than the configured limit.' },
  EMPTY_BODY: { status: 400, message: 'The request body is empty.' },
  INVALID_UTF8: { status: 400, message: 'The request body is not valid UTF-8.' },
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  JSON_TOO_DEEP: { status: 400, message: 'The request body nests deeper than allowed.' },
  JSON_FORBIDDEN_KEY: { status: 400, message: 'The request body contains a forbidden key ("__proto__").' },
  NOT_AN_OBJECT: { status: 400, message: 'The request body must be a JSON object.' },
  INVALID_MESSAGE: { status: 400, message: 'The request body is not a valid CEK message.' },
  UNSUPPORTED_MESSAGE: { status: 400, message: 'This endpoint does not serve this kind of CEK message.' },
  SIGNATURE_MISSING: { status: 401, message: 'The SignatureCEK header is missing or empty.' },
  SIGNATURE_DUPLICATED: { status: 400, message: 'The SignatureCEK header was sent more than once.' },
  SIGNATURE_MALFORMED: {
    status: 400,
    message: 'The SignatureCEK header is not a well-formed base64 signature.',
  },
  SIGNATURE_INVALID: { status: 403, message: 'The SignatureCEK signature does not match the request body.' },
  KEY_UNAVAILABLE: {
    status: 403,
    message: 'No CEK public key is available to verify the request; it was refused.',
  },
  CERT_CHAIN_URL_MISSING: {
    status: 401,
    message: 'The SignatureCEKCertChainUrl header is missing or empty.',
  },
  CERT_CHAIN_URL_DUPLICATED: {
    status: 400,
    message: 'The SignatureCEKCertChainUrl header was sent more than once.',
  },
  CERT_CHAIN_URL_INVALID: {
    status: 403,
    message: 'The SignatureCEKCertChainUrl is not an allowed certificate-chain URL.',
  },
  CERT_CHAIN_UNAVAILABLE: { status: 403, message: 'The certificate chain could not be downloaded.' },
  CERT_CHAIN_MALFORMED: { status: 403, message: 'The certificate chain is not a valid PEM chain.' },
  CERT_SAN_MISMATCH: {
    status: 403,
    message: 'The signing certificate does not name the required host in its Subject Alternative Name.',
  },
  CERT_EXPIRED: { status: 403, message: 'A certificate in the chain has expired.' },
  CERT_NOT_YET_VALID: { status: 403, message: 'A certificate in the chain is not valid yet.' },
  CERT_UNTRUSTED: { status: 403, message: 'The certificate chain does not lead to a trusted root.' },
  APPLICATION_ID_MISMATCH: {
    status: 403,
    message: 'context.System.application.applicationId is not one of the configured Extension IDs.',
  },
  BODY_ALREADY_PARSED: {
    status: 400,
    message:
      'A body parser consumed the request before cekit saw the raw bytes, so the signature cannot be verified.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type RejectionCode = keyof typeof REJECTIONS;

/** The JSON body of every rejection. */
export interface RejectionBody {
  error: { code: RejectionCode; message: string };
}

/**
 * A request cekit refuses. Thrown inside the pipeline and turned into a 4xx JSON answer at its edge;
 * never reaches user code. `detail` is safe to show to the caller (it never holds secrets).
 */
export class RejectionError extends Error {
  readonly code: RejectionCode;
  readonly status: number;
  readonly detail: string | undefined;

  constructor(code: RejectionCode, detail?: string, options?: { cause?: unknown }) {
    const base = REJECTIONS[code].message;
    super(detail ? `${base} ${detail}` : base, options);
    this.name = 'RejectionError';
    this.code = code;
    this.status = REJECTIONS[code].status;
    this.detail = detail;
  }

  toJSON(): RejectionBody {
    return { error: { code: this.code, message: this.message } };
  }
}

/** A mistake in how cekit was configured, raised at start-up so it never surfaces per request. */
export class ConfigurationError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ConfigurationError';
    this.code = code;
  }
}
