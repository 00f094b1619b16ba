// One lane of src/http/off-loop.ts on a real thread (the build): a task past its time or its heap
// ends the thread and fails, the tasks behind it are done by a new one, and a stopping node fails
// what is left and ends the thread.
import { describe, expect, it } from 'vitest';
import { FulcrumError } from '../../src/errors.js';
import { offLoop } from '../../src/http/off-loop.js';
import { Lane, type LaneLimits } from '../../src/http/off-loop-lane.js';

const SCRIPT = new URL('../../dist/http/off-loop-thread.js', import.meta.url);
const LIMITS: LaneLimits = { maxQueued: 8, maxQueuedBytes: 1024, heapMb: 256, timeoutMs: 30_000 };

/** A task that holds the thread until released (at once when `released`), then does `then`. */
function hold(lane: Lane, then: 'answer' | 'allocate' = 'answer', { released = false, bytes = 0, heapIsCallers = false } = {}) {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  if (released) gate[0] = 1;
  const done = new Promise((resolve, reject) =>
    lane.run({
      message: { task: 'test-hold', gate, then },
      transfer: [],
      bytes,
      doing: 'holding',
      heapIsCallers,
      resolve,
      reject,
    }),
  );
  return {
    done,
    release: () => {
      Atomics.store(gate, 0, 1);
      Atomics.notify(gate, 0);
    },
  };
}

describe('an off-loop lane', () => {
  it('fails a task past its time alone: the thread is ended and the next task runs on a new one', async () => {
    expect(offLoop().available, 'dist/http/off-loop-thread.js (run npm run build)').toBe(true);
    const lane = new Lane(SCRIPT, { ...LIMITS, timeoutMs: 300 });
    const stuck = hold(lane);
    const next = hold(lane, 'answer', { released: true });
    await expect(stuck.done).rejects.toThrow('holding took more than 0.3 s');
    await expect(next.done).resolves.toBe('released');
    expect(lane.counts).toMatchObject({ started: 2, tasks: 2, timedOut: 1 });
    await lane.stop(new Error('test over'));
  });

  it("fails a task that runs out of the thread's heap alone, as the caller's (413) when it is a body", async () => {
    const lane = new Lane(SCRIPT, { ...LIMITS, heapMb: 16 });
    const big = hold(lane, 'allocate', { released: true, heapIsCallers: true });
    const next = hold(lane, 'answer', { released: true });
    const err = await big.done.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FulcrumError);
    expect(err).toMatchObject({ code: 'payload_too_large', message: 'holding took more than 16 MB' });
    await expect(next.done).resolves.toBe('released');
    expect(lane.counts).toMatchObject({ started: 2, died: 1 });
    await lane.stop(new Error('test over'));
  });

  it('is full past its count or its bytes of tasks waiting, never for a task that would run at once', async () => {
    const lane = new Lane(SCRIPT, { ...LIMITS, maxQueued: 2, maxQueuedBytes: 100 });
    expect(lane.full(10_000)).toBe(false);
    const first = hold(lane);
    expect(lane.full(101)).toBe(true);
    expect(lane.full(100)).toBe(false);
    hold(lane, 'answer', { released: true, bytes: 60 }).done.catch(() => undefined);
    expect(lane.full(41)).toBe(true);
    expect(lane.full(40)).toBe(false);
    hold(lane, 'answer', { released: true }).done.catch(() => undefined);
    expect(lane.full(0)).toBe(true);
    expect(lane.counts.full).toBe(3);
    first.release();
    await first.done;
    await lane.stop(new Error('test over'));
  });

  it('when the node stops, fails the task in hand and those waiting, and ends the thread', async () => {
    const lane = new Lane(SCRIPT, LIMITS);
    const inHand = hold(lane);
    const waiting = hold(lane, 'answer', { released: true });
    const worker = lane.state().worker;
    const exited = new Promise((resolve) => worker?.once('exit', resolve));
    const failed = Promise.all([
      expect(inHand.done).rejects.toThrow('the node is stopping'),
      expect(waiting.done).rejects.toThrow('the node is stopping'),
    ]);
    await lane.stop(new Error('the node is stopping'));
    await failed;
    await exited;
    expect(lane.state()).toEqual({ worker: undefined, busy: false, queued: 0 });
  });
});
