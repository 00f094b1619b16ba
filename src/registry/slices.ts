// Long registry work (parsing a large bundle, validating thousands of descriptors) in pieces, so
// that the event loop runs between them: a registry of a few thousand descriptors is MiBs of YAML,
// ~1.5 s of parsing a MiB on a small node, and in one piece no decision would be answered meanwhile.

/**
 * How long registry work may hold the event loop in one piece, in ms. A request that needs several
 * turns of the loop (a decision: its request, then its group commit two turns later) waits up to a
 * piece at each, so the piece is short: with applies of examples/acme at 5 a second, decisions' p99
 * was 48 ms with pieces of 10 ms, 32 ms with 5 and 22 ms with 3 (bench/policy-apply --rate 5).
 */
export const SLICE_MS = 3;

/** Resolves on a later turn of the event loop (after the I/O that is waiting). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A checkpoint to call between small steps of a long task: resolves at once until `sliceMs` have
 * passed since the last pause, then on the next turn of the event loop.
 */
export function slicer(sliceMs = SLICE_MS): () => Promise<void> | undefined {
  let since = performance.now();
  return () => {
    if (performance.now() - since < sliceMs) return undefined;
    return nextTurn().then(() => {
      since = performance.now();
    });
  };
}

/** Runs `steps` (a generator of pause points) to the end, pausing as slicer() says. */
export async function runSliced(steps: Iterable<unknown>, sliceMs = SLICE_MS): Promise<void> {
  const pause = slicer(sliceMs);
  for (const _ of steps) await pause();
}
