// How deeply an upstream's answer may nest. JSON.parse reads any depth, but JSON.stringify recurses
// per level and overflows the stack somewhere past a few thousand: 20 KB of brackets, far under the
// size bound, could not be written back to the agent (a 500, a stream that never ended, a crash).

/** The deepest nesting of objects and arrays passed on from an upstream, as for request bodies (docs/errors.md). */
export const MAX_ANSWER_DEPTH = 64;

/** Whether `value` nests objects and arrays deeper than `max` (walked without recursion). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [v, depth] = next;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
