// The regular expressions a Tool's argument schema carries (`pattern`, `patternProperties`) run on
// what agents send, on the event loop. JavaScript's RegExp backtracks: `^(a+)+$` against 28 a's and
// a `!` held a node 3.2 s, doubling with each further character. So they run on RE2's automaton
// (re2js, a pure JavaScript port), linear in the input's length whatever the pattern. What needs
// backtracking (lookaround, backreferences) is refused where the schema is checked, at apply,
// naming the pattern. Differences from ECMAScript that remain, as RE2 defines them: `\s` is ASCII
// whitespace only, and `.` matches `\r`, U+2028 and U+2029 (not `\n`).
import type { RegExpEngine } from 'ajv/dist/types/index.js';
import { RE2JS } from 're2js';

/** ECMAScript escapes RE2 spells otherwise: `\uXXXX` and `\u{X…}` → `\x{…}`; `\cX` → `\x{…}`. */
function toRe2(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = pattern[i + 1];
    const four = /^[0-9a-fA-F]{4}/.exec(pattern.slice(i + 2, i + 6));
    const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(pattern.slice(i + 2, i + 10));
    const control = /^[a-zA-Z]/.exec(pattern.slice(i + 2, i + 3));
    if (next === 'u' && four) {
      out += `\\x{${four[0]}}`;
      i += 5;
    } else if (next === 'u' && braced) {
      out += `\\x{${braced[1]}}`;
      i += 1 + (braced[0]?.length ?? 0);
    } else if (next === 'c' && control) {
      out += `\\x{${((control[0] as string).charCodeAt(0) % 32).toString(16)}}`;
      i += 2;
    } else {
      out += c + (next ?? '');
      i += 1;
    }
  }
  return out;
}

export const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string, flags: string) => {
    let re: RE2JS;
    try {
      re = RE2JS.compile(toRe2(pattern), flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0);
    } catch (err) {
      throw new Error(
        `pattern ${JSON.stringify(pattern.length > 200 ? `${pattern.slice(0, 200)}…` : pattern)} is not one Fulcrum runs: ` +
          `${(err as Error).message} (patterns run in linear time, so lookahead, lookbehind and backreferences are not supported)`,
      );
    }
    // Ajv keeps one compiled pattern per `toString()`: it must tell patterns apart.
    return { test: (s: string) => re.test(s), toString: () => `/${pattern}/${flags}` };
  },
  { code: 'linearRegExp' },
);
