import { describe, expect, expectTypeOf, it } from 'vitest';
import { formatIssue, s, validate, type Infer } from '../../src/schema/index.js';

const Slot = s.object({ name: s.string(), value: s.optional(s.string()), unit: s.optional(s.string()) });
const Request = s.discriminated('type', {
  LaunchRequest: s.object({ type: s.literal('LaunchRequest') }),
  IntentRequest: s.object({
    type: s.literal('IntentRequest'),
    intent: s.object({ name: s.string(), slots: s.optional(s.nullable(s.record(Slot))) }),
  }),
});

describe('schema language', () => {
  it('derives the static type', () => {
    type R = Infer<typeof Request>;
    expectTypeOf<Extract<R, { type: 'IntentRequest' }>['intent']['name']>().toEqualTypeOf<string>();
    expectTypeOf<Infer<typeof Slot>>().toEqualTypeOf<{
      name: string;
      value?: string | undefined;
      unit?: string | undefined;
    }>();
  });

  it('accepts valid values and tolerates unknown keys', () => {
    expect(
      validate(Request, { type: 'IntentRequest', intent: { name: 'A', slots: null }, extra: 1 }).ok,
    ).toBe(true);
  });

  it('names the failing field', () => {
    const result = validate(Request, { type: 'IntentRequest', intent: { slots: { n: { name: 3 } } } });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map(formatIssue)).toEqual([
        'intent.name: is required',
        'intent.slots.n.name: expected a string, got number',
      ]);
    }
  });

  it('refuses unknown discriminants and unknown keys in strict objects', () => {
    const strict = s.object({ a: s.number() }, { strict: true });
    expect(validate(strict, { a: 1, b: 2 }).ok).toBe(false);
    const bad = validate(Request, { type: 'Nope' });
    expect(bad.ok || bad.issues[0]?.path).toEqual(['type']);
  });

  it('emits JSON Schema from the same definition', () => {
    expect(Slot.toJSONSchema()).toEqual({
      type: 'object',
      properties: { name: { type: 'string' }, value: { type: 'string' }, unit: { type: 'string' } },
      required: ['name'],
      additionalProperties: true,
    });
  });

  it('s.refine carries its rule into the JSON Schema (allOf), next to any the base has', () => {
    const range = s.refine(
      s.object({ from: s.number(), to: s.number() }),
      (value) => (value.from <= value.to ? undefined : { path: ['to'], message: 'must be >= from' }),
      { not: { required: ['never'] } },
    );
    expect(validate(range, { from: 2, to: 1 })).toEqual({
      ok: false,
      issues: [{ code: 'invalid_value', path: ['to'], message: 'must be >= from' }],
    });
    expect(range.toJSONSchema().allOf).toEqual([{ not: { required: ['never'] } }]);
    const twice = s.refine(range, () => undefined, { required: ['from'] });
    expect(twice.toJSONSchema().allOf).toEqual([{ not: { required: ['never'] } }, { required: ['from'] }]);
    // @ts-expect-error -- a refinement without its JSON Schema form would make the two disagree
    s.refine(s.string(), () => undefined);
  });
});
