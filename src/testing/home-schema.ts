import type { Issue } from '../schema/index.js';
// The cekit/home modules themselves, not its index: the testing kit needs no Home framework.
import { homeEnvelope, homePayloads, validateHomeMessage } from '../home/messages.js';
import { INTERFACES } from '../home/catalog/index.js';

/**
 * Reply checks for Clova Home (spec clova-home-extension.md), on the cekit/home schemas generated from
 * the spec tables: the envelope (§1) and the payload of every known message, the pairing of a request
 * with its reply (§4.3, or an `…Error` of §5). Discovery's action names (§6.1) are §4.3's enum in the schema.
 */

/** `TurnOnRequest` → `TurnOnConfirmation`, from the catalog; discovery is not an interface there. */
const REPLY_TO = new Map<string, string>([
  ['DiscoverAppliancesRequest', 'DiscoverAppliancesResponse'],
  ['DiscoverScenesRequest', 'DiscoverScenesResponse'],
  ...INTERFACES.map((entry): [string, string] => [entry.request, entry.reply]),
]);

export function validateHomeReply(requestName: string, value: unknown): Issue[] {
  const issues: Issue[] = [];
  homeEnvelope.check(value, [], issues);
  if (issues.length > 0) return issues;
  const { header } = value as { header: { name: string } };
  // A request the catalog does not know (sent with `sendHome`) gets the naming rule of §4.3.
  const action = requestName.replace(/Request$/, '');
  const reply = REPLY_TO.get(requestName);
  const expected = reply ? [reply] : [`${action}Confirmation`, `${action}Response`];
  const known = Object.hasOwn(homePayloads, header.name);
  if (!expected.includes(header.name) && !header.name.endsWith('Error')) {
    issues.push({
      code: 'invalid_value',
      path: ['header', 'name'],
      message:
        `expected ${expected.join(' or ')} or an …Error in reply to ${requestName}, got "${header.name}"` +
        (known ? '' : ' (not a Clova Home message)'),
    });
    // One issue per mistake: an unknown name would be reported again below, and has no payload schema.
    if (!known) return issues;
  }
  issues.push(...validateHomeMessage(value));
  return issues;
}
