// Failed credential attempts, limited per client address: past `max` failures in a window, that
// address's requests are answered 429 `rate_limited` with Retry-After, before any lookup or write,
// until the window ends. Agents already in this node's key table keep working from that address.
// In memory and per node (docs/auth.md): N nodes give an address N times the budget. An IPv6 client
// is counted by its /64 (clientKey), so rotating through its own prefix buys it nothing. The same budget
// covers the sign-in steps that make Fulcrum call the IdP (routes/identity.ts). `max: 0` turns it off.

import { RateLimitedError } from '../errors.js';
import { clientKey } from '../net/addresses.js';

/** An address's budget of calls Fulcrum makes to the IdP for it, per allowed failure (docs/auth.md). */
export const IDP_CALLS_PER_FAILURE = 4;

export interface FailureLimiterOptions {
  /** Failures an address may have in one window (0: no limit). */
  max: number;
  windowMs: number;
  /** Addresses tracked at once; past it the oldest are forgotten (memory stays bounded). */
  capacity: number;
  /** What is counted, for the 429's message (default: failed credential attempts). */
  counts?: string;
}

export type FailureLimiter = ReturnType<typeof createFailureLimiter>;

export function createFailureLimiter(opts: FailureLimiterOptions, now: () => number = Date.now) {
  const windows = new Map<string, { failures: number; resetAt: number }>();

  function current(key: string) {
    const w = windows.get(key);
    if (w && w.resetAt <= now()) {
      windows.delete(key);
      return undefined;
    }
    return w;
  }

  return {
    /** Seconds until `address` may try again, or 0 when it is not limited. */
    retryAfter(address: string): number {
      if (opts.max <= 0) return 0;
      const w = current(clientKey(address));
      return w && w.failures >= opts.max ? Math.max(1, Math.ceil((w.resetAt - now()) / 1000)) : 0;
    },

    /** Counts one failed attempt from `address`. */
    fail(address: string): void {
      if (opts.max <= 0) return;
      const key = clientKey(address);
      const w = current(key);
      if (w) {
        w.failures++;
        return;
      }
      windows.set(key, { failures: 1, resetAt: now() + opts.windowMs });
      // Insertion order is age order: drop the oldest windows past the capacity.
      for (const key of windows.keys()) {
        if (windows.size <= opts.capacity) break;
        windows.delete(key);
      }
    },

    /** Refuses (429 with Retry-After) an address past its budget. */
    check(address: string): void {
      const seconds = this.retryAfter(address);
      if (seconds)
        throw new RateLimitedError(
          `too many ${opts.counts ?? 'failed credential attempts'} from ${clientKey(address)}; try again in ${seconds} s`,
          seconds,
        );
    },

    /** Addresses tracked now (for /metrics and tests). */
    size: () => windows.size,
  };
}
