// Cedar's `like` without backtracking: the matcher's cursor only moves forward, so its work is
// bounded by the input's length whatever the pattern; and it answers as a regular expression does
// (the reference for small inputs; cedar-wasm is the reference in differential.test.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { likeMatcher, likeParts, matchParts } from '../../src/policy/like.js';

/** Cedar's pattern syntax (`*` a wildcard, `\*` a star) as cedar-wasm parses it: one element a character. */
const elems = (pattern: string) =>
  [...pattern.matchAll(/\\\*|./gsu)].map(([m]) => (m === '*' ? ('Wildcard' as const) : { Literal: m === '\\*' ? '*' : m }));
const partsOf = (pattern: string) => likeParts(elems(pattern));

/** Every search the matcher makes: where it started and where the run was found. */
function searches(pattern: string, s: string) {
  const parts = partsOf(pattern);
  const seen: Array<{ from: number; found: number; run: string }> = [];
  const runs = parts.slice(1, -1).filter((r) => r !== '');
  const matched = matchParts(parts, s, (from, found) => seen.push({ from, found, run: runs[seen.length] as string }));
  return { parts, seen, matched };
}

describe('like: linear in the input', () => {
  const hostile: Array<[string, string, string]> = [
    ['prompt injection, 512 KB', '*ignore*previous*instructions*', `${'ignore previous '.repeat(32 * 1024)}instruction`],
    ['*a*a*a*b*, 400 characters', '*a*a*a*b*', 'a'.repeat(400)],
    ['12 stars, 512 KB', '*a*a*a*a*a*a*a*a*a*a*a*a*b*', 'a'.repeat(512 * 1024)],
    ['200 stars, 512 KB', `${'*ab'.repeat(200)}*`, 'ab'.repeat(256 * 1024)],
  ];
  it.each(hostile)('%s: one search per literal run, each from where the last ended', (_, pattern, s) => {
    const { parts, seen } = searches(pattern, s);
    // At most one indexOf per run between the first and the last (which are compared in place).
    expect(seen.length).toBeLessThanOrEqual(parts.length - 2);
    let cursor = (parts[0] as string).length;
    for (const { from, found, run } of seen) {
      // The cursor never moves back: the searches cover disjoint, consecutive stretches of the input,
      // so the characters examined add up to at most its length.
      expect(from).toBe(cursor);
      if (found < 0) break;
      expect(found).toBeGreaterThanOrEqual(from);
      cursor = found + run.length;
    }
    expect(cursor).toBeLessThanOrEqual(s.length);
  });

  it('answers as a regular expression does, on small inputs', () => {
    const char = fc.constantFrom('a', 'b', '*', '😀', 'é', '\n');
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', '*', '\\*', '😀', 'é'), { maxLength: 12 }).map((xs) => xs.join('')),
        fc.array(char, { maxLength: 16 }).map((xs) => xs.join('')),
        (pattern, s) => {
          const parts = partsOf(pattern);
          const source = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
          expect(likeMatcher(elems(pattern))(s)).toBe(new RegExp(`^${source}$`, 'su').test(s));
          expect(matchParts(parts, s)).toBe(new RegExp(`^${source}$`, 'su').test(s));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('matches code points, never half of a surrogate pair', () => {
    expect(matchParts(partsOf('*😀'), 'x😀')).toBe(true);
    expect(matchParts(partsOf('😀*😀'), '😀')).toBe(false);
    expect(matchParts(partsOf('*\\**'), 'a*b')).toBe(true);
    expect(matchParts(partsOf('*\\**'), 'ab')).toBe(false);
    expect(matchParts(partsOf('a*a'), 'a')).toBe(false);
    expect(matchParts(partsOf('a**a'), 'aa')).toBe(true);
  });
});
