import { RejectionError } from '../../core/errors.js';
import { formatIssue, validate, type Issue, type ValidationResult } from '../../schema/index.js';
import { customRequestSchema, type CustomRequest } from './request.js';
import { customResponseSchema, customResponseSchemaAccepting, type CustomResponse } from './response.js';

/** Issues found in a request; empty when it is usable. */
export function checkCustomRequest(value: unknown): Issue[] {
  const issues: Issue[] = [];
  customRequestSchema.check(value, [], issues);
  return issues;
}

/**
 * Returns the message typed as a `CustomRequest`, or throws the 400 `INVALID_MESSAGE` rejection whose
 * detail names the first offending field (`request.intent.name: is required`). Runs before any handler.
 */
export function parseCustomRequest(value: unknown): CustomRequest {
  const issues = checkCustomRequest(value);
  if (issues.length > 0) throw new RejectionError('INVALID_MESSAGE', formatIssue(issues[0]!));
  return value as CustomRequest;
}

export interface ResponseValidationOptions {
  /**
   * Undocumented directive names to accept (`['Partner.ShowCoupon']`), for responses that went
   * through JSON (the simulator, a test reading an HTTP answer). Only their `{ header, payload }`
   * envelope is checked. Directives built with `ctx.directive()` under a name declared in
   * `CustomDirectives` are accepted without this option.
   */
  directives?: readonly string[];
}

let accepting: { key: string; schema: ReturnType<typeof customResponseSchemaAccepting> } | undefined;

/** Validates a response as CEK documents it (spec §4); used by tests, the simulator and the audit. */
export function validateCustomResponse(
  value: unknown,
  options?: ResponseValidationOptions,
): ValidationResult<CustomResponse> {
  const names = options?.directives;
  if (names === undefined || names.length === 0) return validate<CustomResponse>(customResponseSchema, value);
  const key = names.join('\n');
  if (accepting?.key !== key) accepting = { key, schema: customResponseSchemaAccepting(names) };
  return validate<CustomResponse>(accepting.schema, value);
}
