import type { Slot } from '../custom/protocol/index.js';
import type { InteractionModel } from './model.js';
import { compactOf } from './normalize.js';
import { CURRENCY_CODES, formatNumber, parseNumberText, splitNumberAndUnit } from './numbers.js';

/** Reads a slot's text (space-free, and as spoken) into the slot value CEK would deliver, or undefined. */
export type SlotReader = (compact: string, spaced: string) => Omit<Slot, 'name'> | undefined;

/**
 * Unit families of §4.1, each unit as CEK spells it in `unit` followed by what a user may type for it
 * (compared after NFKC and lower-casing: `㎎` and `MG` arrive as `mg`, `℃` as `°c`).
 */
// prettier-ignore
const UNIT_FAMILIES: Record<string, Record<string, readonly string[]>> = {
  GENERAL: Object.fromEntries(
    '個 枚 本 台 体 回 件 軒 つ 号 冊 杯 カップ 人 匹 頭 階 歳 才 食 席 位 箱 袋 ケース 缶'.split(' ').map((unit) => [unit, []]),
  ),
  AREA: {
    平方メートル: ['㎡', 'm2', '平米'], 平方キロメートル: ['km2'], 平方センチメートル: ['cm2'], 坪: [], 畳: [],
    ヘクタール: ['ha'], アール: [], エーカー: [], 평: [],
  },
  INFORMATION: {
    ビット: ['bit', 'bits'], バイト: ['byte', 'bytes', 'b'], キロバイト: ['kb'], メガバイト: ['mb'],
    ギガバイト: ['gb', 'ギガ'], テラバイト: ['tb'],
  },
  LENGTH: {
    メートル: ['m'], キロメートル: ['km', 'キロ'], センチメートル: ['cm', 'センチ'], ミリメートル: ['mm'],
    マイル: ['mile', 'miles', '마일'], インチ: ['inch', 'inches'], フィート: ['feet', 'ft'], ヤード: ['yard', 'yards'],
  },
  RATIO: { パーセント: ['%', 'percent'], 倍: [], 割: [] },
  SPEED: {
    メートル毎秒: ['m/s'], メートル毎分: [], メートル毎時: [], キロメートル毎時: ['km/h', 'kph'],
    キロメートル毎秒: ['km/s'], マイル毎時: ['mph'], ノット: [],
  },
  TEMPERATURE: { 度: ['°c', '°', 'ど', 'degrees', 'degree', '摂氏度'] },
  VOLUME: {
    リットル: ['l', 'ℓ', 'liter', 'liters', 'litre', 'litres'], ミリリットル: ['ml'], デシリットル: ['dl'],
    立方メートル: ['m3'], シーシー: ['cc'],
  },
  WEIGHT: {
    グラム: ['g', 'gram', 'grams'], キログラム: ['kg', 'キロ'], ミリグラム: ['mg'], トン: ['t'],
    ポンド: ['lb', 'lbs'],
  },
};

/** Per family: typed unit ⇒ the unit CEK sends. */
const UNIT_LOOKUP: Record<string, Map<string, string>> = Object.fromEntries(
  Object.entries(UNIT_FAMILIES).map(([family, units]) => {
    const lookup = new Map<string, string>();
    for (const [unit, aliases] of Object.entries(units)) {
      for (const word of [unit, ...aliases]) lookup.set(compactOf(word), unit);
    }
    return [family, lookup];
  }),
);
UNIT_LOOKUP.CURRENCY = new Map(Object.entries(CURRENCY_CODES));

/** Every family, for CLOVA.UNIT ("any unit of the CLOVA.UNIT_* families"); earlier families win (キロ ⇒ km). */
const ANY_UNIT = [
  'GENERAL',
  'CURRENCY',
  'LENGTH',
  'WEIGHT',
  'AREA',
  'INFORMATION',
  'RATIO',
  'SPEED',
  'TEMPERATURE',
  'VOLUME',
];
const unitIn = (families: readonly string[], typed: string): string | undefined => {
  for (const family of families) {
    const unit = UNIT_LOOKUP[family]!.get(typed);
    if (unit) return unit;
  }
  return undefined;
};

/** Number+unit types (§4.1) and the unit family each takes. */
const NUMBER_WITH_UNIT: Record<string, string> = {
  'CLOVA.GENERIC_NUMBER': 'GENERAL',
  'CLOVA.AREA': 'AREA',
  'CLOVA.INFORMATION': 'INFORMATION',
  'CLOVA.LENGTH': 'LENGTH',
  'CLOVA.MONEY': 'CURRENCY',
  'CLOVA.RATIO': 'RATIO',
  'CLOVA.SPEED': 'SPEED',
  'CLOVA.VOLUME': 'VOLUME',
  'CLOVA.WEIGHT': 'WEIGHT',
  'CLOVA.TEMPERATURE': 'TEMPERATURE',
};
/** Unit-only types (§4.1): `5冊` ⇒ `"冊"`. */
const UNIT_ONLY: Record<string, readonly string[]> = {
  'CLOVA.UNIT': ANY_UNIT,
  'CLOVA.UNIT_GENERAL': ['GENERAL'],
  'CLOVA.UNIT_AREA': ['AREA'],
  'CLOVA.UNIT_CURRENCY': ['CURRENCY'],
  'CLOVA.CURRENCY': ['CURRENCY'],
  'CLOVA.UNIT_INFORMATION': ['INFORMATION'],
  'CLOVA.UNIT_LENGTH': ['LENGTH'],
  'CLOVA.UNIT_RATIO': ['RATIO'],
  'CLOVA.UNIT_SPEED': ['SPEED'],
  'CLOVA.UNIT_TEMPERATURE': ['TEMPERATURE'],
  'CLOVA.UNIT_VOLUME': ['VOLUME'],
  'CLOVA.UNIT_WEIGHT': ['WEIGHT'],
};

/** `分速800メートル` ⇒ 800, `メートル毎分` (§4.1 CLOVA.SPEED); also `時速60キロ` ⇒ `キロメートル毎時`. */
const SPEED_PREFIX: Record<string, string> = { 秒速: '秒', 分速: '分', 時速: '時' };

/** Reads `<number><unit>` (or a currency symbol before the number) with the unit from `families`. */
function readNumberWithUnit(compact: string, families: readonly string[]) {
  const speed = /^(秒速|分速|時速)(.+)$/.exec(compact);
  if (speed && families.includes('SPEED')) {
    const read = splitNumberAndUnit(speed[2]!);
    const length = read && UNIT_LOOKUP.LENGTH!.get(read.unit);
    return read && length ? { value: read.value, unit: `${length}毎${SPEED_PREFIX[speed[1]!]}` } : undefined;
  }
  const symbol = /^([$¥€£₩])(.+)$/.exec(compact);
  if (symbol && families.includes('CURRENCY')) {
    const value = parseNumberText(symbol[2]!);
    return value === undefined ? undefined : { value, unit: CURRENCY_CODES[symbol[1]!]! };
  }
  const read = splitNumberAndUnit(compact);
  const unit = read && unitIn(families, read.unit);
  return read && unit ? { value: read.value, unit } : undefined;
}

export interface SlotReaderOptions {
  /** "Now" for CLOVA.DATETIME / CLOVA.DATETIME_RECENT (§4.3 resolves dates relative to it). */
  now?: () => Date;
}

/** How a slot type reads text (spec interaction-model.md §4; custom types §2.2). */
export function slotReader(
  type: string,
  model: InteractionModel,
  options: SlotReaderOptions = {},
): SlotReader {
  const entries = model.slotTypes[type];
  if (entries) {
    const lookup = new Map<string, string>();
    for (const entry of entries) {
      for (const word of [entry.value, ...entry.synonyms]) {
        const key = compactOf(word);
        if (!lookup.has(key)) lookup.set(key, entry.value);
      }
    }
    return (compact) => {
      const value = lookup.get(compact);
      return value === undefined ? undefined : { value };
    };
  }
  const family = NUMBER_WITH_UNIT[type];
  if (family) {
    return (compact) => {
      const read = readNumberWithUnit(compact, [family]);
      return read ? { value: formatNumber(read.value), unit: read.unit } : undefined;
    };
  }
  const unitFamilies = UNIT_ONLY[type];
  if (unitFamilies) {
    // The unit alone (`冊`) or with a number, which CEK drops (`5冊` ⇒ `冊`, `30000ユーロ` ⇒ `EUR`).
    return (compact) => {
      const unit = unitIn(unitFamilies, compact) ?? readNumberWithUnit(compact, unitFamilies)?.unit;
      return unit ? { value: unit } : undefined;
    };
  }
  switch (type) {
    case 'CLOVA.WHOLE_NUMBER':
      // A digit string keeps its leading zeros (`0123 4567` ⇒ `01234567`); numerals become digits.
      return (compact) => {
        if (/^\d+$/.test(compact)) return { value: compact };
        const value = parseNumberText(compact);
        return value !== undefined && value >= 0 && Number.isInteger(value)
          ? { value: formatNumber(value) }
          : undefined;
      };
    case 'CLOVA.NUMBER':
      // `unit` only when the words carried one (§4.1: 2 vs 2枚), as typed.
      return (compact) => {
        const read = splitNumberAndUnit(compact);
        if (!read || /\d/.test(read.unit)) return undefined;
        const value = formatNumber(read.value);
        return read.unit ? { value, unit: read.unit } : { value };
      };
    case 'CLOVA.DATETIME':
    case 'CLOVA.DATETIME_RECENT': {
      const now = options.now ?? (() => new Date());
      const recent = type === 'CLOVA.DATETIME_RECENT';
      return (compact, spoken) => readDateTime(compact, now(), recent) ?? { value: spoken };
    }
    case 'CLOVA.DURATION':
      return (compact, spoken) => {
        const value = readDuration(compact);
        return value ? { value } : { value: spoken };
      };
    default:
      // Places, holidays, order words, relative times: §4.1 delivers text (formats not documented), so
      // the spoken text passes through.
      return (_compact, spoken) => ({ value: spoken });
  }
}

// ---------------------------------------------------------------------------------------------------
// CLOVA.DURATION (§4.1): ISO 8601 PnYnMnDTnHnMnS, e.g. 1週間 ⇒ P7D, 2時間5分25秒 ⇒ PT2H5M25S.

type DurationField = 'Y' | 'M' | 'D' | 'H' | 'MIN' | 'S';
// prettier-ignore
const DURATION_UNITS: [string, DurationField, number][] = ([
  ['年間', 'Y', 1], ['年', 'Y', 1], ['ヶ月間', 'M', 1], ['ヶ月', 'M', 1], ['か月間', 'M', 1], ['か月', 'M', 1],
  ['カ月間', 'M', 1], ['カ月', 'M', 1], ['ヵ月', 'M', 1], ['ケ月', 'M', 1], ['箇月', 'M', 1], ['週間', 'D', 7],
  ['日間', 'D', 1], ['日', 'D', 1], ['時間', 'H', 1], ['分間', 'MIN', 1], ['分', 'MIN', 1], ['秒間', 'S', 1],
  ['秒', 'S', 1], ['years', 'Y', 1], ['year', 'Y', 1], ['months', 'M', 1], ['month', 'M', 1], ['weeks', 'D', 7],
  ['week', 'D', 7], ['days', 'D', 1], ['day', 'D', 1], ['hours', 'H', 1], ['hour', 'H', 1],
  ['minutes', 'MIN', 1], ['minute', 'MIN', 1], ['seconds', 'S', 1], ['second', 'S', 1], ['년', 'Y', 1],
  ['개월', 'M', 1], ['달', 'M', 1], ['주', 'D', 7], ['일', 'D', 1], ['시간', 'H', 1], ['분', 'MIN', 1], ['초', 'S', 1],
] as [string, DurationField, number][]).sort((a, b) => b[0].length - a[0].length);
/** Whole words for a duration (KR 하루 "one day", 이틀 "two days"). */
const DURATION_WORDS: Record<string, string> = { 하루: 'P1D', 이틀: 'P2D', 사흘: 'P3D', 나흘: 'P4D' };

function readDuration(compact: string): string | undefined {
  if (DURATION_WORDS[compact]) return DURATION_WORDS[compact];
  const fields: Partial<Record<DurationField, number>> = {};
  let rest = compact;
  while (rest) {
    let matched = false;
    for (let end = rest.length; end > 0 && !matched; end--) {
      const value = parseNumberText(rest.slice(0, end));
      if (value === undefined || value < 0) continue;
      const after = rest.slice(end);
      const unit = DURATION_UNITS.find(([word]) => after.startsWith(word));
      if (!unit) continue;
      let amount = value * unit[2];
      let consumed = end + unit[0].length;
      if (rest.startsWith('半', consumed)) {
        amount += 0.5 * unit[2];
        consumed++;
      }
      fields[unit[1]] = (fields[unit[1]] ?? 0) + amount;
      rest = rest.slice(consumed).replace(/^(と|and)/, '');
      matched = true;
    }
    if (!matched) return undefined;
  }
  // A half hour or half day becomes whole smaller units (1時間半 ⇒ PT1H30M).
  const carry = (from: DurationField, to: DurationField, factor: number) => {
    const value = fields[from];
    if (value !== undefined && !Number.isInteger(value)) {
      fields[from] = Math.floor(value);
      fields[to] = (fields[to] ?? 0) + (value - Math.floor(value)) * factor;
    }
  };
  carry('D', 'H', 24);
  carry('H', 'MIN', 60);
  carry('MIN', 'S', 60);
  const part = (field: DurationField, letter: string) =>
    fields[field] ? `${formatNumber(fields[field])}${letter}` : '';
  const date = part('Y', 'Y') + part('M', 'M') + part('D', 'D');
  const time = part('H', 'H') + part('MIN', 'M') + part('S', 'S');
  if (!date && !time) return Object.keys(fields).length > 0 ? 'PT0S' : undefined;
  return `P${date}${time ? `T${time}` : ''}`;
}

// ---------------------------------------------------------------------------------------------------
// CLOVA.DATETIME / CLOVA.DATETIME_RECENT (§4.3), in Japan time (+09:00). DATETIME resolves to now or
// later, DATETIME_RECENT to now or earlier; a clock time alone is not moved (「3時」 ⇒ 03:00:00).

const OFFSET = '+09:00';
const OFFSET_MS = 9 * 3600_000;

/** §4.3 named day periods. */
// prettier-ignore
const DAY_PERIODS: [string[], string, string][] = [
  [['未明', '深夜'], '00:00:00', '03:00:00'], [['明け方'], '03:00:00', '06:00:00'], [['朝'], '06:00:00', '09:00:00'],
  [['昼前', 'お昼前'], '09:00:00', '12:00:00'], [['昼', 'お昼', '昼頃'], '11:00:00', '13:00:00'],
  [['昼過ぎ', 'お昼過ぎ'], '12:00:00', '15:00:00'], [['夕方'], '15:00:00', '18:00:00'],
  [['午前'], '00:00:00', '12:00:00'], [['午後'], '12:00:00', '24:00:00'], [['日中'], '09:00:00', '18:00:00'],
  [['夜', '晩'], '18:00:00', '24:00:00'],
];
/** §4.3 seasons: first month, last month (winter ends in February of the next year). */
const SEASONS: Record<string, [number, number]> = { 春: [3, 5], 夏: [6, 8], 秋: [9, 11], 冬: [12, 2] };
const RELATIVE_DAYS: Record<string, number> = {
  今日: 0,
  きょう: 0,
  today: 0,
  明日: 1,
  あした: 1,
  あす: 1,
  tomorrow: 1,
  明後日: 2,
  あさって: 2,
  昨日: -1,
  きのう: -1,
  yesterday: -1,
  一昨日: -2,
  おととい: -2,
};
const WEEKDAYS = '日月火水木金土';
const NUM = '([0-9〇零一二三四五六七八九十]+)';

interface Day {
  y: number;
  m: number;
  d: number;
}
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const dateText = ({ y, m, d }: Day) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const addDays = ({ y, m, d }: Day, days: number): Day => {
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
};
const compareDays = (a: Day, b: Day) => a.y - b.y || a.m - b.m || a.d - b.d;
const num = (text: string) => {
  const value = parseNumberText(text);
  return value !== undefined && Number.isInteger(value) && value >= 0 ? value : undefined;
};

/** A day or a span of days, from the front of the text; `rest` is what follows. */
function readDatePart(
  text: string,
  today: Day,
  recent: boolean,
): { from: Day; to?: Day; rest: string } | undefined {
  let match = new RegExp(`^(?:${NUM}年)?${NUM}月${NUM}日`).exec(text);
  if (match) {
    const m = num(match[2]!);
    const d = num(match[3]!);
    let y = match[1] ? num(match[1]) : today.y;
    if (y === undefined || !m || !d || m > 12 || d > daysIn(y, m)) return undefined;
    if (!match[1]) {
      if (!recent && compareDays({ y, m, d }, today) < 0) y++;
      if (recent && compareDays({ y, m, d }, today) > 0) y--;
      if (d > daysIn(y, m)) return undefined;
    }
    return { from: { y, m, d }, rest: text.slice(match[0].length) };
  }
  match = new RegExp(`^(?:${NUM}年)?${NUM}月`).exec(text);
  if (match) {
    const m = num(match[2]!);
    let y = match[1] ? num(match[1]) : today.y;
    if (y === undefined || !m || m > 12) return undefined;
    if (!match[1] && !recent && m < today.m) y++;
    if (!match[1] && recent && m > today.m) y--;
    return { from: { y, m, d: 1 }, to: { y, m, d: daysIn(y, m) }, rest: text.slice(match[0].length) };
  }
  for (const [word, offset] of Object.entries(RELATIVE_DAYS)) {
    if (text.startsWith(word)) return { from: addDays(today, offset), rest: text.slice(word.length) };
  }
  match = /^([日月火水木金土])曜日?/.exec(text);
  if (match) {
    const weekday = new Date(Date.UTC(today.y, today.m - 1, today.d)).getUTCDay();
    const wanted = WEEKDAYS.indexOf(match[1]!);
    const offset = recent ? -((weekday - wanted + 7) % 7) : (wanted - weekday + 7) % 7;
    return { from: addDays(today, offset), rest: text.slice(match[0].length) };
  }
  const season = /^(春|夏|秋|冬)/.exec(text);
  if (season) {
    const [first, last] = SEASONS[season[1]!]!;
    const span = (y: number) => {
      const endYear = last < first ? y + 1 : y;
      return { from: { y, m: first, d: 1 }, to: { y: endYear, m: last, d: daysIn(endYear, last) } };
    };
    const years = recent
      ? [today.y + 1, today.y, today.y - 1, today.y - 2]
      : [today.y - 1, today.y, today.y + 1];
    const chosen = years
      .map(span)
      .find((s) => (recent ? compareDays(s.from, today) <= 0 : compareDays(s.to, today) >= 0))!;
    return { ...chosen, rest: text.slice(season[0].length) };
  }
  return undefined;
}

/** A clock time (`午後3時半`, `15時10分`) or a named period (`朝`), the whole of the text. */
function readTimePart(text: string): { time: string } | { start: string; end: string } | undefined {
  const match = new RegExp(`^(午前|午後)?${NUM}時(?:(半)|${NUM}分)?(?:${NUM}秒)?$`).exec(text);
  if (match) {
    let hour = num(match[2]!);
    const minute = match[3] ? 30 : match[4] ? num(match[4]) : 0;
    const second = match[5] ? num(match[5]) : 0;
    if (hour === undefined || minute === undefined || second === undefined) return undefined;
    if (match[1] === '午後' && hour < 12) hour += 12;
    if (hour > 24 || minute > 59 || second > 59) return undefined;
    return { time: `${pad(hour)}:${pad(minute)}:${pad(second)}` };
  }
  const period = DAY_PERIODS.find(([words]) => words.includes(text));
  return period ? { start: period[1], end: period[2] } : undefined;
}

function readDateTime(compact: string, now: Date, recent: boolean): Omit<Slot, 'name'> | undefined {
  const local = new Date(now.getTime() + OFFSET_MS);
  const today = { y: local.getUTCFullYear(), m: local.getUTCMonth() + 1, d: local.getUTCDate() };
  const date = readDatePart(compact, today, recent);
  if (!date) {
    const time = readTimePart(compact);
    if (!time) return undefined;
    return 'time' in time
      ? { value: time.time, valueType: 'TIME' }
      : { value: `${time.start}/${time.end}`, valueType: 'TIME.INTERVAL' };
  }
  const rest = date.rest.replace(/^の/, '');
  if (!rest) {
    return date.to
      ? { value: `${dateText(date.from)}/${dateText(date.to)}`, valueType: 'DATE.INTERVAL' }
      : { value: dateText(date.from), valueType: 'DATE' };
  }
  const time = date.to ? undefined : readTimePart(rest);
  if (!time) return undefined;
  const at = (clock: string) => `${dateText(date.from)}T${clock}${OFFSET}`;
  return 'time' in time
    ? { value: at(time.time), valueType: 'DATETIME' }
    : { value: `${at(time.start)}/${at(time.end)}`, valueType: 'DATETIME.INTERVAL' };
}
