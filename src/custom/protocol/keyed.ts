import type { Issue, JsonSchema, PathSegment, Schema } from '../../schema/schema.js';

/**
 * A union told apart by a key computed from the value (directives by `header.namespace` +
 * `header.name`, events by `namespace` + `name`). `s.discriminated` only looks at one top-level
 * property, which these protocol shapes do not have. Unknown keys go to `other` when given, else
 * they are an issue at `keyPath`.
 */
export function keyed<M extends Record<string, Schema<unknown>>, O = never, X = never>(options: {
  keyOf: (value: Record<string, unknown>) => string | undefined;
  keyPath: readonly PathSegment[];
  members: M;
  other?: Schema<O>;
  /**
   * Run-time only: an unknown key that `accepts` lets through is checked against `schema` instead of
   * refused. Not part of the JSON Schema, which describes the documented protocol (directives the
   * user registered explicitly, see `CustomDirectives`).
   */
  extra?: {
    accepts: (value: Record<string, unknown>, key: string | undefined) => boolean;
    schema: Schema<X>;
  };
  /** JSON Schema that matches exactly the values whose key is `key` (the `if` of an if/then). */
  keyJsonSchema: (key: string) => JsonSchema;
  /** What a member looks like in prose, for the error message ("directive", "event"). */
  noun: string;
  description?: string;
}): Schema<{ [K in keyof M]: M[K] extends Schema<infer T> ? T : never }[keyof M] | O | X> {
  const { keyOf, keyPath, members, other, extra, noun } = options;
  const names = Object.keys(members);
  return {
    ...(options.description ? { description: options.description } : {}),
    check(value: unknown, path: PathSegment[], issues: Issue[]) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        issues.push({
          code: 'invalid_type',
          path: [...path],
          message: `expected an object, got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`,
        });
        return;
      }
      const key = keyOf(value as Record<string, unknown>);
      const member = key !== undefined && Object.hasOwn(members, key) ? members[key] : undefined;
      if (member) return member.check(value, path, issues);
      if (extra?.accepts(value as Record<string, unknown>, key))
        return extra.schema.check(value, path, issues);
      if (other) return other.check(value, path, issues);
      issues.push({
        code: 'invalid_value',
        path: [...path, ...keyPath],
        message: `unknown ${noun} ${JSON.stringify(key ?? null)}; expected one of ${names.join(', ')}`,
      });
    },
    toJSONSchema(): JsonSchema {
      const description = options.description ? { description: options.description } : {};
      if (!other) return { ...description, anyOf: names.map((name) => members[name]!.toJSONSchema()) };
      // With a catch-all, `anyOf` would let a known key with a bad body pass as "other": instead the
      // base shape is `other`, and each known key adds its own rules through if/then.
      return {
        ...description,
        ...other.toJSONSchema(),
        allOf: names.map((name) => ({
          if: options.keyJsonSchema(name),
          then: members[name]!.toJSONSchema(),
        })),
      };
    },
  };
}
