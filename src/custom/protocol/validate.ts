import { RejectionError } from '../../core/errors.js';
import { formatIssue, validate, type Issue } from '../../schema/index.js';
import { customRequestSchema, type CustomRequest } from './request.js';
import { customResponseSchema, type CustomResponse } from './response.js';

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

/** Validates a response as CEK documents it (spec §4); used by tests, the simulator and the audit. */
export function validateCustomResponse(value: unknown) {
  return validate<CustomResponse>(customResponseSchema, value);
}
