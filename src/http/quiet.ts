// Background writes wait for a quiet moment. The writes the gateways make off the reply path
// (evidence batches every 50 ms, spend settlements 10 ms after a call) are transactions that hold
// the event loop while they commit: on SQLite, synchronously, 0.5 to 2 ms with the fsync. Started by
// a timer while a call waits for its upstream, such a commit holds the upstream's answer until it
// is done: at one call at a time, the LLM gateway's wait for a provider that answers in 0.25 ms
// took 1.3 ms at the median (bench/llm, measured with timestamps in the server). So a background
// write that is due waits until no request is in flight in this process (the moment between one
// caller's answer and its next call), or until it has waited `maxWaitMs` more: under steady load
// there is no such moment, and it goes as before, a little later.
//
// One count per process, not per server: it is the process's event loop that a commit holds.
import type http from 'node:http';

let inFlight = 0;
/** Work waiting for a quiet moment; each leaves the set when it runs (a busy node may never be quiet). */
let waiting = new Set<() => void>();

function settle(): void {
  if (--inFlight > 0 || waiting.size === 0) return;
  const run = waiting;
  waiting = new Set();
  // After the answer's own write callbacks: the commit goes once the loop has nothing else queued.
  setImmediate(() => {
    for (const fn of run) fn();
  });
}

/** Counts a request from its arrival until its response closes (sent, or the connection gone). */
export function trackRequest(res: http.ServerResponse): void {
  inFlight++;
  res.once('close', settle);
}

/** Requests in flight in this process (for tests and metrics). */
export function requestsInFlight(): number {
  return inFlight;
}

/** Work waiting for a quiet moment now (tests: nothing is held once it has run). */
export function waitingForQuiet(): number {
  return waiting.size;
}

/**
 * Runs `fn` once, at the next moment no request is in flight (at once, on the next turn, if there
 * is none now), or after `maxWaitMs`, whichever comes first.
 */
export function whenQuiet(fn: () => void, maxWaitMs: number): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    waiting.delete(once);
    fn();
  };
  const timer = setTimeout(once, maxWaitMs);
  timer.unref?.();
  if (inFlight === 0) setImmediate(once);
  else waiting.add(once);
}
