/**
 * AWS Lambda adapter: one handler for API Gateway REST APIs (payload v1), HTTP APIs (v2), Lambda
 * function URLs (v2 shape), Application Load Balancer targets and, only when explicitly enabled,
 * direct invocations. The event shapes are
 * declared here structurally, so neither `aws-lambda` types nor any AWS SDK are needed.
 *
 * ```ts
 * import { toLambdaHandler } from 'cekit/lambda';
 * export const handler = toLambdaHandler(app);
 * ```
 * @module
 */
import { toEndpoint, type EndpointSource, type RawRequest, type RawResponse } from '../core/endpoint.js';
import { RejectionError, type RejectionBody } from '../core/errors.js';
import type { HeaderRecord, HeaderSource } from '../core/headers.js';
import { resolveLogger, type Logger } from '../core/logger.js';
import { messageKind } from '../core/message-kind.js';
import type { RequestVerifier } from '../verify/verifier.js';
import { rejectionResponse } from './raw-body.js';
import { STATUS_CODES } from './status-text.js';

export type { EndpointSource } from '../core/endpoint.js';

/**
 * API Gateway REST API proxy event (payload format 1.0), the fields cekit reads. Application Load
 * Balancer events have the same shape, plus `requestContext.elb`.
 */
export interface ApiGatewayV1Event {
  httpMethod: string;
  requestContext?: { elb?: unknown } | null;
  headers?: Record<string, string | undefined> | null;
  /** Every value of every header; present on REST APIs and preferred, so duplicates are seen. */
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

/** HTTP API (payload format 2.0) and Lambda function URL event, the fields cekit reads. */
export interface ApiGatewayV2Event {
  version: '2.0';
  requestContext: { http: { method: string } };
  /** Lower-cased names; repeated headers joined with commas. */
  headers?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

/** A CEK message handed straight to the function (`lambda:InvokeFunction`), with no HTTP around it. */
export type DirectInvocationEvent = Record<string, unknown>;

/** Every event {@link toLambdaHandler} accepts; the shape is recognised at run time. */
export type LambdaEvent = ApiGatewayV1Event | ApiGatewayV2Event | DirectInvocationEvent;

/**
 * The proxy result API Gateway (v1 and v2), function URLs and load balancers expect. Load balancers
 * also get `statusDescription`, and `multiValueHeaders` instead of `headers` when the target group
 * has multi-value headers on (the event then carries `multiValueHeaders` only).
 */
export interface LambdaHttpResult {
  statusCode: number;
  statusDescription?: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: false;
}

/** Options of {@link toLambdaHandler}. */
export interface LambdaAdapterOptions {
  /**
   * Where direct invocations go. A direct invocation carries no `SignatureCEK` header, so the normal
   * endpoint cannot verify it and refuses it (`SIGNATURE_MISSING`). To accept callers that AWS IAM
   * already authorised, pass a second endpoint built with {@link directInvocationVerifier}; the
   * applicationId check and every other check still apply.
   */
  directInvocation?: EndpointSource;
  /** Where the adapter reports refused direct invocations (once). Default: console. */
  logger?: Logger;
}

/**
 * The Lambda handler. HTTP events get an HTTP proxy result; a direct invocation gets the response
 * message itself (or a `{ error: { code, message } }` object when refused).
 */
export type LambdaHandler = (
  event: LambdaEvent,
  context?: unknown,
) => Promise<LambdaHttpResult | Record<string, unknown>>;

/**
 * Serves a CEK endpoint (or an extension) from AWS Lambda. The body is taken exactly as the event
 * carries it (decoded from base64 when `isBase64Encoded`), headers are matched in any case, and the
 * answers are the core's, status for status.
 */
export function toLambdaHandler(source: EndpointSource, options: LambdaAdapterOptions = {}): LambdaHandler {
  const endpoint = toEndpoint(source);
  const direct = options.directInvocation === undefined ? undefined : toEndpoint(options.directInvocation);
  const logger = resolveLogger(options.logger);
  let refusedLogged = false;

  return async (event) => {
    const receivedAt = performance.now();
    const request = httpRequestOf(event, receivedAt);
    if (request !== undefined) return toResult(await endpoint.handle(request), event);
    if (isDirectInvocation(event)) {
      if (direct === undefined) {
        if (!refusedLogged) {
          refusedLogged = true;
          logger.warn(
            'cekit: refused a direct Lambda invocation: it carries no SignatureCEK. Put API Gateway or a ' +
              'function URL in front, or pass `directInvocation` (see directInvocationVerifier in cekit/lambda).',
          );
        }
        return refusal('SIGNATURE_MISSING', 'Direct Lambda invocations are not accepted by this function.');
      }
      const answer = await direct.handle({
        method: 'POST',
        headers: DIRECT_INVOCATION_HEADERS,
        body: Buffer.from(JSON.stringify(event), 'utf8'),
      });
      return JSON.parse(answer.body) as Record<string, unknown>;
    }
    return refusal('INVALID_MESSAGE', 'The Lambda event is neither an HTTP event nor a CEK message.');
  };
}

/**
 * A verifier for the direct-invocation endpoint: it accepts only requests the Lambda adapter built
 * from a direct invocation (recognised by identity, which no HTTP request can forge), because for
 * those AWS IAM (`lambda:InvokeFunction`) has already decided who may call. Any other request,
 * e.g. if this endpoint were ever served over HTTP by mistake, is refused.
 */
export function directInvocationVerifier(): RequestVerifier {
  return {
    scheme: 'aws-lambda-invoke',
    verify(_body, headers) {
      if (headers !== DIRECT_INVOCATION_HEADERS) {
        throw new RejectionError(
          'SIGNATURE_MISSING',
          'This endpoint only accepts direct Lambda invocations.',
        );
      }
    },
  };
}

/** The only headers object a direct invocation is handled with; compared by identity. */
const DIRECT_INVOCATION_HEADERS: HeaderSource = Object.freeze({ 'content-type': 'application/json' });

const EMPTY = new Uint8Array(0);

function httpRequestOf(event: LambdaEvent, receivedAt: number): RawRequest | undefined {
  if (event === null || typeof event !== 'object') return undefined;
  let method: string;
  let headers: HeaderRecord;
  if (isV2(event)) {
    method = event.requestContext.http.method;
    headers = event.headers ?? {};
  } else if (typeof event.httpMethod === 'string') {
    const v1 = event as ApiGatewayV1Event;
    method = v1.httpMethod;
    headers = v1.multiValueHeaders ?? v1.headers ?? {};
  } else {
    return undefined;
  }
  const { body, isBase64Encoded } = event as { body?: string | null; isBase64Encoded?: boolean };
  return {
    method,
    headers,
    body: typeof body === 'string' ? Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8') : EMPTY,
    receivedAt,
  };
}

function isV2(event: LambdaEvent): event is ApiGatewayV2Event {
  const v2 = event as Partial<ApiGatewayV2Event>;
  return v2.version === '2.0' && typeof v2.requestContext?.http?.method === 'string';
}

/** No HTTP envelope, but a CEK message (Custom or Clova Home) as the event itself. */
function isDirectInvocation(event: LambdaEvent): event is DirectInvocationEvent {
  return (
    event !== null && typeof event === 'object' && messageKind(event as DirectInvocationEvent) !== undefined
  );
}

function toResult(response: RawResponse, event: LambdaEvent): LambdaHttpResult {
  const { status, headers, body } = response;
  const elb = (event as ApiGatewayV1Event).requestContext?.elb;
  if (elb === undefined || elb === null) return { statusCode: status, headers, body, isBase64Encoded: false };
  // A load balancer answers with the status line text it is given, and reads only the header form
  // its target group uses (AWS ELB docs, "Lambda functions as targets").
  const statusDescription = `${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
  if ((event as ApiGatewayV1Event).multiValueHeaders) {
    const multiValueHeaders: Record<string, string[]> = {};
    for (const name in headers) multiValueHeaders[name] = [headers[name]!];
    return { statusCode: status, statusDescription, multiValueHeaders, body, isBase64Encoded: false };
  }
  return { statusCode: status, statusDescription, headers, body, isBase64Encoded: false };
}

function refusal(
  code: 'SIGNATURE_MISSING' | 'INVALID_MESSAGE',
  detail: string,
): RejectionBody & Record<string, unknown> {
  return JSON.parse(rejectionResponse(code, detail).body) as RejectionBody & Record<string, unknown>;
}
