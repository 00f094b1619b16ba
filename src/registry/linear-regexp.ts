// The regular expressions a Tool's argument schema carries (`pattern`, `patternProperties`) run on
// what agents send, on the event loop. JavaScript's RegExp backtracks: `^(a+)+$` against 28 a's and
// a `!` held a node 3.2 s, doubling with each further character. So they run on RE2's automaton
// (re2js, a pure JavaScript port), linear in the input's length whatever the pattern, with the
// pattern first rewritten so that it means what ECMAScript (JSON Schema's dialect, `u` mode) means:
//
// - `\uXXXX` (a surrogate pair of them joined), `\u{…}`, `\cX` → RE2's `\x{…}`;
// - `.` → any character but the four line terminators (RE2's `.` stops at `\n` only);
// - `\s` / `\S` → ECMAScript's whitespace set and its complement (RE2's is ASCII only);
// - `\p{Script=X}` / `\p{sc=X}` → `\p{X}`, long general-category names → short ones, `\p{ASCII}`;
// - `^X{m,n}$` where X is one character (a class, an escape, `.`, a literal) and n > 1,000 (RE2's
//   largest count; `^[\s\S]{1,4096}$` is a common length bound) → `^X*$` and a length check in
//   code points, as ECMAScript's `u` mode counts.
//
// What needs backtracking (lookaround, backreferences) or a larger count elsewhere is refused where
// the schema is checked, at apply, naming the pattern and why.
import type { RegExpEngine } from 'ajv/dist/types/index.js';
import { RE2JS } from 're2js';

// ECMAScript's \s: WhiteSpace and LineTerminator.
const SPACE = '\\t\\n\\x{b}\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}';
const CATEGORIES: Record<string, string> = {
  Letter: 'L',
  Lowercase_Letter: 'Ll',
  Uppercase_Letter: 'Lu',
  Titlecase_Letter: 'Lt',
  Modifier_Letter: 'Lm',
  Other_Letter: 'Lo',
  Mark: 'M',
  Number: 'N',
  Decimal_Number: 'Nd',
  Letter_Number: 'Nl',
  Other_Number: 'No',
  Punctuation: 'P',
  Symbol: 'S',
  Separator: 'Z',
  Space_Separator: 'Zs',
  Other: 'C',
  Control: 'Cc',
  Format: 'Cf',
};

const hex = (s: string, from: number, n: number) =>
  /^[0-9a-fA-F]+$/.test(s.slice(from, from + n)) && s.length >= from + n ? s.slice(from, from + n) : undefined;

/** The pattern in RE2's syntax, meaning what it means in ECMAScript. */
export function toRe2(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '[' && !inClass) {
      // ECMAScript's `[]` matches nothing and `[^]` anything; RE2 reads a `]` there as a member.
      if (pattern.startsWith('[]', i) || pattern.startsWith('[^]', i)) {
        const any = pattern[i + 1] === '^';
        out += any ? '[\\x{0}-\\x{10ffff}]' : '[^\\x{0}-\\x{10ffff}]';
        i += any ? 2 : 1;
        continue;
      }
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') out += pattern[++i];
      continue;
    }
    if (c === ']' && inClass) {
      inClass = false;
      out += c;
      continue;
    }
    if (c === '.' && !inClass) {
      out += '[^\\n\\r\\x{2028}\\x{2029}]';
      continue;
    }
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = pattern[i + 1] ?? '';
    if (next === 'u' && pattern[i + 2] === '{') {
      const end = pattern.indexOf('}', i + 3);
      const code = end > 0 ? hex(pattern, i + 3, end - i - 3) : undefined;
      if (code !== undefined) {
        out += `\\x{${code}}`;
        i = end;
        continue;
      }
    }
    const four = next === 'u' ? hex(pattern, i + 2, 4) : undefined;
    if (four !== undefined) {
      const high = Number.parseInt(four, 16);
      const low = pattern[i + 6] === '\\' && pattern[i + 7] === 'u' ? hex(pattern, i + 8, 4) : undefined;
      const lowCode = low === undefined ? 0 : Number.parseInt(low, 16);
      if (high >= 0xd800 && high <= 0xdbff && lowCode >= 0xdc00 && lowCode <= 0xdfff) {
        out += `\\x{${((high - 0xd800) * 0x400 + (lowCode - 0xdc00) + 0x10000).toString(16)}}`;
        i += 11;
      } else {
        out += `\\x{${four}}`;
        i += 5;
      }
      continue;
    }
    if (next === 'c' && /^[a-zA-Z]$/.test(pattern[i + 2] ?? '')) {
      out += `\\x{${((pattern[i + 2] as string).charCodeAt(0) % 32).toString(16)}}`;
      i += 2;
      continue;
    }
    if (next === 's') {
      out += inClass ? SPACE : `[${SPACE}]`;
      i += 1;
      continue;
    }
    if (next === 'S' && !inClass) {
      out += `[^${SPACE}]`;
      i += 1;
      continue;
    }
    if ((next === 'p' || next === 'P') && pattern[i + 2] === '{') {
      const end = pattern.indexOf('}', i + 3);
      const name = end > 0 ? pattern.slice(i + 3, end) : '';
      const script = /^(?:Script|sc|Script_Extensions|scx)=(\w+)$/.exec(name)?.[1];
      const gc = /^(?:General_Category|gc)=(\w+)$/.exec(name)?.[1] ?? name;
      if (name === 'ASCII') {
        out += next === 'p' ? (inClass ? '\\x{0}-\\x{7f}' : '[\\x{0}-\\x{7f}]') : inClass ? '' : '[^\\x{0}-\\x{7f}]';
        i = end;
        continue;
      }
      const short = script ?? CATEGORIES[gc] ?? gc;
      out += `\\${next}{${short}}`;
      i = end;
      continue;
    }
    out += c + next;
    i += 1;
  }
  return out;
}

const MAX_COUNT = 1000;
// `^X{m,n}$`, X one character: a class (no nested `[`), an escape, `.`, or a literal.
const LENGTH_BOUND =
  /^\^(\[(?:\\.|[^\]\\])*\]|\\u\{[0-9a-fA-F]+\}|\\u[0-9a-fA-F]{4}|\\.|\.|[^\\[\](){}*+?|^$])\{(\d+)(?:(,)(\d*))?\}\$$/;

function compile(pattern: string, flags: string): RE2JS {
  return RE2JS.compile(toRe2(pattern), flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0);
}

export const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string, flags: string) => {
    const key = `/${pattern}/${flags}`; // Ajv keeps one compiled pattern per toString(): they must differ
    try {
      const bound = LENGTH_BOUND.exec(pattern);
      if (bound && Number(bound[4] || bound[2]) > MAX_COUNT) {
        const [, atom, min, comma, max] = bound as unknown as [string, string, string, string | undefined, string];
        const each = compile(`^${atom}*$`, flags);
        const lo = Number(min);
        const hi = comma === undefined ? lo : max === '' ? Number.POSITIVE_INFINITY : Number(max);
        const length = (s: string) => {
          let n = 0;
          for (const _ of s) n++;
          return n;
        };
        return {
          test: (s: string) => {
            if (s.length < lo || (hi !== Number.POSITIVE_INFINITY && s.length > 2 * hi)) return false;
            const n = length(s);
            return n >= lo && n <= hi && each.test(s);
          },
          toString: () => key,
        };
      }
      const re = compile(pattern, flags);
      return { test: (s: string) => re.test(s), toString: () => key };
    } catch (err) {
      throw new Error(
        `pattern ${JSON.stringify(pattern.length > 200 ? `${pattern.slice(0, 200)}…` : pattern)} is not one Fulcrum runs: ` +
          `${(err as Error).message} (patterns run in linear time: lookahead, lookbehind and backreferences are not supported, ` +
          `nor counts over ${MAX_COUNT} except in a whole-pattern length bound such as ^[a-z]{1,4096}$)`,
      );
    }
  },
  { code: 'linearRegExp' },
);
