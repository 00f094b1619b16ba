// A task's model call made through the LLM gateway with the task's traceparent: the gateway's record
// sits in the task's trace beside the client's own span of the call, and the task counts the call
// once, at the gateway's price, whichever of the two records arrives first (docs/insight.md, "Model
// mix"; docs/llm-gateway.md, "Trace context"). Before the record joined the caller's trace it sat in
// a trace of its own, and the client's span counted in the task's with the record's figures: both
// there, the task would have counted the call twice.
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { otlpExport } from '../support/otlp.js';
import { until } from '../support/wait.js';
import { useLlmStack } from './fixture.js';

describe.each(ENGINES)('a task’s call through the gateway, in the task’s trace (%s)', (engine) => {
  const llm = useLlmStack(engine);

  const taskOf = (trace: string) =>
    llm.t.app.database.db.selectFrom('task_traces').selectAll().where('trace_id', '=', trace).executeTakeFirstOrThrow();
  /** The gateway call, sent with `traceparent`: its record, flushed, and the answer's response id. */
  async function gatewayCall(trace: string, parent: string) {
    const r = await llm.t.request({
      method: 'POST',
      url: '/llm/openai/v1/chat/completions',
      token: llm.key,
      headers: { traceparent: `00-${trace}-${parent}-01` },
      payload: { model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(r.statusCode, r.body).toBe(200);
    const db = llm.t.app.database.db;
    const record = () =>
      db.selectFrom('spans').selectAll().where('trace_id', '=', trace).where('source', '=', 'llm').executeTakeFirst();
    await until(async () => {
      await llm.t.server.llmGateway.flush();
      return (await record()) !== undefined;
    }, 'the call’s record');
    return { record: await record(), responseId: r.json().id as string };
  }
  /** The client's export: the task's span (resolved) and its span of the model call within it. */
  async function clientExport(
    trace: string,
    call: { spanId: string; startMs: number; endMs: number; attributes: Record<string, string | number> },
  ) {
    const r = await llm.t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: llm.key,
      payload: otlpExport([
        {
          traceId: trace,
          spanId: 'a'.repeat(16),
          name: 'invoke_agent support',
          startMs: call.startMs - 10,
          endMs: call.endMs + 10,
          attributes: { 'gen_ai.operation.name': 'invoke_agent', 'fulcrum.task.outcome': 'resolved' },
        },
        { ...call, traceId: trace, parentSpanId: 'a'.repeat(16), name: 'chat gw-chat' },
      ]),
    });
    expect(r.statusCode, r.body).toBe(200);
  }

  // First: its client span, paired by time, would hold any record of the agent's model within it.
  it('counts the call once when the client’s span arrives first (paired by time)', async () => {
    const trace = `${'3'.repeat(31)}4`;
    const startMs = Date.now() - 100;
    // A span with neither response id nor usage (a streamed call's, as OpenInference records one),
    // exported before the gateway's record was written: counted as the task's call, unpriced.
    await clientExport(trace, {
      spanId: 'c'.repeat(16),
      startMs,
      endMs: startMs + 60_000,
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gw-chat' },
    });
    expect(await taskOf(trace)).toMatchObject({ calls: 1, unpriced_calls: 1 });
    const { record } = await gatewayCall(trace, 'c'.repeat(16));
    const task = await taskOf(trace);
    expect(task).toMatchObject({ outcomes: 1, calls: 1, unpriced_calls: 0, model: 'gw-chat' });
    expect(Number(task.cost_usd)).toBeCloseTo(Number(record?.cost_usd), 12);
    expect(Number(task.cost_usd)).toBeGreaterThan(0);
  });

  it('counts the call once when the gateway’s record arrives first (paired by response id)', async () => {
    const trace = `${'1'.repeat(31)}2`;
    const startMs = Date.now() - 5;
    const { record, responseId } = await gatewayCall(trace, 'b'.repeat(16));
    expect(record?.parent_span_id).toBe('b'.repeat(16));
    await clientExport(trace, {
      spanId: 'b'.repeat(16),
      startMs,
      endMs: Date.now() + 5,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gw-chat',
        'gen_ai.response.id': responseId,
        'gen_ai.usage.input_tokens': 10,
        'gen_ai.usage.output_tokens': 5,
      },
    });
    const task = await taskOf(trace);
    expect(task).toMatchObject({ outcomes: 1, resolved_outcomes: 1, calls: 1, unpriced_calls: 0, model: 'gw-chat' });
    expect(Number(task.cost_usd)).toBeCloseTo(Number(record?.cost_usd), 12);
  });
});
