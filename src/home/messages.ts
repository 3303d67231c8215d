import { s, type Infer, type Issue, type Schema } from '../schema/index.js';
import type { INTERFACES } from './catalog/index.js';
import { actionName, errorPayloads, interfacePayloads, valueObjects } from './generated/payloads.js';

/** Envelope of every Clova Home message, spec clova-home-extension.md §1. */
export const homeHeader = s.object({
  messageId: s.string({ minLength: 1 }),
  name: s.string({ minLength: 1 }),
  namespace: s.literal('ClovaHome'),
  payloadVersion: s.string(),
});
export const homeEnvelope = s.object({ header: homeHeader, payload: s.record(s.unknown()) });
export type HomeHeader = Infer<typeof homeHeader>;

/**
 * KR `additionalApplianceDetails.actionDetails[]` (§6.1): value constraints CLOVA checks before forwarding
 * a request. `enumValues` lists the allowed values of a `string`/`number` constraint; `minValue`/`maxValue`
 * bound a `boundedNumber` one (inclusive).
 */
export const actionDetail = s.object({
  action: actionName,
  allowableValue: s.object({
    type: s.enumOf(['string', 'number', 'boundedNumber']),
    enumValues: s.optional(s.union([s.array(s.string()), s.array(s.number())])),
    minValue: s.optional(s.number()),
    maxValue: s.optional(s.number()),
  }),
});

/** Full ApplianceInfoObject as sent in discovery (§6.1). */
export const applianceInfo = s.object({
  applianceId: s.string({ minLength: 1 }),
  applianceTypes: s.array(s.string()),
  // §6.1: names from §4.3's "Action" column; CLOVA refuses a user's request for an action not listed here.
  actions: s.optional(s.array(actionName)),
  actionsNeededUserConfirmation: s.optional(s.array(actionName)),
  // Free-form maker data (echoed back in requests), with one structured member in KR.
  additionalApplianceDetails: s.optional(
    s.nullable(s.object({ actionDetails: s.optional(s.array(actionDetail)) })),
  ),
  friendlyName: s.optional(s.string()),
  friendlyDescription: s.optional(s.string()),
  isIr: s.optional(s.boolean()),
  isReachable: s.optional(s.boolean()),
  manufacturerName: s.optional(s.string()),
  modelName: s.optional(s.string()),
  version: s.optional(s.string()),
  location: s.optional(s.string()),
  // A KR console transcript sends `null` (§6.1).
  tags: s.optional(s.nullable(s.array(s.string()))),
});
export type ApplianceInfo = Infer<typeof applianceInfo>;

/** Discovery payloads (§3). `customCommands` is required by the tables but omitted in examples (§8 #6). */
export const discoveryPayloads = {
  DiscoverAppliancesRequest: s.object({ accessToken: s.string() }),
  DiscoverAppliancesResponse: s.object({
    discoveredAppliances: s.array(applianceInfo),
    customCommands: s.optional(s.array(valueObjects.CustomCommandInfoObject)),
  }),
  DiscoverScenesRequest: s.object({ accessToken: s.string() }),
  DiscoverScenesResponse: s.object({ discoveredScenes: s.array(valueObjects.SceneInfoObject) }),
};

/** Every payload schema by message name: discovery, the 87 interfaces' requests and replies, the 14 errors. */
export const homePayloads = { ...discoveryPayloads, ...interfacePayloads, ...errorPayloads };
export type HomeMessageName = keyof typeof homePayloads;
export type HomePayload<N extends HomeMessageName> = Infer<(typeof homePayloads)[N]>;

const payloadByName: ReadonlyMap<string, Schema<unknown>> = new Map(Object.entries(homePayloads));

/** Names of the 87 control/query actions (§4.3 "Action" column). */
export type HomeAction = (typeof INTERFACES)[number]['action'];

/**
 * Validates a whole Clova Home message: the envelope, then the payload schema for `header.name`.
 * An unknown name is reported at `header.name`.
 */
export function validateHomeMessage(message: unknown): Issue[] {
  const issues: Issue[] = [];
  homeEnvelope.check(message, [], issues);
  if (issues.length > 0) return issues;
  const { header, payload } = message as { header: HomeHeader; payload: unknown };
  const schema = payloadByName.get(header.name);
  if (!schema) {
    issues.push({
      code: 'invalid_value',
      path: ['header', 'name'],
      message: `"${header.name}" is not a Clova Home message name`,
    });
    return issues;
  }
  schema.check(payload, ['payload'], issues);
  return issues;
}

/** A Clova Home message: the header (`name` = `N`) and its typed payload. */
export interface HomeMessage<N extends HomeMessageName = HomeMessageName> {
  header: HomeHeader & { name: N };
  payload: HomePayload<N>;
}

/**
 * Builds a message envelope with a fresh UUID `messageId` (spec §1: the reply rule is not specified;
 * the reference examples use fresh UUIDs). Used for replies and, by simulators, for requests.
 */
export function homeMessage<N extends HomeMessageName>(name: N, payload: HomePayload<N>): HomeMessage<N> {
  return {
    header: { messageId: crypto.randomUUID(), name, namespace: 'ClovaHome', payloadVersion: '1.0' },
    payload,
  };
}

/**
 * Builds a valid request for an action (`homeRequest('TurnOn', { accessToken, appliance: { applianceId } })`).
 * Throws when the payload does not validate against the generated schema.
 */
export function homeRequest<A extends HomeAction>(
  action: A,
  payload: HomePayload<`${A}Request` & HomeMessageName>,
): HomeMessage<`${A}Request` & HomeMessageName> {
  const message = homeMessage(`${action}Request` as `${A}Request` & HomeMessageName, payload);
  const issues = validateHomeMessage(message);
  if (issues.length > 0) {
    throw new TypeError(`homeRequest('${action}'): ${issues.map((issue) => issue.message).join('; ')}`);
  }
  return message;
}
