// The worker threads of src/http/off-loop.ts, one per kind of work: a board report's PDF neither
// delays nor fails an agent's LLM call, and a thread that dies fails only the task it was doing.
// Real server and real threads (the build: `npm test` builds first); `holdThread` makes a thread
// busy until released, then answer, exit or throw.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { holdThread, OFF_LOOP_BYTES, offLoop } from '../../src/http/off-loop.js';
import { applyAndKey, llmBundle, type ScriptedStack, startScriptedStack } from '../llm/fixture.js';
import { until } from '../support/wait.js';

const CHAT = '/llm/openai/v1/chat/completions';
const largeBody = (i: number) =>
  JSON.stringify({
    model: 'gw-chat',
    max_tokens: 50,
    messages: [{ role: 'user', content: `${i} ${'x'.repeat(2 * OFF_LOOP_BYTES)}` }],
  });

/** `p`, or a failure naming what did not happen within `ms` (the task waited behind another). */
async function within<T>(p: Promise<T>, what: string, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('off-loop worker threads: one per kind of work', () => {
  let stack: ScriptedStack;
  let key: string;
  const release: Array<() => void> = [];

  const post = (i: number) =>
    fetch(`${stack.url}${CHAT}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: largeBody(i),
    });
  const pdf = () => stack.t.request({ method: 'GET', url: '/v1/report?format=pdf' });

  beforeAll(async () => {
    stack = await startScriptedStack();
    key = await applyAndKey(stack.t.server, llmBundle(stack.sc.url));
    expect(offLoop().available, 'dist/http/off-loop-thread.js (run npm run build)').toBe(true);
  });
  afterEach(() => {
    for (const r of release.splice(0)) r();
    stack.reset();
  });
  afterAll(async () => stack?.close());

  it('prepares an LLM body while a PDF report is being drawn', async () => {
    const hold = holdThread('report');
    release.push(hold.release);
    const report = pdf();
    const r = await within(post(1), 'the LLM call while a PDF was drawn');
    expect(r.status, await r.clone().text()).toBe(200);
    hold.release();
    await hold.done;
    const drawn = await report;
    expect(drawn.statusCode).toBe(200);
    expect(drawn.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('a report thread that dies mid-task fails that task only: the LLM calls and the next PDF are answered', async () => {
    const hold = holdThread('report', 'exit');
    release.push(hold.release);
    const tasks = offLoop().tasks;
    const report = pdf();
    const calls = [post(2), post(3)];
    // Both calls' bodies and the PDF handed to a thread (or answered already) before it dies.
    await until(() => offLoop().tasks - tasks >= 3, 'the PDF and both bodies sent off the loop');
    hold.release();
    await expect(hold.done).rejects.toThrow(/exited/);
    for (const r of await within(Promise.all(calls), 'the LLM calls')) expect(r.status, await r.clone().text()).toBe(200);
    const drawn = await within(report, 'the PDF behind the task that died');
    expect(drawn.statusCode, drawn.body.slice(0, 300)).toBe(200);
  });

  it('answers a PDF, an OTLP export or a large LLM body past a full queue 503 with Retry-After', async () => {
    const { report, llm, otlp } = offLoop().lanes;
    const limits = { report: report.limits.maxQueued, llm: llm.limits.maxQueued, otlp: otlp.limits.maxQueued };
    report.limits.maxQueued = 1;
    llm.limits.maxQueued = 0;
    otlp.limits.maxQueued = 0;
    try {
      const holds = [holdThread('report'), holdThread('llm'), holdThread('otlp')];
      release.push(...holds.map((h) => h.release));
      const waiting = pdf();
      await until(() => offLoop().lanes.report.queued === 1, 'a PDF waiting');
      const refused = await pdf();
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.json().error).toMatchObject({
        code: 'unavailable',
        message: expect.stringMatching(/PDF reports are already waiting/),
      });
      const traces = await stack.t.request({
        method: 'POST',
        url: '/otlp/v1/traces',
        token: key,
        headers: { 'content-type': 'application/json' },
        payload: `{"resourceSpans":[]${' '.repeat(OFF_LOOP_BYTES)}}`,
      });
      expect(traces.statusCode, traces.body).toBe(503);
      expect(traces.headers['retry-after']).toBe('1');
      const full = llm.counts.full;
      // Read on the event loop instead, it would hold every decision of the node (review h7).
      const r = await within(post(6), 'the LLM call past a full queue');
      expect(r.status, await r.clone().text()).toBe(503);
      expect(r.headers.get('retry-after')).toBe('1');
      expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(
        /large LLM request bodies are already waiting on this node/,
      );
      expect(llm.counts.full - full).toBe(1);
      const metrics = (await stack.t.request({ method: 'GET', url: '/metrics' })).body;
      for (const kind of ['report', 'otlp', 'llm'])
        expect(metrics).toMatch(new RegExp(`fulcrum_worker_thread_tasks_total\\{kind="${kind}",event="queue_full"\\} [1-9]`));
      for (const h of holds) h.release();
      expect((await waiting).statusCode).toBe(200);
    } finally {
      report.limits.maxQueued = limits.report;
      llm.limits.maxQueued = limits.llm;
      otlp.limits.maxQueued = limits.otlp;
    }
  });

  it.each(['exit', 'throw'] as const)(
    'an LLM thread that dies mid-task (%s) fails that task only: the bodies queued behind it are read by its replacement',
    async (then) => {
      const hold = holdThread('llm', then);
      release.push(hold.release);
      const { started, tasks } = offLoop();
      const calls = [post(4), post(5)];
      await until(() => offLoop().tasks - tasks >= 2, 'both bodies sent off the loop');
      expect(offLoop().lanes.llm.queued, 'both bodies wait behind the task that dies').toBe(2);
      hold.release();
      await expect(hold.done).rejects.toThrow(then === 'exit' ? /exited/ : /thrown by test-hold/);
      for (const r of await within(Promise.all(calls), 'the LLM calls')) expect(r.status, await r.clone().text()).toBe(200);
      expect(offLoop().started).toBeGreaterThan(started);
    },
  );
});
