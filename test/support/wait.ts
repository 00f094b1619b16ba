// Awaiting a condition instead of sleeping a fixed time: polls `check` every `everyMs` until it holds,
// and fails naming what never happened once `timeoutMs` has passed.
export async function until(
  check: () => Promise<boolean> | boolean,
  what: string,
  { timeoutMs = 10_000, everyMs = 25 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
