// Cedar's `like`: literal runs separated by `*` wildcards, matched left to right without
// backtracking, so a decision's cost grows linearly with the argument, whatever the pattern.
import type { PatternElem } from '@cedar-policy/cedar-wasm/nodejs';

/**
 * A matcher for one pattern as cedar-wasm parses it (escapes already resolved: `\*` arrives as a
 * literal `*`, one Literal per character).
 */
export function likeMatcher(pattern: readonly PatternElem[]): (s: string) => boolean {
  const parts = likeParts(pattern);
  const [only] = parts;
  if (parts.length === 1 && only !== undefined) return (s) => s === only;
  return (s) => matchParts(parts, s);
}

/** The pattern's literal runs: n wildcards make n + 1 runs (empty where wildcards touch). */
export function likeParts(pattern: readonly PatternElem[]): string[] {
  const parts: string[] = [''];
  for (const el of pattern) {
    if (el === 'Wildcard') parts.push('');
    else parts[parts.length - 1] += el.Literal;
  }
  return parts;
}

/**
 * Whether `s` is parts[0], then anything, parts[1], anything, …, the last part. Greedy is exact
 * for a glob whose only operator is `*`: the first run must be a prefix and the last a suffix;
 * every run between may start anywhere after the previous one, and taking its leftmost occurrence
 * leaves the most room for the rest, so no other choice can succeed where it fails. One indexOf per
 * run, each starting where the previous one ended: the cursor never moves back.
 *
 * Cedar matches Unicode scalar values; this compares UTF-16 code units, and the two agree: every
 * run is well-formed text (it comes from a parsed policy), so it neither starts with a low
 * surrogate nor ends with a high one, and cannot match half of a surrogate pair in `s`.
 *
 * `onSearch` (tests only) sees each search's start and where the run was found (-1: not found).
 */
export function matchParts(parts: readonly string[], s: string, onSearch?: (from: number, found: number) => void): boolean {
  const last = parts.length - 1;
  if (last === 0) return s === parts[0]; // no wildcard
  const head = parts[0] as string;
  const tail = parts[last] as string;
  // Prefix and suffix may not overlap: the wildcards between them match zero characters or more.
  if (s.length < head.length + tail.length || !s.startsWith(head) || !s.endsWith(tail)) return false;
  const end = s.length - tail.length;
  let at = head.length;
  for (let i = 1; i < last; i++) {
    const run = parts[i] as string;
    if (run === '') continue;
    const found = s.indexOf(run, at);
    onSearch?.(at, found);
    if (found < 0 || found + run.length > end) return false;
    at = found + run.length;
  }
  return true;
}
