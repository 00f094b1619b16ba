// WAL syncs held by a test (src/db/adapter.ts's DeferredSync runs them through fs.fdatasync), and a
// promise's state after a few turns of the event loop.
import fs from 'node:fs';
import { vi } from 'vitest';

/** fs.fdatasync held: each call waits in `held` until released (or failed). Undone by vi.restoreAllMocks(). */
export function holdSyncs() {
  const held: Array<{ fd: number; release(err?: Error): void }> = [];
  const real = fs.fdatasync;
  const spy = vi.spyOn(fs, 'fdatasync').mockImplementation(((fd: number, cb: (err: Error | null) => void) => {
    held.push({ fd, release: (err) => (err ? cb(err) : real(fd, cb)) });
  }) as typeof fs.fdatasync);
  return { held, spy };
}

/** Settles to 'pending' if `p` has not settled by the time the event loop has turned a few times. */
export async function stateOf(p: Promise<unknown>): Promise<'resolved' | 'rejected' | 'pending'> {
  let state: 'resolved' | 'rejected' | 'pending' = 'pending';
  p.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return state;
}
