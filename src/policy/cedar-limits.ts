// Bounds on Cedar text, checked before cedar-wasm sees it. cedar-wasm recurses on a 1 MB stack
// inside WebAssembly memory with no depth limit of its own; overrunning it corrupts the instance
// ("memory access out of bounds" from then on, for every call). Measured with cedar-wasm 4.x in a
// worker: parsing fails from 131 nested parentheses, 127 nested sets, 119 nested records, 771
// nested `if`s (554 to validate); policyToJson and validate fail on an operator chain without
// brackets (`a || b || …`, `a.b.c…`, `1 + 1 + …`) from ~1,750 operators. The limits below are about
// half of those, and the scanner is one pass over the text, without allocation per character.

/** Deepest nesting of ( [ { and `if` a policy text may have. */
export const MAX_CEDAR_DEPTH = 64;
/** Most operators on one path through an expression (each makes one level of Cedar's tree). */
export const MAX_CEDAR_CHAIN = 1_000;
/** Longest Cedar text one Policy may hold, in UTF-16 code units. */
export const MAX_CEDAR_LENGTH = 100_000;

export interface BoundsProblem {
  message: string;
  /** Where the limit was first passed, in UTF-16 code units into the text. */
  offset: number;
}

const WORD_OPS = new Set(['in', 'has', 'like', 'is']);

/**
 * Why cedar-wasm must not be given this text, or undefined. An upper bound on Cedar's tree depth,
 * without parsing: depth counts open brackets plus the `if`s opened inside them, chain counts the
 * operators (and `.` accesses) before this point inside every open bracket. Both go back down when
 * the bracket, set or record element, or policy that holds them ends. String literals and `//`
 * comments are skipped.
 */
export function checkCedarBounds(text: string): BoundsProblem | undefined {
  if (text.length > MAX_CEDAR_LENGTH)
    return { message: `Cedar text is ${text.length} characters long; at most ${MAX_CEDAR_LENGTH} are accepted`, offset: 0 };
  // Per open bracket level: `if`s and operators seen in its current element.
  const ifs: number[] = [0];
  const ops: number[] = [0];
  let level = 0;
  let depth = 0; // level + every entry of ifs
  let chain = 0; // every entry of ops
  const closeElement = () => {
    depth -= ifs[level] as number;
    chain -= ops[level] as number;
    ifs[level] = 0;
    ops[level] = 0;
  };
  const op = (at: number) => {
    ops[level] = (ops[level] as number) + 1;
    return ++chain > MAX_CEDAR_CHAIN ? tooLong(at) : undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let problem: BoundsProblem | undefined;
    if (c === 0x22 /* " */) {
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c /* \ */ ? 2 : 1;
    } else if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      while (i < text.length && text.charCodeAt(i) !== 0x0a) i++;
    } else if (c === 0x28 || c === 0x5b || c === 0x7b /* ( [ { */) {
      level++;
      ifs[level] = 0;
      ops[level] = 0;
      if (++depth > MAX_CEDAR_DEPTH) return tooDeep(i);
    } else if (c === 0x29 || c === 0x5d || c === 0x7d /* ) ] } */) {
      if (level === 0) continue; // unbalanced: cedar-wasm reports it
      closeElement();
      level--;
      depth--;
    } else if (c === 0x2c /* , */ || c === 0x3b /* ; */) {
      closeElement();
    } else if (isIdent(c)) {
      const start = i;
      while (i + 1 < text.length && isIdent(text.charCodeAt(i + 1))) i++;
      const word = text.slice(start, i + 1);
      if (word === 'if') {
        ifs[level] = (ifs[level] as number) + 1;
        if (++depth > MAX_CEDAR_DEPTH) return tooDeep(start);
      } else if (WORD_OPS.has(word)) problem = op(start);
    } else if (c === 0x26 || c === 0x7c || c === 0x3d || c === 0x3c || c === 0x3e || c === 0x21 /* & | = < > ! */) {
      problem = op(i);
      // && || == != <= >= are one operator each
      const next = text.charCodeAt(i + 1);
      if (next === 0x3d || ((c === 0x26 || c === 0x7c) && next === c)) i++;
    } else if (c === 0x2b || c === 0x2d || c === 0x2a || c === 0x2e /* + - * . */) {
      problem = op(i);
    }
    if (problem) return problem;
  }
  return undefined;
}

function tooDeep(offset: number): BoundsProblem {
  return {
    message: `Cedar text is nested more than ${MAX_CEDAR_DEPTH} deep (parentheses, sets, records and if-then-else together)`,
    offset,
  };
}

function tooLong(offset: number): BoundsProblem {
  return {
    message: `Cedar expression chains more than ${MAX_CEDAR_CHAIN} operators; split it with brackets or into policies`,
    offset,
  };
}

function isIdent(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}
