// The bounded memory that records a device code's IdP outage once (src/auth/first-seen.ts): a key is
// first once per `ttlMs`, and past `max` keys the oldest is forgotten, so no caller can grow it.
import { describe, expect, it } from 'vitest';
import { firstSeen } from '../../src/auth/first-seen.js';

describe('firstSeen', () => {
  it('says first once per key within its time, and again after it', () => {
    let at = 0;
    const seen = firstSeen({ max: 10, ttlMs: 1000, now: () => at });
    expect([seen.first('a'), seen.first('a'), seen.first('b')]).toEqual([true, false, true]);
    at = 999;
    expect(seen.first('a')).toBe(false);
    at = 1000;
    expect(seen.first('a')).toBe(true);
  });

  it('holds at most `max` keys: a flood of new ones forgets the oldest', () => {
    const seen = firstSeen({ max: 3, ttlMs: 60_000, now: () => 0 });
    expect(seen.first('kept-then-lost')).toBe(true);
    for (let i = 0; i < 100_000; i++) expect(seen.first(`flood-${i}`)).toBe(true);
    for (const recent of ['flood-99997', 'flood-99998', 'flood-99999']) expect(seen.first(recent)).toBe(false);
    expect(seen.first('kept-then-lost')).toBe(true);
  });
});
