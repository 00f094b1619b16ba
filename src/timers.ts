// A periodic job for the background timers an operator sets (monitors, retention): any interval,
// never two runs at once.
//
// Node's setInterval/setTimeout take at most 2^31 − 1 ms (24.8 days); past that Node runs the timer
// after 1 ms (with a warning), so a monthly purge (FULCRUM_RETENTION_INTERVAL_HOURS=720) ran back to
// back (found by review). Here a long interval is waited for in steps, and the next wait starts when
// the run has finished: a run slower than its interval delays the next one instead of overlapping it.

/** The longest single wait Node's timers take. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface Every {
  stop(): void;
}

/** Runs `job` `ms` after the start, then `ms` after each run ends, until stopped. Timers never hold the process open. */
export function every(ms: number, job: () => Promise<unknown>): Every {
  if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError(`an interval must be a positive number of milliseconds, got ${ms}`);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const wait = (left: number) => {
    if (stopped) return;
    timer = setTimeout(() => (left > MAX_TIMER_MS ? wait(left - MAX_TIMER_MS) : run()), Math.min(left, MAX_TIMER_MS));
    timer.unref();
  };
  const run = () => {
    job()
      .catch(() => undefined) // the job reports its own failures (Observability.job)
      .finally(() => wait(ms));
  };
  wait(ms);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
