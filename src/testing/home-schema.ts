import { s, type Issue } from '../schema/index.js';
// The cekit/home modules themselves, not its index: the testing kit needs no Home framework.
import { homeEnvelope, validateHomeMessage } from '../home/messages.js';
import { ACTION_NAMES } from '../home/generated/payloads.js';
import { INTERFACES } from '../home/catalog/index.js';

/**
 * Reply checks for Clova Home (spec clova-home-extension.md), on the cekit/home schemas generated from
 * the spec tables: the envelope (§1) and the payload of every known message, the pairing of a request
 * with its reply (§4.3, or an `…Error` of §5), and discovery's action names (§6.1 names them as in §4.3).
 */

/** `TurnOnRequest` → `TurnOnConfirmation`, from the catalog; discovery is not an interface there. */
const REPLY_TO = new Map<string, string>([
  ['DiscoverAppliancesRequest', 'DiscoverAppliancesResponse'],
  ['DiscoverScenesRequest', 'DiscoverScenesResponse'],
  ...INTERFACES.map((entry): [string, string] => [entry.request, entry.reply]),
]);

// The generated discovery schema takes any string as an action; the spec allows only §4.3's names.
const actionList = s.array(s.enumOf(ACTION_NAMES, 'Action names of spec §4.3.'));

export function validateHomeReply(requestName: string, value: unknown): Issue[] {
  const issues: Issue[] = [];
  homeEnvelope.check(value, [], issues);
  if (issues.length > 0) return issues;
  const { header, payload } = value as { header: { name: string }; payload: Record<string, unknown> };
  // A request the catalog does not know (sent with `sendHome`) gets the naming rule of §4.3.
  const action = requestName.replace(/Request$/, '');
  const known = REPLY_TO.get(requestName);
  const expected = known ? [known] : [`${action}Confirmation`, `${action}Response`];
  if (!expected.includes(header.name) && !header.name.endsWith('Error')) {
    issues.push({
      code: 'invalid_value',
      path: ['header', 'name'],
      message: `"${header.name}" does not answer ${requestName} (expected ${expected.join(' or ')} or an …Error)`,
    });
  }
  issues.push(...validateHomeMessage(value));
  if (header.name === 'DiscoverAppliancesResponse' && Array.isArray(payload.discoveredAppliances)) {
    payload.discoveredAppliances.forEach((appliance: unknown, index) => {
      // Anything but an array of actions was already reported by the schema.
      const actions = (appliance as { actions?: unknown } | null)?.actions;
      if (Array.isArray(actions))
        actionList.check(actions, ['payload', 'discoveredAppliances', index, 'actions'], issues);
    });
  }
  return issues;
}
