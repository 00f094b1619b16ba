// Text the databases cannot store as it was sent: PostgreSQL's text (and jsonb) holds no NUL
// character (U+0000), and a lone UTF-16 surrogate (half of a character pair, which a JavaScript
// string and a JSON `\ud800` escape may hold) has no UTF-8 form, so either engine stores U+FFFD in its
// place and cedar-wasm cannot read it at all. One check for what a person sends (docs/api.md, "Text
// Fulcrum stores"): refused, naming the field, before anything is written.
import type { Problem } from './errors.js';

/** What a text holds that no database stores as it is, or undefined (the evidence routes' reason). */
export function unstorableFact(text: string): string | undefined {
  if (text.includes('\0')) return 'holds a NUL character (U+0000)';
  if (!(text as string & { isWellFormed(): boolean }).isWellFormed())
    return 'holds a lone surrogate (half of a UTF-16 character pair)';
  return undefined;
}

/** What is wrong with a text Fulcrum would store, and what to do, or undefined when it can be stored as it is. */
export function unstorable(text: string): string | undefined {
  const fact = unstorableFact(text);
  if (fact === undefined) return undefined;
  return `${fact}, which Fulcrum does not store: ${fact.includes('NUL') ? 'remove it' : 'send well-formed text'}`;
}

/** Nothing past this many problems is looked for: one is enough to refuse, a few show a pattern. */
const MAX_PROBLEMS = 20;

/**
 * Every string (and object key) in `value` that cannot be stored, as problems whose paths are JSON
 * pointers under `at`. The walk needs no bound of its own: what it is given was parsed from a body
 * whose depth is bounded (json-depth.ts) or from a bounded descriptor.
 */
export function unstorableTextProblems(value: unknown, at = ''): Problem[] {
  const problems: Problem[] = [];
  const walk = (v: unknown, path: string): void => {
    if (problems.length >= MAX_PROBLEMS) return;
    if (typeof v === 'string') {
      const message = unstorable(v);
      if (message) problems.push({ path: path || '/', message });
    } else if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, `${path}/${i}`);
    } else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        const here = `${path}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`;
        const message = unstorable(k);
        if (message && problems.length < MAX_PROBLEMS) problems.push({ path: here, message: `its name ${message}` });
        walk(x, here);
      }
  };
  walk(value, at);
  return problems;
}
