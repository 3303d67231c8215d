/**
 * Number reading for the built-in number slot types (spec interaction-model.md §4.1): digits (also
 * full-width, via NFKC before this runs), kanji numerals (五百六十七 ⇒ 567), English number words
 * (twenty three ⇒ 23) and Korean native numerals up to ten (세 ⇒ 3). Input has no spaces: the resolver
 * compares space-free text.
 */

const KANJI_DIGITS: Record<string, number> = {
  ...Object.fromEntries([...'〇一二三四五六七八九'].map((char, value) => [char, value])),
  零: 0,
};
const KANJI_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

function parseKanji(text: string): number | undefined {
  let total = 0;
  let section = 0;
  let digit: number | undefined;
  for (const char of text) {
    if (char in KANJI_DIGITS) {
      digit = digit === undefined ? KANJI_DIGITS[char]! : digit * 10 + KANJI_DIGITS[char]!;
    } else if (char in KANJI_UNITS) {
      section += (digit ?? 1) * KANJI_UNITS[char]!;
      digit = undefined;
    } else if (char === '万') {
      total += (section + (digit ?? 0) || 1) * 10_000;
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

/** Korean native numerals (and their counter forms: 한 개, 두 잔, 세 번) up to ten. */
// prettier-ignore
const KOREAN_NATIVE: Record<string, number> = {
  하나: 1, 한: 1, 둘: 2, 두: 2, 셋: 3, 세: 3, 넷: 4, 네: 4, 다섯: 5, 여섯: 6, 일곱: 7, 여덟: 8, 아홉: 9, 열: 10,
};

/** Reads `text` as a number, or undefined; `'3'`, `'-2.5'`, `'三'`, `'threehundredandtwo'`. */
export function parseNumberText(text: string): number | undefined {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^[〇零一二三四五六七八九十百千万]+$/.test(text)) return parseKanji(text);
  if (text in KOREAN_NATIVE) return KOREAN_NATIVE[text];
  if (/^[a-z]+$/.test(text) && text !== 'a' && text !== 'an' && text !== 'and') return parseEnglish(text);
  return undefined;
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
  円: 'JPY', yen: 'JPY', 엔: 'JPY', ドル: 'USD', dollar: 'USD', dollars: 'USD', 달러: 'USD',
  ユーロ: 'EUR', euro: 'EUR', euros: 'EUR', 유로: 'EUR', ウォン: 'KRW', 원: 'KRW', won: 'KRW',
  元: 'CNY', 위안: 'CNY', yuan: 'CNY', ポンド: 'GBP', pound: 'GBP', pounds: 'GBP',
};
