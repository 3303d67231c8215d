import type { ConsoleProblem } from '../protocol.js';
// The schema's own path writer (pure, a few bytes in the bundle): the lines' paths are the problems' paths.
import { appendPath } from '../../schema/schema.js';
import { h, type Child } from './dom.js';

/** A problem path for the whole reply (formatPath writes `(root)`, the console `''`). */
export const isRootPath = (path: string) => path === '' || path === '(root)';

/** `a.b[0]` → `a.b`, `a.b` → `a`, `a` → `''`: where a missing field would have been. */
const parentPath = (path: string) => path.replace(/(\[\d+\]|\.?[^.[]+)$/, '');

interface Line {
  path: string | undefined;
  parts: Child[];
}

const scalar = (value: unknown): Child => {
  const kind = value === null ? 'null' : typeof value;
  return h('span', { class: `j-${kind}` }, JSON.stringify(value) ?? String(value));
};

/** Lines of `JSON.stringify(value, null, 2)`, each opening or scalar line knowing its path (as formatPath writes it). */
function lines(
  value: unknown,
  path: string,
  key: string | number | undefined,
  depth: number,
  comma: boolean,
) {
  const out: Line[] = [];
  const indent = '  '.repeat(depth);
  const label: Child[] =
    typeof key === 'string' ? [h('span', { class: 'j-key' }, JSON.stringify(key)), ': '] : [];
  const tail = comma ? ',' : '';
  const container = typeof value === 'object' && value !== null;
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : container
      ? Object.entries(value)
      : [];
  if (!container || entries.length === 0) {
    const shown = container ? (Array.isArray(value) ? '[]' : '{}') : scalar(value);
    out.push({ path, parts: [indent, ...label, shown, tail] });
    return out;
  }
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  out.push({ path, parts: [indent, ...label, open] });
  entries.forEach(([name, item], index) => {
    out.push(...lines(item, appendPath(path, name), name, depth + 1, index < entries.length - 1));
  });
  out.push({ path: undefined, parts: [indent, close, tail] });
  return out;
}

/**
 * Pretty JSON with the problems marked on their lines. A problem about a missing field marks the
 * nearest line that exists (its parent object) and names the full path in its note. Returns the
 * element and, for the problem list, each problem's line anchor (none for whole-reply problems).
 */
export function jsonView(value: unknown, problems: ConsoleProblem[] = [], idPrefix = 'json') {
  const all = lines(value, '', undefined, 0, false);
  const byPath = new Map<string, number>();
  all.forEach((line, index) => {
    if (line.path !== undefined && !byPath.has(line.path)) byPath.set(line.path, index);
  });
  const notes = new Map<number, ConsoleProblem[]>();
  const anchors = new Map<ConsoleProblem, string>();
  for (const problem of problems) {
    if (isRootPath(problem.path)) continue;
    let path = problem.path;
    while (path !== '' && !byPath.has(path)) path = parentPath(path);
    const index = byPath.get(path);
    if (index === undefined) continue;
    notes.set(index, [...(notes.get(index) ?? []), problem]);
    anchors.set(problem, `${idPrefix}-${index}`);
  }
  const rows = all.map((line, index) => {
    const found = notes.get(index);
    const row = h(
      'div',
      {
        class: found ? 'ln problem' : 'ln',
        'data-path': line.path === '' ? undefined : line.path,
        id: found ? `${idPrefix}-${index}` : undefined,
      },
      ...line.parts,
    );
    return found
      ? [
          row,
          ...found.map((problem) =>
            h(
              'div',
              { class: 'note' },
              problem.path === line.path ? '' : `${problem.path}: `,
              problem.message,
            ),
          ),
        ]
      : row;
  });
  return { element: h('div', { class: 'json', tabindex: 0 }, ...rows), anchors };
}
