/**
 * Shapes of the Clova Home catalog: plain data transcribed from the spec tables
 * (spec clova-home-extension.md §4–§6). The generator (scripts/generate-home.ts) turns it into schemas.
 */

/** `R` required, `O` optional, `C` conditional; region-split values are kept verbatim (e.g. `JP O / KR C`). */
export type Presence = string;

export interface FieldEntry {
  /** Payload key; a dotted name (`previousState.brightness`) is a member of the object named before the dot. */
  readonly name: string;
  /** `string`, `number`, `boolean`, `object`, a value-object name, or a region-split text from the table. */
  readonly type: string;
  readonly presence: Presence;
  readonly array?: boolean;
  /** `JP only` / `KR only` when the field exists in one region's documents. */
  readonly regions?: string;
  /** Allowed strings, for enum-typed value-object fields. */
  readonly enum?: readonly string[];
  /**
   * A second shape the spec says to accept ("accept both", §4.4 notes) because a documented example
   * sends it. Validation accepts it; the TypeScript type and cekit's own output stay the documented
   * `type`, and the Home framework rewrites a request field to that form before a handler sees it.
   */
  readonly alsoAccepts?: AlternativeShape;
}

/**
 * The example shapes the spec accepts besides the documented one: a bare `string` where a value object
 * is documented (`"mode": "sleep"`), `{ value: string }` where a string is documented, and
 * `{ value: "3" }` (a numeric string) where `{ value: 3 }` is documented.
 */
export type AlternativeShape = 'string' | '{ value: string }' | '{ value: numeric string }';

export interface InterfaceEntry {
  /** Action name as used in discovery `actions[]` (§4.3 "Action" column). */
  readonly action: string;
  readonly category: 'Action' | 'Incremental' | 'Info query' | 'Switching' | 'Value-setting' | string;
  readonly request: string;
  readonly reply: string;
  /** Which region's documents describe the interface. */
  readonly docs: readonly string[];
  /** Action-specific request fields (the common `accessToken` and `appliance` are implied, §4.2). */
  readonly requestFields: readonly FieldEntry[];
  readonly replyFields: readonly FieldEntry[];
}

export interface ErrorEntry {
  readonly name: string;
  readonly docs: string;
  readonly when: string;
}

export interface ApplianceTypeEntry {
  readonly type: string;
  readonly device: string;
  /** Allowed actions in the JP 2020 documents; `null` when the type does not exist in JP. */
  readonly jp: readonly string[] | null;
  readonly kr: readonly string[] | null;
  /** Operation modes (§6.4) per region; empty when none are documented. */
  readonly modes: { readonly jp: readonly string[]; readonly kr: readonly string[] };
}

export interface ValueObjectEntry {
  readonly name: string;
  readonly fields: readonly FieldEntry[];
}

export interface LocationEntry {
  readonly code: string;
  readonly place: string;
  readonly jp: boolean;
  readonly kr: boolean;
}
