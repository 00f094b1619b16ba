// A provider that answers no response id: an instrumented client's span of a call through the LLM
// gateway then carries the call's usage but no `gen_ai.response.id`, and the gateway's record names
// none either. Two such calls of one model at once, in one task's trace (the real OpenAI SDK under the
// OpenTelemetry SDK with the undici and OpenAI instrumentations): each client span is its own call's
// record's duplicate, told apart by trace and usage, so each call counts once (docs/llm-gateway.md,
// "Evidence"). Both were counted: the gateway's priced record and the client's span, at twice the cost.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { CHILD_NODE } from '../support/process.js';
import { until } from '../support/wait.js';
import { useLlmStack } from './fixture.js';

const CLIENT = path.resolve(import.meta.dirname, 'fixtures/usage-without-id-client.cjs');
type ClientSpan = { name: string; traceId: string; spanId: string; attributes: Record<string, unknown> };

describe.each(ENGINES)('calls answered without a response id, traced by their client (%s)', (engine) => {
  const llm = useLlmStack(engine, { scripted: true });

  // Set again before each test: the stack forgets its scripts after each.
  beforeEach(() => {
    // An OpenAI-compatible provider whose answers carry usage but no `id`; the input tokens are the
    // prompt's length, so two calls' usage differs.
    llm.sc.scripts.set('upstream-chat', (_req, body, res) => {
      const messages = body.messages as Array<{ content: string }>;
      const input = messages.map((m) => m.content).join('').length;
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          object: 'chat.completion',
          created: 1,
          model: 'upstream-chat',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop', logprobs: null }],
          usage: { prompt_tokens: input, completion_tokens: 5, total_tokens: input + 5 },
        }),
      );
    });
  });
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  async function costs(groupBy: string) {
    const r = await llm.t.request({ method: 'GET', url: `/v1/costs?groupBy=${groupBy}&from=${day(-1)}&to=${day(1)}` });
    expect(r.statusCode, r.body).toBe(200);
    return r.json().rows as Array<{ key: string; calls: number; unpricedCalls: number; costUsd: number }>;
  }

  it('counts each of two concurrent calls in one task once, each span paired with its own call’s record', async () => {
    const { stdout } = await promisify(execFile)(CHILD_NODE, [CLIENT], {
      env: { ...process.env, FULCRUM_URL: llm.url, FULCRUM_KEY: llm.key, MODEL: 'gw-chat' },
      timeout: 60_000,
    });
    const spans: ClientSpan[] = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const task = spans.find((s) => s.name === 'invoke_agent support');
    const calls = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    expect(calls).toHaveLength(2);
    // The instrumentation's spans: usage, and no response id (the provider sent none).
    for (const c of calls) {
      expect(c.attributes['gen_ai.response.id']).toBeUndefined();
      expect(c.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    }
    const db = llm.t.app.database.db;
    const records = async () => {
      await llm.t.server.llmGateway.flush();
      return db.selectFrom('spans').selectAll().where('source', '=', 'llm').orderBy('input_tokens').execute();
    };
    const stored = () =>
      db
        .selectFrom('spans')
        .selectAll()
        .where(
          'span_id',
          'in',
          calls.map((c) => c.spanId),
        )
        .orderBy('input_tokens')
        .execute();
    await until(async () => (await records()).length === 2 && (await stored()).length === 2, 'both records and both spans');
    const [small, large] = await records();
    expect(small).toMatchObject({ response_id: null, trace_id: task?.traceId, input_tokens: 2, paired: 1 });
    expect(large).toMatchObject({ response_id: null, trace_id: task?.traceId, input_tokens: 30, paired: 1 });
    // Each client span is a duplicate; each record counts.
    for (const s of await stored()) expect(s).toMatchObject({ duplicate: 1 });
    expect(small?.duplicate).toBe(0);
    expect(large?.duplicate).toBe(0);

    const recorded = Number(small?.cost_usd) + Number(large?.cost_usd);
    const [bot] = (await costs('agent')).filter((x) => x.key === 'llm-bot');
    expect(bot).toMatchObject({ calls: 2, unpricedCalls: 0 });
    expect(bot?.costUsd).toBeCloseTo(recorded, 12);
    const [model] = (await costs('model')).filter((x) => x.key === 'gw-chat');
    expect(model).toMatchObject({ calls: 2 });
    // The task's trace (the plan's model mix) holds two calls, at the gateway's price.
    const traced = await db
      .selectFrom('task_traces')
      .selectAll()
      .where('trace_id', '=', task?.traceId ?? '')
      .executeTakeFirstOrThrow();
    expect(traced).toMatchObject({ outcomes: 1, calls: 2, unpriced_calls: 0, model: 'gw-chat' });
    expect(Number(traced.cost_usd)).toBeCloseTo(recorded, 12);
  });
});
