// A bounded memory of what a node has seen lately, so that something repeated (a device code polled
// while the IdP is down) is acted on once. Keys are kept as SHA-256, at most `max` of them for `ttlMs`:
// past `max` the oldest is forgotten (and may be acted on again), so no caller can grow it.
import { createHash } from 'node:crypto';

export function firstSeen(opts: { max: number; ttlMs: number; now: () => number }) {
  const seen = new Map<string, number>();
  return {
    /** True the first time `key` is seen within `ttlMs`; false after, until it is forgotten. */
    first(key: string): boolean {
      const at = opts.now();
      const hash = createHash('sha256').update(key).digest('base64url');
      const before = seen.get(hash);
      if (before !== undefined && at - before < opts.ttlMs) return false;
      seen.delete(hash);
      seen.set(hash, at);
      // Map order is insertion order: the first key is the oldest.
      for (const [k, t] of seen) {
        if (seen.size <= opts.max && at - t < opts.ttlMs) break;
        seen.delete(k);
      }
      return true;
    },
  };
}
