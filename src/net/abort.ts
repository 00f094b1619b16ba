// Node's fetch can lose an abort: the Request it builds follows the caller's signal through an
// AbortController it holds only weakly, and a garbage collection between the call and the abort drops
// that link (nodejs/node#55428, nodejs/undici#4984). A fetch given a timeout then waits for its answer
// as long as undici's own limits allow (300 s). Found when the CLI, given 1.5 s against a server that
// never answered, waited 30 s in 3 of 60 tries. The agent SDK (src/sdk/index.ts) uses it too: this
// module imports nothing, so the SDK still runs wherever fetch does.

/**
 * `work`, or a rejection with the signal's reason as soon as `signal` aborts, whichever comes first: the
 * caller's bound holds whatever fetch does with the signal it was also given. What `work` holds (a
 * connection) is released by its own limits; a caller that must close it at once uses node:http.
 */
export function bySignal<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (err) => {
        signal.removeEventListener('abort', abort);
        reject(err);
      },
    );
  });
}
