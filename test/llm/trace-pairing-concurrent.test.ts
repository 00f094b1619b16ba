// Two calls of one model through the LLM gateway, close together, each made by a task that sent its
// traceparent, whose client spans name no response id and no usage (paired by agent, model and time):
// each span pairs with the record in its own trace, whichever arrives first, so each task counts its
// own call once (docs/llm-gateway.md, "Trace context"). By time alone the later span took the earlier
// record: each task's trace then held the other's record's figures besides its own record, two calls.
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { otlpExport } from '../support/otlp.js';
import { until } from '../support/wait.js';
import { useLlmStack } from './fixture.js';

describe.each(ENGINES)('two close calls of one model, each in its task’s trace (%s)', (engine) => {
  const llm = useLlmStack(engine, { each: true });

  const tasks = (traces: string[]) =>
    llm.t.app.database.db
      .selectFrom('task_traces')
      .select(['trace_id', 'calls', 'unpriced_calls'])
      .where('trace_id', 'in', traces)
      .orderBy('trace_id')
      .execute();
  async function gatewayCall(trace: string, parent: string) {
    const r = await llm.t.request({
      method: 'POST',
      url: '/llm/openai/v1/chat/completions',
      token: llm.key,
      headers: { traceparent: `00-${trace}-${parent}-01` },
      payload: { model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(r.statusCode, r.body).toBe(200);
  }
  async function flushed(n: number) {
    const db = llm.t.app.database.db;
    await until(async () => {
      await llm.t.server.llmGateway.flush();
      const r = await db
        .selectFrom('spans')
        .select(db.fn.countAll().as('n'))
        .where('source', '=', 'llm')
        .executeTakeFirstOrThrow();
      return Number(r.n) === n;
    }, 'the records');
  }
  /** A task's span (resolved) and its span of the model call: no response id, no usage. */
  async function clientExport(trace: string, spanId: string, startMs: number, endMs: number) {
    const r = await llm.t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: llm.key,
      payload: otlpExport([
        {
          traceId: trace,
          spanId: 'f'.repeat(16),
          name: 'invoke_agent support',
          startMs: startMs - 10,
          endMs: endMs + 10,
          attributes: { 'gen_ai.operation.name': 'invoke_agent', 'fulcrum.task.outcome': 'resolved' },
        },
        {
          traceId: trace,
          spanId,
          parentSpanId: 'f'.repeat(16),
          name: 'chat gw-chat',
          startMs,
          endMs,
          attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gw-chat' },
        },
      ]),
    });
    expect(r.statusCode, r.body).toBe(200);
  }
  const [A, B] = ['a'.repeat(32), 'b'.repeat(32)];

  it('pairs each client span with its own trace’s record when the records arrive first', async () => {
    const startMs = Date.now() - 5;
    await gatewayCall(A, '1'.repeat(16));
    await gatewayCall(B, '2'.repeat(16));
    await flushed(2);
    const endMs = Date.now() + 5;
    // B's span first: by time alone it took the first record within it, A's.
    await clientExport(B, '2'.repeat(16), startMs, endMs);
    await clientExport(A, '1'.repeat(16), startMs, endMs);
    expect(await tasks([A, B])).toEqual([
      { trace_id: A, calls: 1, unpriced_calls: 0 },
      { trace_id: B, calls: 1, unpriced_calls: 0 },
    ]);
  });

  it('pairs each record with its own trace’s client span when the spans arrive first', async () => {
    const startMs = Date.now() - 100;
    // A's span began later: by time alone the first record took the span that began last before it, A's.
    await clientExport(B, '2'.repeat(16), startMs, startMs + 60_000);
    await clientExport(A, '1'.repeat(16), startMs + 10, startMs + 60_000);
    await gatewayCall(B, '2'.repeat(16));
    await flushed(1);
    await gatewayCall(A, '1'.repeat(16));
    await flushed(2);
    expect(await tasks([A, B])).toEqual([
      { trace_id: A, calls: 1, unpriced_calls: 0 },
      { trace_id: B, calls: 1, unpriced_calls: 0 },
    ]);
  });
});
