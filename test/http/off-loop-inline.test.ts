// Found by review: the LLM lane's queue is bounded at 64 MiB of bodies, and past it a large body was
// read on the event loop. With the gateway's default body limit of 32 MiB that is two bodies
// waiting: the fourth concurrent 32 MiB call from one agent key was parsed on the event loop (~1 s),
// holding every decision of the node. Past the bound a body is now refused (503, Retry-After).
import { describe, expect, it } from 'vitest';
import { holdThread, offLoop, offLoopOr } from '../../src/http/off-loop.js';

const MiB = 1024 * 1024;

describe('the LLM lane past its queue bound', () => {
  it('never reads a large body on the event loop while the thread is busy', async () => {
    expect(offLoop().available, 'dist/http/off-loop-thread.js (run npm run build)').toBe(true);
    const hold = holdThread('llm');
    const onLoop: number[] = [];
    const calls = [1, 2, 3].map((i) =>
      offLoopOr({ task: 'llm-call', op: 'chat', raw: new Uint8Array(32 * MiB) }, () => {
        onLoop.push(i);
        return i;
      }).catch(() => undefined),
    );
    await new Promise((r) => setImmediate(r));
    const readOnLoop = [...onLoop];
    hold.release();
    await hold.done.catch(() => undefined);
    await Promise.all(calls);
    expect(readOnLoop, 'large bodies read on the event loop while the thread was busy').toEqual([]);
  }, 60_000);
});
