/**
 * Suggestions for misspelled names (intents, events, slot types, appliance types...). A name is
 * suggested when it is close enough to be a typo: a case-insensitive edit distance of at most a third
 * of its length (at least 1, at most 3), so `LIGTH` finds `LIGHT` but `FOO` finds nothing.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === name) return undefined;
    const distance = editDistance(wanted, candidate.toLowerCase(), bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `' Did you mean "LIGHT"?'`, or `''` when nothing is close: append it to an error or warning text. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const suggestion = closestName(name, candidates);
  return suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`;
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions, the commonest typo),
 * giving up early once every path exceeds `bound`.
 */
function editDistance(a: string, b: string, bound: number): number {
  if (Math.abs(a.length - b.length) >= bound) return bound;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, before[j - 2]! + 1);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin >= bound) return bound;
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The compile-time twin of `closestName` for string literal unions, where TypeScript itself suggests
 * nothing for a function argument: the names one typo away from `N` (a character missing, extra,
 * changed, or two swapped; or only the case differs). A parameter typed
 * `N extends Names ? N : CloseNames<N, Names>` turns `'OrderPiza'` into the error "not assignable to
 * parameter of type "OrderPizza"". `never` when nothing is that close.
 */
export type CloseNames<N extends string, Names extends string> = Names extends string
  ? OneTypo<N, Names> extends true
    ? Names
    : Lowercase<N> extends Lowercase<Names>
      ? Names
      : never
  : never;

/** Whether `A` becomes `B` by exactly one edit (insert, delete, substitute, swap neighbours). */
type OneTypo<A extends string, B extends string> = A extends `${infer a}${infer restA}`
  ? B extends `${infer b}${infer restB}`
    ? a extends b
      ? OneTypo<restA, restB>
      : restA extends restB
        ? true
        : restA extends B
          ? true
          : A extends restB
            ? true
            : restA extends `${b}${infer tail}`
              ? restB extends `${a}${tail}`
                ? true
                : false
              : false
    : restA extends ''
      ? true
      : false
  : B extends `${string}${infer restB}`
    ? restB extends ''
      ? true
      : false
    : false;

/** `Names` narrowed to the close ones when there are any, so a compile error shows the likely fix first. */
export type SuggestName<N extends string, Names extends string> = [CloseNames<N, Names>] extends [never]
  ? Names
  : CloseNames<N, Names>;
