import { s, type Issue } from '../schema/index.js';

/**
 * Reply checks for Clova Home (spec clova-home-extension.md §1): the envelope, and the pairing rule
 * that a reply to `<Action>Request` is `<Action>Confirmation`, `<Action>Response` or an `…Error`.
 */
const envelope = s.object({
  header: s.object({
    messageId: s.string({ minLength: 1 }),
    name: s.string({ minLength: 1 }),
    namespace: s.literal('ClovaHome'),
    payloadVersion: s.string(),
  }),
  payload: s.record(s.unknown()),
});

export function validateHomeReply(requestName: string, value: unknown): Issue[] {
  const issues: Issue[] = [];
  envelope.check(value, [], issues);
  if (issues.length > 0) return issues;
  const name = (value as { header: { name: string } }).header.name;
  const action = requestName.replace(/Request$/, '');
  const expected = [`${action}Confirmation`, `${action}Response`];
  if (!expected.includes(name) && !name.endsWith('Error')) {
    issues.push({
      code: 'invalid_value',
      path: ['header', 'name'],
      message: `"${name}" does not answer ${requestName} (expected ${expected.join(' or ')} or an …Error)`,
    });
  }
  return issues;
}
