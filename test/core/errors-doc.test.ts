import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REJECTIONS } from 'cekit';

// docs/errors.md is the one table users read; REJECTIONS is the one table the code uses. They must
// list the same codes with the same statuses.
const DOC = 'docs/errors.md';
const doc = readFileSync(new URL(`../../${DOC}`, import.meta.url), 'utf8');
const documented = new Map(
  [...doc.matchAll(/^\| `([A-Z0-9_]+)` \| (\d{3}) \|/gm)].map((match) => [match[1]!, Number(match[2])]),
);

describe(DOC, () => {
  it('documents every code in REJECTIONS (src/core/errors.ts) with its status', () => {
    const missing = Object.entries(REJECTIONS).filter(([code]) => !documented.has(code));
    const rows = missing.map(
      ([code, { status, message }]) =>
        `| \`${code}\` | ${status} | ${message} | <what the caller should do> |`,
    );
    expect(
      missing.map(([code]) => code),
      `${DOC} lacks these codes. Add one row per code to its table (where the check happens):\n${rows.join('\n')}\n`,
    ).toEqual([]);

    const wrong = Object.entries(REJECTIONS).filter(
      ([code, { status }]) => documented.has(code) && documented.get(code) !== status,
    );
    expect(
      wrong.map(
        ([code, { status }]) => `${code}: errors.ts says ${status}, ${DOC} says ${documented.get(code)}`,
      ),
      `Statuses differ; fix the HTTP column in ${DOC} (a published code never changes its status)`,
    ).toEqual([]);
  });

  it('documents no code that REJECTIONS lacks', () => {
    const extra = [...documented.keys()].filter((code) => !(code in REJECTIONS));
    expect(
      extra,
      `${DOC} lists codes that src/core/errors.ts (REJECTIONS) does not have: add them to REJECTIONS or delete the rows`,
    ).toEqual([]);
  });

  it('lists each code once', () => {
    const rows = [...doc.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((match) => match[1]);
    expect(rows.length).toBe(documented.size);
  });
});
