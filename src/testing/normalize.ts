/** Text normalisation shared by the resolver and the slot readers (see resolve.ts for the rules). */
export function normalizeUtterance(text: string): string {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      // Punctuation becomes a space, except a point between digits: a decimal point (2.5, 36.5℃).
      .replace(/\d\.(?=\d)|[。、，,.!?！？「」『』"'()（）・~〜]/g, (match) =>
        match.length === 2 ? match : ' ',
      )
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** The normalised text without spaces: what samples and sentences are compared as. */
export const compactOf = (text: string) => normalizeUtterance(text).replace(/ /g, '');
