// Tool argument patterns run on RE2's automaton (linear in the input), rewritten to mean what they
// mean in ECMAScript's `u` mode: checked here against JavaScript's own RegExp on every pair.
import { describe, expect, it } from 'vitest';
import { linearRegExp } from '../../src/registry/linear-regexp.js';

const PATTERNS = [
  '^.+$',
  '^\\S+$',
  '^\\s*$',
  '^[\\s\\d]+$',
  '^\\uD83D\\uDE00$',
  '^[\\uD83D\\uDE00-\\uD83D\\uDE4F]+$',
  '^\\u{1F600}$',
  '^\\p{Script=Latin}+$',
  '^\\p{sc=Greek}+$',
  '^\\p{Letter}+$',
  '^\\p{L}+$',
  '^\\p{ASCII}+$',
  '^[\\p{ASCII}]+$',
  '^\\P{ASCII}+$',
  '^[\\s\\S]{1,4096}$',
  '^.{2,1500}$',
  '^[a-z]{1001}$',
  '[]',
  '^[^]+$',
  'a.c',
  '^\\cJ$',
  '^[^\\u0000-\\u001F]{1,2000}$',
  '^[A-Z]{2}-\\d{4}$',
  '\\bfoo\\b',
  '^\\w+@\\w+\\.com$',
  '(?<y>\\d{4})-(?<m>\\d{2})',
  '^(a+)+$',
];
const INPUTS = [
  'a',
  'a\rb',
  'a\nb',
  'a\u2028b',
  'x y',
  'x\u00a0y',
  '\u3000',
  '\ufeff',
  '',
  ' ',
  '😀',
  '😃',
  'abc',
  'Ωμέγα',
  'héllo',
  'a'.repeat(1500),
  'a'.repeat(4096),
  'a'.repeat(4097),
  '😀'.repeat(2000),
  'AB-1234',
  'foo bar',
  'me@host.com',
  '2026-12',
  '\n',
  'ä'.repeat(1001),
  'a'.repeat(1001),
  '\u0001x',
];

describe('Tool argument patterns in linear time', () => {
  it('answer as ECMAScript does, pattern by pattern and input by input', () => {
    const differ: string[] = [];
    for (const p of PATTERNS) {
      const js = new RegExp(p, 'u');
      const re = linearRegExp(p, 'u');
      for (const s of INPUTS)
        if (js.test(s) !== re.test(s)) differ.push(`${JSON.stringify(p)} on ${JSON.stringify(s.slice(0, 20))}`);
    }
    expect(differ).toEqual([]);
  });

  it('refuse what needs backtracking or a count RE2 cannot hold, saying why', () => {
    expect(() => linearRegExp('^(?=a)a$', 'u')).toThrow(/lookahead, lookbehind and backreferences are not supported/);
    expect(() => linearRegExp('^(a)\\1$', 'u')).toThrow(/is not one Fulcrum runs/);
    expect(() => linearRegExp('^(?:[a-z]{1,100}\\.){1,20}$', 'u')).toThrow(
      /nor counts over 1000 except in a whole-pattern length bound/,
    );
  });

  it('runs a catastrophic pattern on 100,000 characters at once', () => {
    expect(linearRegExp('^(a+)+$', 'u').test(`${'a'.repeat(100_000)}!`)).toBe(false);
    expect(linearRegExp('^[\\s\\S]{1,4096}$', 'u').test('a'.repeat(100_000))).toBe(false);
  });
});
