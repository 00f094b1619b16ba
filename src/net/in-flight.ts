// How much each agent has in flight on this node, bounded: one agent's calls (a batch of a hundred
// slow tool calls, twenty 20 MiB model calls at once) must not take the sockets, memory or time that
// every other agent's calls need. Per node and in memory, as the failed-credential limits are.

export interface InFlight {
  /** Takes `weight` for `key` if that keeps it within the bound: its release (idempotent), or
   *  undefined when it would not fit. A single weight above the bound fits only when nothing else is in flight. */
  enter(key: string, weight?: number): (() => void) | undefined;
  /** What `key` has in flight now. */
  of(key: string): number;
}

export function inFlight(max: number): InFlight {
  const held = new Map<string, number>();
  return {
    enter(key, weight = 1) {
      const now = held.get(key) ?? 0;
      if (now > 0 && now + weight > max) return undefined;
      held.set(key, now + weight);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (held.get(key) ?? weight) - weight;
        if (left <= 0) held.delete(key);
        else held.set(key, left);
      };
    },
    of: (key) => held.get(key) ?? 0,
  };
}
