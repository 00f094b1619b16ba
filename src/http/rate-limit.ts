// Failed credential attempts, limited per client address: past `max` failures in a window, that
// address's requests are answered 429 `rate_limited` with Retry-After, before any lookup or write,
// until the window ends. Agents already in this node's key table keep working from that address.
// In memory and per node (docs/auth.md): N nodes give an address N times the budget.

export interface FailureLimiterOptions {
  /** Failures an address may have in one window. */
  max: number;
  windowMs: number;
  /** Addresses tracked at once; past it the oldest are forgotten (memory stays bounded). */
  capacity: number;
}

export type FailureLimiter = ReturnType<typeof createFailureLimiter>;

export function createFailureLimiter(opts: FailureLimiterOptions, now: () => number = Date.now) {
  const windows = new Map<string, { failures: number; resetAt: number }>();

  function current(address: string) {
    const w = windows.get(address);
    if (w && w.resetAt <= now()) {
      windows.delete(address);
      return undefined;
    }
    return w;
  }

  return {
    /** Seconds until `address` may try again, or 0 when it is not limited. */
    retryAfter(address: string): number {
      const w = current(address);
      return w && w.failures >= opts.max ? Math.max(1, Math.ceil((w.resetAt - now()) / 1000)) : 0;
    },

    /** Counts one failed attempt from `address`. */
    fail(address: string): void {
      const w = current(address);
      if (w) {
        w.failures++;
        return;
      }
      windows.set(address, { failures: 1, resetAt: now() + opts.windowMs });
      // Insertion order is age order: drop the oldest windows past the capacity.
      for (const key of windows.keys()) {
        if (windows.size <= opts.capacity) break;
        windows.delete(key);
      }
    },

    /** Addresses tracked now (for /metrics and tests). */
    size: () => windows.size,
  };
}
