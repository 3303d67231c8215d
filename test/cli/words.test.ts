import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/io.js';
import { parsePairs, scanWords, splitWords } from '../../src/cli/words.js';

describe('splitWords: shell-like words for the simulator REPL', () => {
  it.each([
    ['/intent Order name="two words"', ['/intent', 'Order', 'name=two words']],
    ['/intent Order "name=two words"', ['/intent', 'Order', 'name=two words']],
    ["a='x y'z", ['a=x yz']],
    ["name='two words' count=3", ['name=two words', 'count=3']],
    ['  spaced   out\twords  ', ['spaced', 'out', 'words']],
    ['say="he said \\"hi\\""', ['say=he said "hi"']],
    ['path="C:\\temp\\new"', ['path=C:\\temp\\new']], // other backslashes stay as typed
    ['back="a\\\\b"', ['back=a\\b']],
    ["single='no \\escapes here'", ['single=no \\escapes here']],
    ["it\\'s", ["it's"]],
    ['empty="" next', ['empty=', 'next']],
    ['""', ['']],
    ['ja="ペパロニ 2枚"', ['ja=ペパロニ 2枚']],
    ['', []],
  ])('%s', (line, words) => {
    expect(splitWords(line)).toEqual(words);
  });

  it('marks words that had a quoted part', () => {
    expect(scanWords('count=3 count="3" "a"=b')).toEqual([
      { text: 'count=3', quoted: false },
      { text: 'count=3', quoted: true },
      { text: 'a=b', quoted: true },
    ]);
  });

  it('an unclosed quote is a usage error naming the quote and where it starts', () => {
    expect(() => splitWords('/intent X name="two words')).toThrow(UsageError);
    expect(() => splitWords('/intent X name="two words')).toThrow(
      'Unclosed " in "two words: end the quoted text with " (a quote inside it is written \\")',
    );
    expect(() => splitWords("/intent X name=don't")).toThrow(
      "Unclosed ' in 't: end the quoted text with ' (for an apostrophe inside a value, quote the value with \": name=\"don't\")",
    );
    // An escaped quote does not close the value.
    expect(() => splitWords('x="a\\"')).toThrow('Unclosed "');
  });
});

describe('parsePairs', () => {
  it('types unquoted numbers and booleans when asked, keeps quoted values as text', () => {
    expect(parsePairs(scanWords('n=3 on=true t="3" f=\'false\' s=abc'), true)).toEqual({
      n: 3,
      on: true,
      t: '3',
      f: 'false',
      s: 'abc',
    });
    expect(parsePairs(scanWords('n=3'), false)).toEqual({ n: '3' });
  });

  it('says how to quote when a word is not name=value', () => {
    expect(() => parsePairs(scanWords('name=two words'), false)).toThrow(
      'Expected name=value, got "words" (a value with spaces is quoted: name="two words")',
    );
  });
});
