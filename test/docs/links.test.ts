import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// The Markdown files of the npm package are read where the package is: in node_modules, on npm's
// site, in an editor. There a link to bench/ or test/ (not shipped) leads nowhere, an anchor to a
// heading that was renamed leads to the top of the page, and a plain-http link is a downgrade. So
// every relative link of every shipped Markdown file must reach a shipped file (or a folder holding
// some), every anchor into a Markdown file must name one of its headings, and every absolute link
// must be https. What "shipped" means is asked of npm itself (`npm pack --dry-run`, which reads
// "files", .npmignore and npm's own rules, and builds nothing).
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The files `npm pack` would put in the tarball, as package-relative paths. */
function packedFiles(): string[] {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [pack] = JSON.parse(output) as { files: { path: string }[] }[];
  return pack!.files.map((file) => file.path);
}

interface Link {
  /** 1-based line of the link's target in the page. */
  line: number;
  target: string;
}

/** A fault of the page itself, not of one link's target. */
interface Problem {
  line: number;
  message: string;
}

/** Every character but line breaks as a space: offsets and line numbers stay those of the file. */
const blank = (text: string) => text.replace(/[^\n]/g, ' ');

/**
 * The prose of a page: fenced code blocks, code spans and HTML comments blanked out (a link or a
 * heading there is not one). Fences follow CommonMark: a backtick fence's info string has no
 * backtick, and a closing fence is the opening character, at least as long, and nothing after it.
 * `fenceSlips` are the lines that look like a closing fence but are not (text after the backticks):
 * everything after one renders inside out, code as prose and prose as code.
 */
function proseOf(markdown: string): { prose: string; fenceSlips: Problem[] } {
  let fence: { char: string; length: number; line: number } | undefined;
  const fenceSlips: Problem[] = [];
  const lines = markdown.split('\n').map((line, i) => {
    if (fence) {
      const close = /^\s*(`{3,}|~{3,})(.*)$/.exec(line);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length) {
        if (close[2]!.trim() === '') fence = undefined;
        else
          fenceSlips.push({
            line: i + 1,
            message: `text after the fence does not close the code block opened on line ${fence.line}`,
          });
      }
      return blank(line);
    }
    const open = /^\s*(`{3,}|~{3,})(.*)$/.exec(line);
    if (open && !(open[1]![0] === '`' && open[2]!.includes('`'))) {
      fence = { char: open[1]![0]!, length: open[1]!.length, line: i + 1 };
      return blank(line);
    }
    return line;
  });
  return { prose: blankCodeSpans(lines.join('\n').replace(/<!--[\s\S]*?-->/g, blank)), fenceSlips };
}

/** Code spans: a run of n backticks up to the next run of exactly n, within one paragraph. */
function blankCodeSpans(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const tick = text.indexOf('`', i);
    if (tick === -1) break;
    let n = 1;
    while (text[tick + n] === '`') n++;
    // A backslash-escaped backtick opens nothing.
    const escaped = /(^|[^\\])(\\\\)*\\$/.test(text.slice(Math.max(0, tick - 8), tick));
    const close = escaped ? -1 : findRun(text, tick + n, n);
    if (close === -1) {
      out += text.slice(i, tick + n);
      i = tick + n;
      continue;
    }
    out += text.slice(i, tick) + blank(text.slice(tick, close + n));
    i = close + n;
  }
  return out + text.slice(i);
}

function findRun(text: string, from: number, n: number): number {
  const blankLine = /\n[ \t]*\n/g;
  blankLine.lastIndex = from;
  const end = blankLine.exec(text)?.index ?? text.length;
  for (let i = text.indexOf('`', from); i !== -1 && i < end; i = text.indexOf('`', i)) {
    let m = 1;
    while (text[i + m] === '`') m++;
    if (m === n) return i;
    i += m;
  }
  return -1;
}

/** GitHub's heading anchor: lower case, punctuation and symbols dropped, spaces as hyphens. */
function slugOf(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link or image: its text
    .replace(/<[^>]+>/g, '') // HTML tags
    .split(/(`+[^`]*`+)/) // code spans keep their underscores and asterisks...
    .map((part, i) =>
      i % 2 === 1 ? part.replace(/`/g, '') : part.replace(/\*+|(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])/gu, ''),
    ) // ...emphasis markers elsewhere are not text
    .join('')
    .trim();
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a page offers: one per heading (a repeated one gets -1, -2, ...), and HTML ids. */
function anchorsOf(markdown: string): Set<string> {
  const { prose } = proseOf(markdown);
  const lines = prose.split('\n');
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const add = (heading: string) => {
    const base = slugOf(heading);
    let slug = base;
    while (anchors.has(slug)) {
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      slug = `${base}-${n}`;
    }
    anchors.add(slug);
  };
  // Headings are found in the prose (not in code) and read from the file (code spans are text).
  const atx = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
  const source = markdown.split('\n');
  lines.forEach((line, i) => {
    if (atx.test(line)) return add(atx.exec(source[i]!)?.[1] ?? '');
    const previous = lines[i - 1];
    if (
      /^ {0,3}(=+|-+)[ \t]*$/.test(line) &&
      previous !== undefined &&
      previous.trim() !== '' &&
      !/^\s*([-*+>|#]|\d+[.)])/.test(previous)
    )
      add(source[i - 1]!.trim());
  });
  for (const match of prose.matchAll(/<[a-z][^>]*?\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi))
    anchors.add(match[1] ?? match[2]!);
  return anchors;
}

/** Every link of a page: inline links and images, reference definitions, HTML href/src, autolinks. */
function linksOf(markdown: string): { links: Link[]; problems: Problem[] } {
  const { prose, fenceSlips } = proseOf(markdown);
  const lineAt = (offset: number) => prose.slice(0, offset).split('\n').length;
  const links: Link[] = [];
  const problems: Problem[] = [...fenceSlips];
  const targets = new Set<number>();
  const add = (offset: number, target: string) => {
    targets.add(offset);
    links.push({ line: lineAt(offset), target });
  };
  const inline =
    /!?\[(?:\\.|[^[\]\\]|\[(?:\\.|[^[\]\\])*\])*\]\([ \t\n]*(<[^<>\n]*>|(?:\\.|[^\s()\\]|\((?:\\.|[^\s()\\])*\))*)(?:[ \t\n]+(?:"[^"]*"|'[^']*'|\([^()]*\)))?[ \t\n]*\)/g;
  for (const match of prose.matchAll(inline)) {
    const destination = match[1]!;
    const offset = match.index + match[0].lastIndexOf(destination);
    add(offset, destination.replace(/^<|>$/g, ''));
  }
  const definitions = new Set<string>();
  for (const match of prose.matchAll(/^ {0,3}\[((?:\\.|[^[\]\\])+)\]:[ \t]*(<[^<>\n]*>|\S+)/gm)) {
    definitions.add(labelOf(match[1]!));
    add(match.index + match[0].lastIndexOf(match[2]!), match[2]!.replace(/^<|>$/g, ''));
  }
  for (const match of prose.matchAll(/\[((?:\\.|[^[\]\\])*)\]\[((?:\\.|[^[\]\\])*)\]/g)) {
    const label = labelOf(match[2] || match[1]!);
    if (!definitions.has(label))
      problems.push({ line: lineAt(match.index), message: `[${match[2] || match[1]}]: no such reference` });
  }
  for (const match of prose.matchAll(
    /<(?:a|img|source)\b[^>]*?\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi,
  )) {
    const value = match[1] ?? match[2]!;
    add(match.index + match[0].lastIndexOf(value), value);
  }
  for (const match of prose.matchAll(/<([a-z][a-z0-9+.-]*:[^\s<>]*)>/gi)) add(match.index + 1, match[1]!);
  // GitHub also links a bare URL in prose: a plain-http one must be https, or code (a local address).
  for (const match of prose.matchAll(/http:\/\/[^\s<>()]*/gi))
    if (!targets.has(match.index))
      problems.push({
        line: lineAt(match.index),
        message: `${match[0]}: a bare http URL, which GitHub turns into a link: use https, or write it as code`,
      });
  return { links, problems };
}

const labelOf = (label: string) => label.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Checks every link of `pages` (package-relative path → content) against the shipped files.
 * Returns one line per broken link: `file:line: target: why`.
 */
function brokenLinks(pages: Map<string, string>, shipped: readonly string[]): string[] {
  const files = new Set(shipped);
  const folders = new Set<string>(['.']);
  for (const file of shipped)
    for (let dir = posix.dirname(file); dir !== '.'; dir = posix.dirname(dir)) folders.add(dir);
  const anchorCache = new Map<string, Set<string>>();
  const anchors = (file: string) => {
    let found = anchorCache.get(file);
    if (!found) {
      found = anchorsOf(pages.get(file) ?? readFileSync(`${ROOT}${file}`, 'utf8'));
      anchorCache.set(file, found);
    }
    return found;
  };

  const why = (page: string, target: string): string | undefined => {
    if (/^https:\/\/[^/]/i.test(target) || /^mailto:/i.test(target)) return undefined;
    if (/^http:/i.test(target)) return 'plain http: use https';
    if (target === '') return 'empty link';
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//'))
      return 'neither a relative link nor an https URL';
    const hash = target.indexOf('#');
    const pathPart = (hash === -1 ? target : target.slice(0, hash)).replace(/\?.*$/, '');
    let path: string;
    let anchor: string | undefined;
    try {
      path = decodeURIComponent(pathPart);
      anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
    } catch {
      return 'bad percent-encoding';
    }
    if (path.startsWith('/')) return 'an absolute path leads nowhere in the package: use a relative link';
    const file =
      path === '' ? page : posix.normalize(posix.join(posix.dirname(page), path)).replace(/\/$/, '');
    if (file === '..' || file.startsWith('../')) return 'outside the package';
    if (!files.has(file) && !folders.has(file)) return `${file} is not in the package`;
    if (anchor && files.has(file) && file.endsWith('.md') && !anchors(file).has(anchor))
      return `${file} has no heading with the anchor #${anchor}`;
    return undefined;
  };

  const broken: string[] = [];
  for (const [page, markdown] of pages) {
    const { links, problems } = linksOf(markdown);
    for (const problem of problems) broken.push(`${page}:${problem.line}: ${problem.message}`);
    for (const link of links) {
      const reason = why(page, link.target);
      if (reason) broken.push(`${page}:${link.line}: ${link.target}: ${reason}`);
    }
  }
  return broken;
}

describe('links in the published Markdown files', () => {
  let shipped: string[];
  let pages: Map<string, string>;

  beforeAll(() => {
    shipped = packedFiles();
    pages = new Map(
      shipped
        .filter((file) => file.endsWith('.md'))
        .map((file) => [file, readFileSync(`${ROOT}${file}`, 'utf8')]),
    );
  }, 60_000);

  it('are checked in the README, the guides, the error table and the examples', () => {
    expect([...pages.keys()]).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/errors.md',
        'docs/guides/verification.md',
        'examples/README.md',
      ]),
    );
  });

  it('reach shipped files and existing headings, and leave the package over https only', () => {
    const broken = brokenLinks(pages, shipped);
    expect(broken, `${broken.length} broken link(s) in the published docs:\n${broken.join('\n')}\n`).toEqual(
      [],
    );
  });
});

describe('the link checker', () => {
  const shipped = ['README.md', 'docs/guides/a.md', 'docs/guides/b.md', 'examples/x/main.ts'];
  const check = (page: string, markdown: string, others: Record<string, string> = {}) =>
    brokenLinks(new Map([[page, markdown], ...Object.entries(others)]), shipped);

  it('finds links to unshipped files, missing headings and plain http, with their lines', () => {
    const page = [
      '# Title',
      '',
      'See [the bench](../../bench/README.md) and [b](b.md#missing),',
      'an [old](http://example.com) link, [up](../../../x.md) and [root](/README.md).',
      '<a href="../../test/x.test.ts">test</a> [ref][nowhere]',
    ].join('\n');
    expect(check('docs/guides/a.md', page, { 'docs/guides/b.md': '# B\n' })).toEqual([
      'docs/guides/a.md:5: [nowhere]: no such reference',
      'docs/guides/a.md:3: ../../bench/README.md: bench/README.md is not in the package',
      'docs/guides/a.md:3: b.md#missing: docs/guides/b.md has no heading with the anchor #missing',
      'docs/guides/a.md:4: http://example.com: plain http: use https',
      'docs/guides/a.md:4: ../../../x.md: outside the package',
      'docs/guides/a.md:4: /README.md: an absolute path leads nowhere in the package: use a relative link',
      'docs/guides/a.md:5: ../../test/x.test.ts: test/x.test.ts is not in the package',
    ]);
  });

  it('accepts shipped files, folders, headings (GitHub slugs) and https, and ignores code', () => {
    const page = [
      '## The `cekit` command',
      '## Utterances: `say("roll three dice")`',
      '## Repeated',
      '## Repeated',
      '## User-attribute errors (`StoreError`) & _more_',
      '[a](#the-cekit-command) [b](#utterances-sayroll-three-dice) [c](#repeated-1)',
      '[d](#user-attribute-errors-storeerror--more) [e](../../examples/x/main.ts) [f](../../examples)',
      '[g](b.md#b-heading) [h](https://example.com/(x)) <https://example.com> [i](../../README.md)',
      '`[not a link](nowhere.md)` and http://localhost in `http://127.0.0.1/`',
      '```ts',
      "import x from 'y'; // [not a link](nowhere.md) http://x",
      '```',
    ].join('\n');
    expect(check('docs/guides/a.md', page, { 'docs/guides/b.md': '# B heading\n' })).toEqual([
      'docs/guides/a.md:9: http://localhost: a bare http URL, which GitHub turns into a link: use https, or write it as code',
    ]);
  });

  it('treats a fence line with text after it as code, as CommonMark does', () => {
    const page = ['```', 'code', '``` not a closing fence', '## Not a heading', '```', '[a](#not-a-heading)'];
    expect(check('docs/guides/a.md', page.join('\n'))).toEqual([
      'docs/guides/a.md:3: text after the fence does not close the code block opened on line 1',
      'docs/guides/a.md:6: #not-a-heading: docs/guides/a.md has no heading with the anchor #not-a-heading',
    ]);
  });
});
