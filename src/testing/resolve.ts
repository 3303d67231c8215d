import { closestName } from '../core/did-you-mean.js';
import type { Slot } from '../custom/protocol/index.js';
import type { InteractionModel, IntentModel, SamplePart } from './model.js';
import { compactOf, normalizeUtterance } from './normalize.js';
import { splitNumberAndUnit } from './numbers.js';
import { slotReader, type SlotReader, type SlotReaderOptions } from './slot-readers.js';

/**
 * Turns a typed sentence into what CEK would send (spec interaction-model.md §2.4: CLOVA's NLU is a
 * trained model and its matching is not documented, so this is cekit's own, deterministic choice):
 * 1. normalise (NFKC, lower case, punctuation dropped but a decimal point kept) and compare space-free,
 *    so "3個振って" and "roll 3 dice" work alike;
 * 2. match every sample utterance, a slot placeholder taking any span its type accepts, delivered in
 *    the type's §4 format (slot-readers.ts: custom types give the representative word, §2.2; number
 *    types digits, `unit`s spelled as CEK does; dates ISO 8601 with `valueType`; places the spoken text);
 * 3. prefer the match with the most literal characters, then model order;
 * 4. else built-in intent phrases (§3), else `Clova.FallbackIntent` when enabled, else `Clova.GuideIntent`,
 *    with the closest samples and why each failed (`nearMisses`): a sample that fits but for a slot
 *    value its type refuses says so, with the type's closest word as `suggestion`.
 */
export interface Resolution {
  /** What the user's words end up as: an intent, or the end of the session ("終了して", "exit"). */
  type: 'IntentRequest' | 'SessionEndedRequest';
  intent: string;
  slots: Record<string, Slot>;
  /** How the intent was found. */
  via: 'sample' | 'builtin' | 'exit' | 'fallback';
  /** The sample utterance that matched. */
  sample?: string;
  /** When nothing matched: the closest samples, best first, with the reason each one failed. */
  nearMisses: NearMiss[];
}

export interface NearMiss {
  intent: string;
  sample: string;
  /** 0..1, how much of the sentence the sample explained. */
  score: number;
  reason: string;
  /**
   * When the miss looks like a typo: the word it may be a typo of (a custom slot type's word for a
   * refused slot value, "ペペロニピザ" ⇒ "ペパロニピザ"; a built-in phrase, "cancle" ⇒ "cancel").
   */
  suggestion?: string;
}

const BUILTIN_PHRASES: Record<string, readonly string[]> = {
  'Clova.GuideIntent': ['help', 'howdoiusethis', '使い方を教えて', 'ヘルプ', '사용법알려줘', '도움말'],
  'Clova.CancelIntent': ['cancel', 'キャンセル', 'キャンセルして', '취소해줘', '취소'],
  'Clova.YesIntent': ['yes', 'yeah', 'はい', 'うん', '응', '그래', '네'],
  'Clova.NoIntent': ['no', 'nope', 'いいえ', 'いや', '아니요', '아니'],
  'Clova.NextIntent': ['next', '次の曲を再生して', '次', '다음곡들려줘'],
  'Clova.PreviousIntent': ['previous', '前の曲を再生して', '前', '이전곡들려줘'],
  'Clova.PauseIntent': ['pause', '止めて', '一時停止', '멈춰줘'],
  'Clova.ResumeIntent': ['resume', '再生を再開して', '再開', '다시재생해줘'],
  'Clova.StopIntent': ['stop', '停止', '중지해줘'],
};
/** §1: within a session these end it (CEK sends SessionEndedRequest). */
const EXIT_PHRASES = ['exit', 'quit', '終了して', '終了', 'やめて', '종료해줘', '종료', '그만'];

/** Normalised text with spaces kept (for slot text) and space-free (for comparison), index-mapped. */
interface Prepared {
  spaced: string;
  compact: string;
  /** compact index → spaced index */
  origin: number[];
}

function prepare(text: string): Prepared {
  const spaced = normalizeUtterance(text);
  let compact = '';
  const origin: number[] = [];
  for (let i = 0; i < spaced.length; i++) {
    if (spaced[i] !== ' ') {
      compact += spaced[i];
      origin.push(i);
    }
  }
  return { spaced, compact, origin };
}

interface CompiledSample {
  intent: IntentModel;
  source: string;
  /** Literal text compared space-free; `shown` is the literal as written, for explanations. */
  parts: (SamplePart & { shown?: string })[];
  literalLength: number;
}

/** A resolver for one model; build it once (`createResolver(model)`) and call `resolve()` per sentence. */
export interface Resolver {
  resolve(text: string): Resolution;
}

/**
 * `now`: the clock for CLOVA.DATETIME and CLOVA.DATETIME_RECENT slots (§4.3 resolves 「火曜日」 relative to
 * it, in Japan time); default the current time.
 */
export function createResolver(model: InteractionModel, options: SlotReaderOptions = {}): Resolver {
  const samples: CompiledSample[] = model.intents.flatMap((intent) =>
    intent.samples.map(({ source, parts }) => {
      const compactParts: CompiledSample['parts'] = parts.map((part) =>
        part.slot !== undefined
          ? part
          : { text: compactOf(part.text ?? ''), shown: (part.text ?? '').trim() },
      );
      return {
        intent,
        source,
        parts: compactParts.filter((part) => part.slot !== undefined || part.text),
        literalLength: compactParts.reduce((sum, part) => sum + (part.text?.length ?? 0), 0),
      };
    }),
  );
  const readers = new Map<string, SlotReader>();
  const readerFor = (type: string): SlotReader => {
    let reader = readers.get(type);
    if (!reader) readers.set(type, (reader = slotReader(type, model, options)));
    return reader;
  };

  return {
    resolve(text) {
      const input = prepare(text);
      let best: { sample: CompiledSample; slots: Record<string, Slot> } | undefined;
      const misses: NearMiss[] = [];
      for (const sample of samples) {
        if (best && best.sample.literalLength >= sample.literalLength) continue;
        const attempt = matchSample(sample, input, readerFor, model);
        if (attempt.slots) best = { sample, slots: attempt.slots };
        else misses.push(attempt.miss);
      }
      if (best) {
        return {
          type: 'IntentRequest',
          intent: best.sample.intent.name,
          slots: best.slots,
          via: 'sample',
          sample: best.sample.source,
          nearMisses: [],
        };
      }
      for (const [intent, phrases] of Object.entries(BUILTIN_PHRASES)) {
        if (phrases.includes(input.compact))
          return { type: 'IntentRequest', intent, slots: {}, via: 'builtin', nearMisses: [] };
      }
      if (EXIT_PHRASES.includes(input.compact))
        return { type: 'SessionEndedRequest', intent: '', slots: {}, via: 'exit', nearMisses: [] };
      // A typo of a built-in phrase ("cancle") is a near miss too.
      const phrases = Object.entries(BUILTIN_PHRASES).flatMap(([intent, list]) =>
        list.map((phrase) => ({ intent, phrase })),
      );
      const typo = closestName(
        input.compact,
        phrases.map(({ phrase }) => phrase),
      );
      if (typo !== undefined) {
        const { intent } = phrases.find(({ phrase }) => phrase === typo)!;
        misses.push({
          intent,
          sample: typo,
          score: Math.round(similarity(input.compact, typo) * 100) / 100,
          reason: `"${input.spaced}" is close to the built-in phrase "${typo}" of ${intent}`,
          suggestion: typo,
        });
      }
      const nearMisses = misses
        .filter((miss) => miss.score >= MIN_NEAR_MISS_SCORE)
        .sort((a, b) => b.score - a.score)
        .slice(0, 3);
      return {
        type: 'IntentRequest',
        intent: model.fallbackIntent ? 'Clova.FallbackIntent' : 'Clova.GuideIntent',
        slots: {},
        via: 'fallback',
        nearMisses,
      };
    },
  };
}

interface Attempt {
  slots?: Record<string, Slot>;
  miss: NearMiss;
}

function matchSample(
  sample: CompiledSample,
  input: Prepared,
  readerFor: (type: string) => SlotReader,
  model: InteractionModel,
): Attempt {
  const text = input.compact;
  let furthest = 0;
  let reason = `no part of the sentence fits "${sample.source}"`;
  let suggestion: string | undefined;
  const found: Record<string, Slot> = {};
  const note = (pos: number, why: string, word?: string) => {
    if (pos >= furthest) {
      furthest = pos;
      reason = why;
      suggestion = word;
    }
  };
  /** Lenient pass: a slot may take a span its type refuses; the refusals are kept here. */
  let lenient = false;
  const refused: { slot: string; type: string; spoken: string; length: number }[] = [];

  const walk = (index: number, pos: number): boolean => {
    if (index === sample.parts.length) {
      if (pos === text.length) return true;
      if (!lenient)
        note(pos, `the sentence goes on after the sample: "${spacedSlice(input, pos, text.length)}"`);
      return false;
    }
    const part = sample.parts[index]!;
    if (part.slot === undefined) {
      const literal = part.text!;
      if (text.startsWith(literal, pos)) return walk(index + 1, pos + literal.length);
      if (!lenient)
        note(
          pos,
          `expected "${part.shown ?? literal}" where the sentence has "${spacedSlice(input, pos, text.length) || '(end)'}"`,
        );
      return false;
    }
    const type = sample.intent.slots[part.slot]!;
    const next = sample.parts[index + 1];
    const ends: number[] = [];
    for (let end = pos + 1; end <= text.length; end++) {
      // A slot must be followed by the next literal (or end the sentence): only try those spans.
      if (
        next?.text !== undefined
          ? !text.startsWith(next.text, end)
          : next === undefined && end !== text.length
      )
        continue;
      ends.push(end);
    }
    if (!lenient && ends.length === 0 && pos < text.length && next?.text !== undefined) {
      note(
        pos,
        `expected "${next.shown ?? next.text}" after slot ${part.slot}, the sentence has "${spacedSlice(input, pos, text.length)}"`,
      );
    }
    const refusedEnds: number[] = [];
    for (const end of ends) {
      const spoken = spacedSlice(input, pos, end);
      const value = readerFor(type)(text.slice(pos, end), spoken);
      if (!value) {
        if (!lenient) note(pos, refusal(part.slot, type, spoken), closestWord(type, spoken, model));
        refusedEnds.push(end);
        continue;
      }
      found[part.slot] = { name: part.slot, ...value };
      // §4.1: CLOVA.NUMBER carries `unit` only if the tagged span in the sample included one.
      if (type === 'CLOVA.NUMBER' && part.example !== undefined && !numberExampleHasUnit(part.example))
        delete found[part.slot]!.unit;
      if (walk(index + 1, end)) return true;
      delete found[part.slot];
    }
    if (lenient) {
      // Shortest refused span first: the rest of the sample decides where the slot ends.
      for (const end of refusedEnds) {
        refused.push({ slot: part.slot, type, spoken: spacedSlice(input, pos, end), length: end - pos });
        if (walk(index + 1, end)) return true;
        refused.pop();
      }
    }
    if (!lenient && pos === text.length) note(pos, `slot ${part.slot} (${type}) is missing`);
    return false;
  };

  if (walk(0, 0)) return { slots: { ...found }, miss: { intent: '', sample: '', score: 1, reason: '' } };
  const miss = (score: number, why: string, word: string | undefined): Attempt => ({
    miss: {
      intent: sample.intent.name,
      sample: sample.source,
      score: Math.round(score * 100) / 100,
      reason: why,
      ...(word === undefined ? {} : { suggestion: word }),
    },
  });
  // When the sample fits but for slot values its types refuse ("ハワイアンを2枚" against
  // "<pizzaType>…</pizzaType>を…"), the useful answer is which value was refused and the closest word
  // the slot type knows.
  const literal = sample.parts
    .map((part) => part.text ?? (part.example ? compactOf(part.example) : ''))
    .join('');
  const progress = text.length === 0 ? 0 : furthest / text.length;
  const score = Math.max(progress, similarity(text, literal));
  lenient = true;
  if (text.length > 0 && walk(0, 0) && refused.length > 0) {
    let explained = text.length;
    let word: string | undefined;
    const why = refused.map(({ slot, type, spoken, length }) => {
      // A refused value explains nothing, unless it is a typo of a known word.
      const close = closestWord(type, spoken, model);
      word ??= close;
      explained -= close ? length / 2 : length;
      return refusal(slot, type, spoken);
    });
    if (explained > 0) return miss(Math.max(score, explained / text.length), why.join('; '), word);
  }
  // How far the sample got, or how alike the texts are (a slot that failed at once got nowhere).
  return miss(score, reason, suggestion);
}

/** The custom slot type's word (representative or synonym) closest to `spoken`, if it looks like a typo. */
function closestWord(type: string, spoken: string, model: InteractionModel): string | undefined {
  const words = model.slotTypes[type]?.flatMap((entry) => [entry.value, ...entry.synonyms]) ?? [];
  const suggestion = closestName(compactOf(spoken), words.map(compactOf));
  return suggestion === undefined ? undefined : words.find((word) => compactOf(word) === suggestion);
}

const refusal = (slot: string, type: string, spoken: string) =>
  `slot ${slot}: "${spoken}" is not a ${type} value`;

const numberExampleHasUnit = (example: string) => {
  const read = splitNumberAndUnit(compactOf(example));
  return read === undefined || read.unit !== '';
};

const spacedSlice = (input: Prepared, start: number, end: number) =>
  start >= end ? '' : input.spaced.slice(input.origin[start], input.origin[end - 1]! + 1);

/** Below this, a sample has too little to do with the sentence to be worth showing. */
const MIN_NEAR_MISS_SCORE = 0.2;

/** Dice coefficient over character bigrams: 1 for equal texts, 0 for nothing in common. */
function similarity(a: string, b: string): number {
  if (a.length < 2 || b.length < 2) return a === b && a.length > 0 ? 1 : 0;
  const counts = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) {
    const bigram = a.slice(i, i + 2);
    counts.set(bigram, (counts.get(bigram) ?? 0) + 1);
  }
  let shared = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const bigram = b.slice(i, i + 2);
    const left = counts.get(bigram) ?? 0;
    if (left > 0) {
      shared++;
      counts.set(bigram, left - 1);
    }
  }
  return (2 * shared) / (a.length - 1 + b.length - 1);
}
