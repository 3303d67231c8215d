/**
 * A deliberately small schema language: each schema is at once a TypeScript type (`Infer<S>`), a
 * runtime validator (`validate`) and a JSON Schema (`toJSONSchema`), so the protocol is written once.
 * The core must stay dependency-free, which rules out Zod and friends at run time.
 */

export type PathSegment = string | number;

/** One validation problem, as data: machine-readable `code`, where it is (`path`), and prose. */
export interface Issue {
  code:
    'invalid_type' | 'invalid_value' | 'missing' | 'too_small' | 'too_big' | 'invalid_format' | 'unknown_key';
  path: PathSegment[];
  message: string;
}

export type JsonSchema = { [key: string]: unknown };

export interface Schema<T> {
  /** Phantom field carrying the static type; never set at run time. */
  readonly __type?: T;
  /** Pushes issues for `value` at `path`; never throws. */
  check(value: unknown, path: PathSegment[], issues: Issue[]): void;
  toJSONSchema(): JsonSchema;
  readonly description?: string;
}

/** Marks a property as optional in `object()`: its key may be absent (or undefined). */
export interface OptionalSchema<T> extends Schema<T | undefined> {
  readonly optional: true;
  readonly inner: Schema<T>;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = {
  [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never;
}[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type InferShape<S extends Shape> = Simplify<
  { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

/** Validates without throwing. Unknown keys are tolerated unless the object schema says otherwise. */
export function validate<T>(schema: Schema<T>, value: unknown): ValidationResult<T> {
  const issues: Issue[] = [];
  schema.check(value, [], issues);
  return issues.length === 0 ? { ok: true, value: value as T } : { ok: false, issues };
}

/** One more segment on a rendered path: `a` + `b` → `a.b`, `a` + 0 → `a[0]`, `''` + `a` → `a`. */
export const appendPath = (path: string, segment: PathSegment): string =>
  typeof segment === 'number' ? `${path}[${segment}]` : path === '' ? segment : `${path}.${segment}`;

/** Renders a path the way users write it: `request.intent.slots.number.value`, `values[0]`. */
export function formatPath(path: readonly PathSegment[]): string {
  return path.reduce<string>(appendPath, '') || '(root)';
}

export function formatIssue(issue: Issue): string {
  return `${formatPath(issue.path)}: ${issue.message}`;
}

const typeName = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

function make<T>(check: Schema<T>['check'], json: () => JsonSchema, description?: string): Schema<T> {
  return {
    check,
    toJSONSchema: () => (description ? { description, ...json() } : json()),
    ...(description ? { description } : {}),
  };
}

export interface StringOptions {
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  format?: string;
  description?: string;
}

export function string(options: StringOptions = {}): Schema<string> {
  return make<string>(
    (value, path, issues) => {
      if (typeof value !== 'string') {
        issues.push({
          code: 'invalid_type',
          path: [...path],
          message: `expected a string, got ${typeName(value)}`,
        });
        return;
      }
      if (options.minLength !== undefined && value.length < options.minLength) {
        issues.push({
          code: 'too_small',
          path: [...path],
          message: `must have at least ${options.minLength} characters`,
        });
      }
      if (options.maxLength !== undefined && value.length > options.maxLength) {
        issues.push({
          code: 'too_big',
          path: [...path],
          message: `must have at most ${options.maxLength} characters`,
        });
      }
      if (options.pattern && !options.pattern.test(value)) {
        issues.push({ code: 'invalid_format', path: [...path], message: `must match ${options.pattern}` });
      }
    },
    () => ({
      type: 'string',
      ...(options.minLength !== undefined ? { minLength: options.minLength } : {}),
      ...(options.maxLength !== undefined ? { maxLength: options.maxLength } : {}),
      ...(options.pattern ? { pattern: options.pattern.source } : {}),
      ...(options.format ? { format: options.format } : {}),
    }),
    options.description,
  );
}

export interface NumberOptions {
  min?: number;
  max?: number;
  integer?: boolean;
  description?: string;
}

export function number(options: NumberOptions = {}): Schema<number> {
  return make<number>(
    (value, path, issues) => {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        issues.push({
          code: 'invalid_type',
          path: [...path],
          message: `expected a number, got ${typeName(value)}`,
        });
        return;
      }
      if (options.integer && !Number.isInteger(value)) {
        issues.push({ code: 'invalid_type', path: [...path], message: 'expected an integer' });
      }
      if (options.min !== undefined && value < options.min) {
        issues.push({ code: 'too_small', path: [...path], message: `must be >= ${options.min}` });
      }
      if (options.max !== undefined && value > options.max) {
        issues.push({ code: 'too_big', path: [...path], message: `must be <= ${options.max}` });
      }
    },
    () => ({
      type: options.integer ? 'integer' : 'number',
      ...(options.min !== undefined ? { minimum: options.min } : {}),
      ...(options.max !== undefined ? { maximum: options.max } : {}),
    }),
    options.description,
  );
}

export const integer = (options: Omit<NumberOptions, 'integer'> = {}) =>
  number({ ...options, integer: true });

export function boolean(description?: string): Schema<boolean> {
  return make<boolean>(
    (value, path, issues) => {
      if (typeof value !== 'boolean') {
        issues.push({
          code: 'invalid_type',
          path: [...path],
          message: `expected a boolean, got ${typeName(value)}`,
        });
      }
    },
    () => ({ type: 'boolean' }),
    description,
  );
}

export function literal<const T extends string | number | boolean | null>(
  expected: T,
  description?: string,
): Schema<T> {
  return make<T>(
    (value, path, issues) => {
      if (value !== expected) {
        issues.push({
          code: 'invalid_value',
          path: [...path],
          message: `expected ${JSON.stringify(expected)}, got ${JSON.stringify(value) ?? 'undefined'}`,
        });
      }
    },
    () => ({ const: expected }),
    description,
  );
}

export function enumOf<const T extends readonly (string | number)[]>(
  values: T,
  description?: string,
): Schema<T[number]> {
  const allowed = new Set<unknown>(values);
  return make<T[number]>(
    (value, path, issues) => {
      if (!allowed.has(value)) {
        const shown =
          values.length <= 12
            ? values.map((v) => JSON.stringify(v)).join(', ')
            : `${values.length} documented values`;
        issues.push({
          code: 'invalid_value',
          path: [...path],
          message: `expected one of ${shown}, got ${JSON.stringify(value) ?? 'undefined'}`,
        });
      }
    },
    () => ({ enum: [...values] }),
    description,
  );
}

export function unknown(description?: string): Schema<unknown> {
  return make<unknown>(
    () => {},
    () => ({}),
    description,
  );
}

export function optional<T>(inner: Schema<T>): OptionalSchema<T> {
  return {
    optional: true,
    inner,
    check(value, path, issues) {
      if (value !== undefined) inner.check(value, path, issues);
    },
    toJSONSchema: () => inner.toJSONSchema(),
    ...(inner.description ? { description: inner.description } : {}),
  };
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return make<T | null>(
    (value, path, issues) => {
      if (value !== null) inner.check(value, path, issues);
    },
    () => ({ anyOf: [inner.toJSONSchema(), { type: 'null' }] }),
    inner.description,
  );
}

export function array<T>(
  item: Schema<T>,
  options: { minItems?: number; maxItems?: number; description?: string } = {},
): Schema<T[]> {
  return make<T[]>(
    (value, path, issues) => {
      if (!Array.isArray(value)) {
        issues.push({
          code: 'invalid_type',
          path: [...path],
          message: `expected an array, got ${typeName(value)}`,
        });
        return;
      }
      if (options.minItems !== undefined && value.length < options.minItems) {
        issues.push({
          code: 'too_small',
          path: [...path],
          message: `must have at least ${options.minItems} items`,
        });
      }
      if (options.maxItems !== undefined && value.length > options.maxItems) {
        issues.push({
          code: 'too_big',
          path: [...path],
          message: `must have at most ${options.maxItems} items`,
        });
      }
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        item.check(value[i], path, issues);
        path.pop();
      }
    },
    () => ({
      type: 'array',
      items: item.toJSONSchema(),
      ...(options.minItems !== undefined ? { minItems: options.minItems } : {}),
      ...(options.maxItems !== undefined ? { maxItems: options.maxItems } : {}),
    }),
    options.description,
  );
}

export interface ObjectOptions {
  /** Refuse keys not in the shape. Default false: real CEK traffic carries undocumented fields. */
  strict?: boolean;
  description?: string;
}

export interface ObjectSchema<S extends Shape> extends Schema<InferShape<S>> {
  readonly shape: S;
}

export function object<S extends Shape>(shape: S, options: ObjectOptions = {}): ObjectSchema<S> {
  const entries = Object.entries(shape);
  const keys = entries.map(([key]) => key);
  const required = entries.map(([, schema]) => !('optional' in schema));
  // An absent optional key is handled below, so a present one goes straight to the inner schema: one
  // call less per field on the hot path.
  const schemas = entries.map(([, schema]) =>
    'optional' in schema ? (schema as OptionalSchema<unknown>).inner : schema,
  );
  return {
    shape,
    ...(options.description ? { description: options.description } : {}),
    check(value, path, issues) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        issues.push({
          code: 'invalid_type',
          path: [...path],
          message: `expected an object, got ${typeName(value)}`,
        });
        return;
      }
      const record = value as Record<string, unknown>;
      // One shared path array, pushed and popped: checks copy it only when they report an issue,
      // so a valid message allocates nothing per field (request validation is on the hot path).
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        const field = record[key];
        if (field === undefined) {
          if (required[i]) issues.push({ code: 'missing', path: [...path, key], message: 'is required' });
          continue;
        }
        path.push(key);
        schemas[i]!.check(field, path, issues);
        path.pop();
      }
      if (options.strict) {
        for (const key of Object.keys(record)) {
          if (!(key in shape))
            issues.push({ code: 'unknown_key', path: [...path, key], message: 'is not allowed here' });
        }
      }
    },
    toJSONSchema() {
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const [key, schema] of entries) {
        properties[key] = schema.toJSONSchema();
        if (!('optional' in schema)) required.push(key);
      }
      return {
        ...(options.description ? { description: options.description } : {}),
        type: 'object',
        properties,
        ...(required.length > 0 ? { required } : {}),
        additionalProperties: !options.strict,
      };
    },
  };
}

export function record<T>(value: Schema<T>, description?: string): Schema<Record<string, T>> {
  return make<Record<string, T>>(
    (input, path, issues) => {
      if (input === null || typeof input !== 'object' || Array.isArray(input)) {
        issues.push({
          code: 'invalid_type',
          path: [...path],
          message: `expected an object, got ${typeName(input)}`,
        });
        return;
      }
      const record = input as Record<string, unknown>;
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        path.push(key);
        value.check(record[key], path, issues);
        path.pop();
      }
    },
    () => ({ type: 'object', additionalProperties: value.toJSONSchema() }),
    description,
  );
}

/** Any of several schemas; reports the issues of the closest candidate (fewest issues). */
export function union<const T extends readonly Schema<unknown>[]>(
  members: T,
  description?: string,
): Schema<Infer<T[number]>> {
  return make<Infer<T[number]>>(
    (value, path, issues) => {
      // Members write straight into `issues` and a failed attempt is truncated away, so a valid
      // value allocates nothing; the closest candidate is only worked out once every member failed.
      const start = issues.length;
      let bestIndex = -1;
      let bestCount = Infinity;
      for (let i = 0; i < members.length; i++) {
        members[i]!.check(value, path, issues);
        const count = issues.length - start;
        issues.length = start;
        if (count === 0) return;
        if (count < bestCount) {
          bestCount = count;
          bestIndex = i;
        }
      }
      if (bestIndex !== -1) members[bestIndex]!.check(value, path, issues);
    },
    () => ({ anyOf: members.map((member) => member.toJSONSchema()) }),
    description,
  );
}

/**
 * A union told apart by one string property (`type`, `name`...). Checks only the matching member,
 * so errors name the right fields, and it costs one lookup instead of trying every member.
 */
export function discriminated<K extends string, const M extends Record<string, ObjectSchema<Shape>>>(
  key: K,
  members: M,
  description?: string,
): Schema<Infer<M[keyof M]>> {
  const names = Object.keys(members);
  return make<Infer<M[keyof M]>>(
    (value, path, issues) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        issues.push({
          code: 'invalid_type',
          path: [...path],
          message: `expected an object, got ${typeName(value)}`,
        });
        return;
      }
      const tag = (value as Record<string, unknown>)[key];
      const member = typeof tag === 'string' && Object.hasOwn(members, tag) ? members[tag] : undefined;
      if (!member) {
        issues.push({
          code: 'invalid_value',
          path: [...path, key],
          message: `expected one of ${names.map((n) => JSON.stringify(n)).join(', ')}, got ${JSON.stringify(tag) ?? 'undefined'}`,
        });
        return;
      }
      member.check(value, path, issues);
    },
    () => ({ oneOf: names.map((name) => members[name]!.toJSONSchema()) }),
    description,
  );
}

/**
 * Refines a schema with an extra rule (cross-field constraints); the rule runs only if the base passed.
 * `jsonSchema` is the same rule written as JSON Schema; it is added to the base's with `allOf`, so the
 * published schema refuses what `rule` refuses. It is required on purpose: a rule without its JSON
 * Schema form would make the runtime check and the published schema disagree
 * (test/custom/schema-agreement.test.ts runs both on one corpus).
 *
 * @example
 * s.refine(lyrics, (v) => (v.data ?? v.url) == null ? { message: 'needs data or url' } : undefined,
 *   { anyOf: [{ required: ['data'] }, { required: ['url'] }] });
 */
export function refine<T>(
  base: Schema<T>,
  rule: (value: T) => { path?: PathSegment[]; message: string } | undefined,
  jsonSchema: JsonSchema,
): Schema<T> {
  return make<T>(
    (value, path, issues) => {
      const before = issues.length;
      base.check(value, path, issues);
      if (issues.length !== before) return;
      const problem = rule(value as T);
      if (problem)
        issues.push({
          code: 'invalid_value',
          path: [...path, ...(problem.path ?? [])],
          message: problem.message,
        });
    },
    () => {
      const json = base.toJSONSchema();
      const allOf = Array.isArray(json.allOf) ? (json.allOf as JsonSchema[]) : [];
      return { ...json, allOf: [...allOf, jsonSchema] };
    },
    base.description,
  );
}

/** Names a schema for JSON Schema output (`$defs`) without changing validation. */
export function describe<T>(schema: Schema<T>, description: string): Schema<T> {
  return { ...schema, description, toJSONSchema: () => ({ description, ...schema.toJSONSchema() }) };
}
