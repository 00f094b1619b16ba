// canonicalJson is what approvals bind arguments with and what tells a changed descriptor from an
// unchanged one, so its output must never change: it is checked against the definition it replaced
// (JSON.stringify of a copy whose keys were inserted in sorted order).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/registry/model.js';

function reference(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return JSON.stringify(sortKeys(value));
}

// Keys that exercise the ordering rules: integer-like ones (enumerated first, numerically), ones
// that only look numeric, unicode, and the empty key.
const key = fc.oneof(
  fc.string(),
  fc.nat({ max: 20 }).map(String),
  fc.constantFrom('01', '-1', '1.5', '4294967295', '4294967294', '', 'é', 'Z', 'a', '__proto__x'),
);
const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.integer(),
    fc.string(),
    fc.constant(undefined),
    fc.array(tie('any'), { maxLength: 5 }),
    fc.dictionary(key, tie('any'), { maxKeys: 6 }),
  ),
})).any;

describe('canonicalJson', () => {
  it('writes exactly what the sorted-copy definition wrote, for any JSON-like value', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(reference(v));
      }),
      { numRuns: 20_000 },
    );
  });

  it('puts integer-like keys first, in numeric order, then the others sorted', () => {
    expect(canonicalJson({ b: 1, 10: 2, a: { z: 1, 2: 0 }, 2: 3 })).toBe('{"2":3,"10":2,"a":{"2":0,"z":1},"b":1}');
  });
});
