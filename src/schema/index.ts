export * as s from './schema.js';
export {
  validate,
  formatIssue,
  formatPath,
  type Schema,
  type Infer,
  type Issue,
  type JsonSchema,
  type ValidationResult,
} from './schema.js';
