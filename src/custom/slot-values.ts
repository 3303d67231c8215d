/**
 * Parsers for the values of CLOVA built-in slot types (spec interaction-model.md §4). Each takes the
 * slot's `value` as sent and returns a useful value, or `undefined` when the text is not in the
 * documented format, so a handler can re-ask instead of crashing.
 */

/** `TIME` (`hh:mm:ss`). `24:00:00` occurs as the end of day periods (午後, 夜). */
export interface TimeOfDay {
  readonly type: 'TIME';
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Seconds since midnight. */
  readonly secondOfDay: number;
  readonly text: string;
}

/** `DATE` (`YYYY-MM-DD`), a calendar day with no time zone. */
export interface CalendarDate {
  readonly type: 'DATE';
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly text: string;
}

/** `DATETIME` (`YYYY-MM-DDThh:mm:ss±hh:mm`): an instant, with the offset CLOVA resolved it in. */
export interface DateTimeValue {
  readonly type: 'DATETIME';
  readonly date: Date;
  /** The UTC offset as sent, e.g. `+09:00`. */
  readonly offset: string;
  readonly text: string;
}

export type PointInTime = TimeOfDay | CalendarDate | DateTimeValue;

export interface Interval<T extends PointInTime = PointInTime> {
  readonly type: `${T['type']}.INTERVAL`;
  readonly start: T;
  readonly end: T;
  readonly text: string;
}

/** What a `CLOVA.DATETIME` / `CLOVA.DATETIME_RECENT` slot holds, told apart by `type` (= valueType). */
export type DateTimeSlotValue =
  PointInTime | Interval<TimeOfDay> | Interval<CalendarDate> | Interval<DateTimeValue>;

/** `CLOVA.DURATION`: ISO 8601 duration `PnYnMnWnDTnHnMnS`. */
export interface Duration {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  /** Total length in seconds; `undefined` when it has years or months, which have no fixed length. */
  readonly totalSeconds: number | undefined;
  readonly text: string;
}

/** Number with an optional unit (`CLOVA.NUMBER`, `CLOVA.MONEY` (ISO 4217 unit), `CLOVA.LENGTH`...). */
export interface Amount {
  readonly value: number;
  readonly unit: string | undefined;
}

const TIME = /^(\d{2}):(\d{2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3})\d*)?(Z|([+-])(\d{2}):(\d{2}))$/;
const DURATION =
  /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseTime(text: string): TimeOfDay | undefined {
  const match = TIME.exec(text);
  if (!match) return undefined;
  const [hour, minute, second] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const secondOfDay = hour * 3600 + minute * 60 + second;
  if (minute > 59 || second > 59 || secondOfDay > 24 * 3600) return undefined;
  return { type: 'TIME', hour, minute, second, secondOfDay, text };
}

export function parseDate(text: string): CalendarDate | undefined {
  const match = DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { type: 'DATE', year, month, day, text };
}

export function parseDateTime(text: string): DateTimeValue | undefined {
  if (!DATETIME.test(text)) return undefined;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  // The engine's ISO parser rolls 2018-02-30 over into March: refuse impossible days like parseDate,
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (Number(text.slice(11, 13)) > 23) return undefined; // and 24:00:00 into the next day
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return undefined;
  const offset = text.endsWith('Z') ? '+00:00' : text.slice(-6);
  return { type: 'DATETIME', date, offset, text };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function parsePoint(text: string): PointInTime | undefined {
  return parseDateTime(text) ?? parseDate(text) ?? parseTime(text);
}

/**
 * Parses any `CLOVA.DATETIME` value. The shape is read from the text itself, so a value whose
 * `valueType` is mislabelled (the JP reference has one, spec interaction-model.md §4.3) still parses;
 * an interval whose two ends have different shapes is refused.
 */
export function parseDateTimeSlot(text: string): DateTimeSlotValue | undefined {
  const slash = text.indexOf('/');
  if (slash === -1) return parsePoint(text);
  const start = parsePoint(text.slice(0, slash));
  const end = parsePoint(text.slice(slash + 1));
  if (!start || !end || start.type !== end.type) return undefined;
  return { type: `${start.type}.INTERVAL`, start, end, text } as DateTimeSlotValue;
}

export function parseDuration(text: string): Duration | undefined {
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [years, months, weeks, days, hours, minutes, seconds] = match
    .slice(1)
    .map((part) => (part === undefined ? 0 : Number(part))) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const totalSeconds =
    years === 0 && months === 0
      ? ((weeks * 7 + days) * 24 + hours) * 3600 + minutes * 60 + seconds
      : undefined;
  return { years, months, weeks, days, hours, minutes, seconds, totalSeconds, text };
}

const FULL_WIDTH_DIGITS = /[０-９．－]/g;
const PLAIN_NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * Numbers as CLOVA sends them: digit strings (`"01234567"`), decimals, negatives, or JSON numbers
 * (SDK-Node fixtures). Full-width digits are folded in case a custom slot passes them through.
 */
export function parseNumber(value: string | number | null | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  if (PLAIN_NUMBER.test(value)) return Number(value); // what CLOVA sends: digits, no folding needed
  const text = value
    .replace(FULL_WIDTH_DIGITS, (char) =>
      char === '．' ? '.' : char === '－' ? '-' : String.fromCharCode(char.charCodeAt(0) - 0xfee0),
    )
    .replace(/[\s,]/g, '');
  if (!PLAIN_NUMBER.test(text)) return undefined;
  return Number(text);
}
