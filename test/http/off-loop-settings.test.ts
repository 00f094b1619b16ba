// The worker threads' bounds are the operator's (FULCRUM_WORKER_*): read and checked at start, a bad
// value refused naming its variable, and the lanes of a node started with them keep to them. Before,
// they were constants in src/http/off-loop.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configureOffLoop, holdThread, LANE_DEFAULTS, OFF_LOOP_BYTES, offLoop } from '../../src/http/off-loop.js';
import { startMini, type TestServer } from '../support/server.js';

const settings = (env: Record<string, string>) => loadConfig({ FULCRUM_DATA_DIR: '/tmp/x', ...env }).workerLanes;

describe('the worker threads’ settings', () => {
  it('are the documented bounds unless set', () => {
    expect(settings({})).toEqual(LANE_DEFAULTS);
    expect(settings({ FULCRUM_WORKER_LLM_QUEUE: '' }).llm.maxQueued).toBe(64);
  });

  it('takes each lane’s queue, queued bytes, heap and time per task', () => {
    const lanes = settings({
      FULCRUM_WORKER_LLM_QUEUE: '8',
      FULCRUM_WORKER_LLM_QUEUE_BYTES: '1048576',
      FULCRUM_WORKER_OTLP_QUEUE: '0',
      FULCRUM_WORKER_OTLP_HEAP_MB: '2048',
      FULCRUM_WORKER_REPORT_QUEUE: '2',
      FULCRUM_WORKER_REPORT_TASK_TIMEOUT_MS: '120000',
    });
    expect(lanes.llm).toEqual({ ...LANE_DEFAULTS.llm, maxQueued: 8, maxQueuedBytes: 1_048_576 });
    expect(lanes.otlp).toEqual({ ...LANE_DEFAULTS.otlp, maxQueued: 0, heapMb: 2048 });
    expect(lanes.report).toEqual({ ...LANE_DEFAULTS.report, maxQueued: 2, timeoutMs: 120_000 });
  });

  it.each([
    ['FULCRUM_WORKER_LLM_QUEUE', '-1', /^FULCRUM_WORKER_LLM_QUEUE must be a non-negative integer, got "-1"$/],
    // Blank is not unset: Number(' ') is 0, which took "no task may wait" from a stray space.
    ['FULCRUM_WORKER_LLM_QUEUE', ' ', /^FULCRUM_WORKER_LLM_QUEUE must be a non-negative integer, got " "$/],
    ['FULCRUM_WORKER_OTLP_QUEUE_BYTES', '\t', /^FULCRUM_WORKER_OTLP_QUEUE_BYTES must be a non-negative integer/],
    ['FULCRUM_WORKER_OTLP_QUEUE', 'lots', /^FULCRUM_WORKER_OTLP_QUEUE must be a non-negative integer, got "lots"$/],
    ['FULCRUM_WORKER_OTLP_QUEUE_BYTES', '64MiB', /^FULCRUM_WORKER_OTLP_QUEUE_BYTES must be a non-negative integer/],
    ['FULCRUM_WORKER_LLM_HEAP_MB', '1.5', /^FULCRUM_WORKER_LLM_HEAP_MB must be a non-negative integer/],
    ['FULCRUM_WORKER_REPORT_HEAP_MB', '16', /^FULCRUM_WORKER_REPORT_HEAP_MB must be at least 64 \(MB\), got "16"$/],
    [
      'FULCRUM_WORKER_LLM_HEAP_MB',
      '99999999999',
      /^FULCRUM_WORKER_LLM_HEAP_MB must be at most \d+ \(this machine's memory, in MB\), got 99999999999$/,
    ],
    ['FULCRUM_WORKER_LLM_TASK_TIMEOUT_MS', '0', /^FULCRUM_WORKER_LLM_TASK_TIMEOUT_MS must be at least 1000 \(ms\)/],
    // setTimeout fires at once past 2^31 - 1 ms: such a bound would fail every task.
    ['FULCRUM_WORKER_OTLP_TASK_TIMEOUT_MS', '3000000000', /^FULCRUM_WORKER_OTLP_TASK_TIMEOUT_MS must be at most 3600000/],
    ['FULCRUM_WORKER_REPORT_QUEUE_BYTES', '1024', /^FULCRUM_WORKER_REPORT_QUEUE_BYTES is not a setting/],
  ])('refuses %s=%s at start, naming it', (name, value, message) => {
    expect(() => settings({ [name]: value })).toThrow(message);
  });
});

describe('a node started with worker settings', () => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    const workerLanes = settings({
      FULCRUM_WORKER_OTLP_QUEUE: '0',
      FULCRUM_WORKER_OTLP_HEAP_MB: '96',
      FULCRUM_WORKER_OTLP_TASK_TIMEOUT_MS: '1000',
    });
    ({ t, key } = await startMini('sqlite', { workerLanes }));
    expect(offLoop().available, 'dist/http/off-loop-thread.js (run npm run build)').toBe(true);
  });
  afterAll(async () => {
    configureOffLoop(LANE_DEFAULTS);
    await t?.close();
  });

  it('keeps its OTLP lane to them: no export waits, the thread has 96 MB, a task has a second', async () => {
    const hold = holdThread('otlp');
    expect(offLoop().lanes.otlp.worker?.resourceLimits?.maxOldGenerationSizeMb).toBe(96);
    const traces = await t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      headers: { 'content-type': 'application/json' },
      payload: `{"resourceSpans":[]${' '.repeat(OFF_LOOP_BYTES)}}`,
    });
    expect(traces.statusCode, traces.body).toBe(503);
    expect(traces.json().error.message).toMatch(/^large OTLP exports are already waiting on this node \(at most 0 or 64 MiB\)/);
    // Never released: ended by its time.
    await expect(hold.done).rejects.toThrow('a test hold took more than 1 s');
    expect(offLoop().lanes.otlp.counts.timedOut).toBe(1);
  });

  it('gives a lane already running the bounds set later', () => {
    expect(offLoop().lanes.otlp.limits.maxQueued).toBe(0);
    configureOffLoop({ ...LANE_DEFAULTS, otlp: { ...LANE_DEFAULTS.otlp, maxQueued: 3 } });
    expect(offLoop().lanes.otlp.limits).toEqual({ ...LANE_DEFAULTS.otlp, maxQueued: 3 });
  });
});
