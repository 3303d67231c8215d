/**
 * Number reading for the built-in number slot types (spec interaction-model.md §4.1): digits (also
 * full-width, via NFKC before this runs), kanji numerals (五百六十七 ⇒ 567) and English number words
 * (twenty three ⇒ 23). Input has no spaces (the resolver compares space-free text).
 */

const KANJI_DIGITS: Record<string, number> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
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

const ENGLISH_WORDS: [string, number][] = (
  [
    ['zero', 0],
    ['one', 1],
    ['two', 2],
    ['three', 3],
    ['four', 4],
    ['five', 5],
    ['six', 6],
    ['seven', 7],
    ['eight', 8],
    ['nine', 9],
    ['ten', 10],
    ['eleven', 11],
    ['twelve', 12],
    ['thirteen', 13],
    ['fourteen', 14],
    ['fifteen', 15],
    ['sixteen', 16],
    ['seventeen', 17],
    ['eighteen', 18],
    ['nineteen', 19],
    ['twenty', 20],
    ['thirty', 30],
    ['forty', 40],
    ['fifty', 50],
    ['sixty', 60],
    ['seventy', 70],
    ['eighty', 80],
    ['ninety', 90],
    ['a', 1],
    ['an', 1],
    ['and', -1],
  ] as [string, number][]
).sort((a, b) => b[0].length - a[0].length);

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

/** Reads `text` as a number, or undefined; `'3'`, `'-2.5'`, `'三'`, `'threehundredandtwo'`. */
export function parseNumberText(text: string): number | undefined {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^[〇零一二三四五六七八九十百千万]+$/.test(text)) return parseKanji(text);
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
export const CURRENCY_CODES: Record<string, string> = {
  円: 'JPY',
  yen: 'JPY',
  엔: 'JPY',
  ドル: 'USD',
  dollar: 'USD',
  dollars: 'USD',
  달러: 'USD',
  ユーロ: 'EUR',
  euro: 'EUR',
  euros: 'EUR',
  유로: 'EUR',
  ウォン: 'KRW',
  원: 'KRW',
  won: 'KRW',
  元: 'CNY',
  위안: 'CNY',
  yuan: 'CNY',
  ポンド: 'GBP',
  pound: 'GBP',
  pounds: 'GBP',
};
