/**
 * Number reading for the built-in number slot types (spec interaction-model.md §4.1: CLOVA.NUMBER takes
 * "numbers incl. negatives and decimals"): digits (also full-width, via NFKC before this runs; `2.5`,
 * `-3`), digits with kanji powers (`1万`, `3億5000万`), kanji numerals (五百六十七 ⇒ 567, 三十六点五 ⇒ 36.5),
 * English number words (twenty three ⇒ 23, two point five ⇒ 2.5), Korean native numerals up to ten
 * (세 ⇒ 3) and a leading minus (`マイナス5`, `minus five`, `마이너스5`). Input has no spaces: the resolver
 * compares space-free text.
 */

const KANJI_DIGITS: Record<string, number> = {
  ...Object.fromEntries([...'〇一二三四五六七八九'].map((char, value) => [char, value])),
  零: 0,
};
const KANJI_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const KANJI_POWERS: Record<string, number> = { 万: 1e4, 億: 1e8, 兆: 1e12 };

/** Kanji numerals, where a run of ASCII digits may stand for a digit group (`1万2000`, `3千`). */
function parseKanji(text: string): number | undefined {
  let total = 0;
  let section = 0;
  let digit: number | undefined;
  let lastPower = Infinity;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (/\d/.test(char)) {
      if (digit !== undefined) return undefined;
      let end = i;
      while (end < text.length && /[\d.]/.test(text[end]!)) end++;
      const run = text.slice(i, end);
      if (!/^\d+(\.\d+)?$/.test(run)) return undefined;
      digit = Number(run);
      i = end - 1;
    } else if (char in KANJI_DIGITS) {
      digit = digit === undefined ? KANJI_DIGITS[char]! : digit * 10 + KANJI_DIGITS[char]!;
    } else if (char in KANJI_UNITS) {
      section += (digit ?? 1) * KANJI_UNITS[char]!;
      digit = undefined;
    } else if (char in KANJI_POWERS) {
      const power = KANJI_POWERS[char]!;
      if (power >= lastPower) return undefined;
      lastPower = power;
      const group = section + (digit ?? 0);
      if (group === 0 && digit === undefined && section === 0) total += power;
      else total += group * power;
      section = 0;
      digit = undefined;
    } else return undefined;
  }
  return total + section + (digit ?? 0);
}

const UNITS =
  'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen';
const TENS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
/** Longest first, so "seventeen" is not read as "seven" + "teen". `and` (one hundred and two) counts as nothing. */
const ENGLISH_WORDS: [string, number][] = [
  ...UNITS.split(' ').map((word, value): [string, number] => [word, value]),
  ...TENS.map((word, index): [string, number] => [word, (index + 2) * 10]),
  ['a', 1] as [string, number],
  ['an', 1] as [string, number],
  ['and', -1] as [string, number],
].sort((a, b) => b[0].length - a[0].length);
const ENGLISH_DIGITS = new Map(
  UNITS.split(' ')
    .slice(0, 10)
    .map((word, value) => [word, value]),
);

function parseEnglish(text: string): number | undefined {
  let total = 0;
  let current = 0;
  let pos = 0;
  let words = 0;
  while (pos < text.length) {
    if (text.startsWith('hundred', pos)) {
      current = (current || 1) * 100;
      pos += 7;
    } else if (text.startsWith('thousand', pos)) {
      total += (current || 1) * 1000;
      current = 0;
      pos += 8;
    } else if (text.startsWith('million', pos)) {
      total = (total + (current || 1)) * 1_000_000;
      current = 0;
      pos += 7;
    } else {
      const word = ENGLISH_WORDS.find(([w]) => text.startsWith(w, pos));
      if (!word) return undefined;
      if (word[1] >= 0) current += word[1];
      pos += word[0].length;
    }
    words++;
  }
  return words > 0 ? total + current : undefined;
}

/** English digits after "point": `fivezero` ⇒ "50". */
function parseEnglishFraction(text: string): string | undefined {
  let digits = '';
  let pos = 0;
  while (pos < text.length) {
    const word = [...ENGLISH_DIGITS.keys()].find((w) => text.startsWith(w, pos));
    if (!word) return undefined;
    digits += String(ENGLISH_DIGITS.get(word));
    pos += word.length;
  }
  return digits || undefined;
}

/** Korean native numerals (and their counter forms: 한 개, 두 잔, 세 번) up to ten. */
// prettier-ignore
const KOREAN_NATIVE: Record<string, number> = {
  하나: 1, 한: 1, 둘: 2, 두: 2, 셋: 3, 세: 3, 넷: 4, 네: 4, 다섯: 5, 여섯: 6, 일곱: 7, 여덟: 8, 아홉: 9, 열: 10,
};

const MINUS = /^(-|マイナス|minus|마이너스)/;

/** Reads `text` as a number, or undefined; `'3'`, `'-2.5'`, `'三'`, `'1万'`, `'threehundredandtwo'`. */
export function parseNumberText(text: string): number | undefined {
  const minus = MINUS.exec(text);
  if (minus) {
    const rest = text.slice(minus[0].length);
    const value = rest.startsWith('-') ? undefined : parseUnsigned(rest);
    return value === undefined ? undefined : -value;
  }
  return parseUnsigned(text);
}

function parseUnsigned(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^[\d.〇零一二三四五六七八九十百千万億兆]+$/.test(text) && /[^\d.]/.test(text)) return parseKanji(text);
  // 三十六点五 ⇒ 36.5: the digits after 点 are read one by one.
  const kanjiPoint = /^([〇零一二三四五六七八九十百千]+)点([〇零一二三四五六七八九]+)$/.exec(text);
  if (kanjiPoint) {
    const whole = parseKanji(kanjiPoint[1]!);
    const fraction = [...kanjiPoint[2]!].map((char) => KANJI_DIGITS[char]).join('');
    return whole === undefined ? undefined : Number(`${whole}.${fraction}`);
  }
  if (text in KOREAN_NATIVE) return KOREAN_NATIVE[text];
  if (!/^[a-z]+$/.test(text) || text === 'a' || text === 'an' || text === 'and') return undefined;
  const point = text.indexOf('point');
  if (point >= 0) {
    const whole = point === 0 ? 0 : parseEnglish(text.slice(0, point));
    const fraction = parseEnglishFraction(text.slice(point + 5));
    return whole === undefined || fraction === undefined ? undefined : Number(`${whole}.${fraction}`);
  }
  return parseEnglish(text);
}

/** The value string CEK sends for a number: digits, a `-` and a decimal point (`10000`, `36.5`, `-2`). */
export function formatNumber(value: number): string {
  // Rounding hides binary noise from products like 1.1 × 10000.
  const rounded = Number(value.toFixed(9));
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** Splits `2枚` / `three` / `10000円` into the number and what follows it (the unit, maybe empty). */
export function splitNumberAndUnit(text: string): { value: number; unit: string } | undefined {
  for (let end = text.length; end > 0; end--) {
    const value = parseNumberText(text.slice(0, end));
    if (value !== undefined) return { value, unit: text.slice(end) };
  }
  return undefined;
}

/** ISO 4217 codes for currency words (§4.1: CLOVA.MONEY and CLOVA.UNIT_CURRENCY deliver codes). */
// prettier-ignore
export const CURRENCY_CODES: Record<string, string> = {
  円: 'JPY', yen: 'JPY', 엔: 'JPY', '¥': 'JPY', 日本円: 'JPY',
  ドル: 'USD', 米ドル: 'USD', dollar: 'USD', dollars: 'USD', 달러: 'USD', $: 'USD',
  ユーロ: 'EUR', euro: 'EUR', euros: 'EUR', 유로: 'EUR', '€': 'EUR',
  ウォン: 'KRW', 원: 'KRW', won: 'KRW', '₩': 'KRW',
  元: 'CNY', 人民元: 'CNY', 위안: 'CNY', yuan: 'CNY',
  ポンド: 'GBP', pound: 'GBP', pounds: 'GBP', '£': 'GBP',
};
