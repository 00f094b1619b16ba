// A client span with usage but no response id (a provider that answers no `id`) and the LLM
// gateway's record of the call, in both orders of arrival: paired only in the caller's trace and with
// the same usage (docs/llm-gateway.md, "Evidence"). A span of another usage in that trace is another
// call, and a call whose client sent no traceparent cannot be told from a direct one: both count.
import { beforeEach, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { otlpExport } from '../support/otlp.js';
import { until } from '../support/wait.js';
import { useLlmStack } from './fixture.js';

describe.each(ENGINES)('a span with usage and no response id, and the gateway’s record (%s)', (engine) => {
  const llm = useLlmStack(engine, { scripted: true });

  // Set again before each test: the stack forgets its scripts after each.
  beforeEach(() => {
    // Usage (10 in, 5 out) and no `id`.
    llm.sc.scripts.set('upstream-chat', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          object: 'chat.completion',
          created: 1,
          model: 'upstream-chat',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop', logprobs: null }],
          usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
        }),
      );
    });
  });
  const db = () => llm.t.app.database.db;
  /** A gateway call (with `traceparent` when `trace` is given); its record once flushed. */
  async function gatewayCall(trace?: string) {
    const seen = await db().selectFrom('spans').select('span_id').where('source', '=', 'llm').execute();
    const r = await llm.t.request({
      method: 'POST',
      url: '/llm/openai/v1/chat/completions',
      token: llm.key,
      ...(trace ? { headers: { traceparent: `00-${trace}-${'b'.repeat(16)}-01` } } : {}),
      payload: { model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(r.statusCode, r.body).toBe(200);
    const record = () =>
      db()
        .selectFrom('spans')
        .selectAll()
        .where('source', '=', 'llm')
        .where('span_id', 'not in', ['', ...seen.map((r) => r.span_id)])
        .executeTakeFirst();
    await until(async () => {
      await llm.t.server.llmGateway.flush();
      return (await record()) !== undefined;
    }, 'the call’s record');
    return (await record()) as NonNullable<Awaited<ReturnType<typeof record>>>;
  }
  /** The client's span of a gw-chat call around now: usage, no response id. */
  async function clientSpan(trace: string, spanId: string, tokens: { input: number; output: number }, startMs: number) {
    const r = await llm.t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: llm.key,
      payload: otlpExport([
        {
          traceId: trace,
          spanId,
          name: 'chat gw-chat',
          startMs,
          endMs: Date.now() + 5,
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.request.model': 'gw-chat',
            'gen_ai.usage.input_tokens': tokens.input,
            'gen_ai.usage.output_tokens': tokens.output,
          },
        },
      ]),
    });
    expect(r.statusCode, r.body).toBe(200);
    return db()
      .selectFrom('spans')
      .selectAll()
      .where('trace_id', '=', trace)
      .where('span_id', '=', spanId)
      .executeTakeFirstOrThrow();
  }
  const recordNow = (r: { trace_id: string; span_id: string }) =>
    db()
      .selectFrom('spans')
      .selectAll()
      .where('trace_id', '=', r.trace_id)
      .where('span_id', '=', r.span_id)
      .executeTakeFirstOrThrow();

  it('pairs the span arriving second with the record in its trace of the same usage', async () => {
    const trace = `${'5'.repeat(31)}1`;
    const startMs = Date.now() - 5;
    const record = await gatewayCall(trace);
    expect(record).toMatchObject({ response_id: null, paired: null, input_tokens: 10, output_tokens: 5 });
    // Another usage in the same trace: another call (a direct one), counted.
    expect(await clientSpan(trace, 'd'.repeat(16), { input: 11, output: 5 }, startMs)).toMatchObject({ duplicate: 0 });
    expect(await recordNow(record)).toMatchObject({ paired: null });
    expect(await clientSpan(trace, 'c'.repeat(16), { input: 10, output: 5 }, startMs)).toMatchObject({ duplicate: 1 });
    expect(await recordNow(record)).toMatchObject({ paired: 1, duplicate: 0 });
  });

  it('pairs the record arriving second with the span in its trace of the same usage', async () => {
    const trace = `${'5'.repeat(31)}2`;
    const startMs = Date.now() - 5;
    // Spans of calls still open (they end a little later): of another usage first, then the call's own.
    const other = await clientSpan(trace, 'd'.repeat(16), { input: 11, output: 5 }, startMs);
    const own = await clientSpan(trace, 'c'.repeat(16), { input: 10, output: 5 }, startMs);
    expect([other.duplicate, own.duplicate]).toEqual([0, 0]);
    const record = await gatewayCall(trace);
    expect(record).toMatchObject({ paired: 1, duplicate: 0 });
    expect(await recordNow(own)).toMatchObject({ duplicate: 1 });
    expect(await recordNow(other)).toMatchObject({ duplicate: 0 });
  });

  it('leaves a call whose client sent no traceparent counted twice: nothing tells it from a direct call', async () => {
    const trace = `${'5'.repeat(31)}3`;
    const startMs = Date.now() - 5;
    const record = await gatewayCall();
    expect(record.parent_span_id).toBeNull();
    expect(await clientSpan(trace, 'c'.repeat(16), { input: 10, output: 5 }, startMs)).toMatchObject({ duplicate: 0 });
    expect(await recordNow(record)).toMatchObject({ paired: null, duplicate: 0 });
  });

  // Found under load (session 40, test/llm/trace-pairing-usage): two calls of one task, the first's
  // record stored before the client's export, the second's after. The first span took the gateway's
  // name for the model (gw-chat), the second was counted as the client named it (the provider's
  // upstream-chat) until its record came, and the task was booked as of two models (mixed), or of the
  // provider's name: the plan's model mix lost it.
  it('books a task of two calls whose records come before and after the client’s export as of the gateway’s one model', async () => {
    const trace = `${'5'.repeat(31)}4`;
    const startMs = Date.now() - 5;
    await gatewayCall(trace);
    const chat = (spanId: string) => ({
      traceId: trace,
      spanId,
      parentSpanId: 'a'.repeat(16),
      name: 'chat gw-chat',
      startMs,
      // Still open: the second call's record comes after this export, within the span.
      endMs: Date.now() + 1_500,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gw-chat',
        'gen_ai.response.model': 'upstream-chat',
        'gen_ai.usage.input_tokens': 10,
        'gen_ai.usage.output_tokens': 5,
      },
    });
    const exported = await llm.t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: llm.key,
      payload: otlpExport([
        {
          traceId: trace,
          spanId: 'a'.repeat(16),
          name: 'invoke_agent support',
          startMs: startMs - 1,
          endMs: Date.now() + 1_600,
          attributes: { 'gen_ai.operation.name': 'invoke_agent', 'fulcrum.task.outcome': 'resolved' },
        },
        chat('c'.repeat(16)),
        chat('d'.repeat(16)),
      ]),
    });
    expect(exported.statusCode, exported.body).toBe(200);
    await gatewayCall(trace);
    const spans = await db().selectFrom('spans').selectAll().where('trace_id', '=', trace).orderBy('span_id').execute();
    // Each client span is its call's record's duplicate; each record counts, paired.
    expect(spans.filter((s) => s.source === 'llm').map((s) => [s.paired, s.duplicate])).toEqual([
      [1, 0],
      [1, 0],
    ]);
    expect(spans.filter((s) => s.source !== 'llm' && s.operation === 'chat').map((s) => s.duplicate)).toEqual([1, 1]);
    const traced = await db().selectFrom('task_traces').selectAll().where('trace_id', '=', trace).executeTakeFirstOrThrow();
    expect(traced).toMatchObject({ outcomes: 1, calls: 2, mixed: 0, model: 'gw-chat', unpriced_calls: 0 });
  });
});
