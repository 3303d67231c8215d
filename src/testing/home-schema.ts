import { s, type Issue } from '../schema/index.js';
import { HOME_ACTIONS } from './home-actions.js';

/**
 * Reply checks for Clova Home (spec clova-home-extension.md): the envelope (§1); the pairing rule that
 * a reply to `<Action>Request` is `<Action>Confirmation`, `<Action>Response` or an `…Error`; the
 * payloads whose required fields the spec states: discovery (§3, §6.1: applianceId, applianceTypes,
 * actions named as in §4.3) and the two errors with a payload (§5).
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

const actionNames = HOME_ACTIONS.map((action) => action.name);

const appliance = s.object({
  applianceId: s.string({ minLength: 1 }),
  applianceTypes: s.array(s.string()),
  actions: s.optional(s.array(s.enumOf(actionNames, 'Action names of spec §4.3.'))),
  actionsNeededUserConfirmation: s.optional(s.array(s.string())),
  additionalApplianceDetails: s.optional(s.nullable(s.record(s.unknown()))),
});

const payloads: Record<string, ReturnType<typeof s.object>> = {
  DiscoverAppliancesResponse: s.object({
    discoveredAppliances: s.array(appliance),
    customCommands: s.optional(s.array(s.record(s.unknown()))),
  }),
  ConditionsNotMetError: s.object({ state: s.string() }),
  ValueOutOfRangeError: s.object({ minimumValue: s.number(), maximumValue: s.number() }),
};

export function validateHomeReply(requestName: string, value: unknown): Issue[] {
  const issues: Issue[] = [];
  envelope.check(value, [], issues);
  if (issues.length > 0) return issues;
  const { header, payload } = value as { header: { name: string }; payload: unknown };
  const action = requestName.replace(/Request$/, '');
  const expected = [`${action}Confirmation`, `${action}Response`];
  if (!expected.includes(header.name) && !header.name.endsWith('Error')) {
    issues.push({
      code: 'invalid_value',
      path: ['header', 'name'],
      message: `"${header.name}" does not answer ${requestName} (expected ${expected.join(' or ')} or an …Error)`,
    });
  }
  payloads[header.name]?.check(payload, ['payload'], issues);
  return issues;
}
