// A client instrumented with OpenTelemetry (a real SDK tracer, the undici instrumentation that puts
// `traceparent` on the OpenAI and Anthropic SDKs' calls, the OpenAI instrumentation) calls the LLM
// gateway: each call's record sits in the client's trace, as a child of the span that sent it, the
// provider is sent a traceparent naming that record as its parent, and the call counts once, in the
// cost rollups and in its task's trace (docs/llm-gateway.md, "Trace context").
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { CHILD_NODE } from '../support/process.js';
import { until } from '../support/wait.js';
import { useLlmStack } from './fixture.js';

const CLIENT = path.resolve(import.meta.dirname, 'fixtures/traced-client.cjs');
type ClientSpan = { name: string; traceId: string; spanId: string; parentSpanId: string | null };

describe.each(ENGINES)('an OpenTelemetry-instrumented client of the gateway (%s)', (engine) => {
  const llm = useLlmStack(engine);

  it('has each call recorded in its trace, under the span that sent it, and counted once', async () => {
    const { stdout } = await promisify(execFile)(CHILD_NODE, [CLIENT], {
      env: { ...process.env, FULCRUM_URL: llm.url, FULCRUM_KEY: llm.key, MODEL: 'gw-chat', CLAUDE: 'gw-claude' },
      timeout: 60_000,
    });
    const spans: ClientSpan[] = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const db = llm.t.app.database.db;
    const records = async () => {
      await llm.t.server.llmGateway.flush();
      return db.selectFrom('spans').selectAll().where('source', '=', 'llm').orderBy('start_at').execute();
    };
    await until(async () => (await records()).length === 3, 'the gateway records of the three calls');
    const [chat, claude, twice] = await records();
    const byId = new Map(spans.map((s) => [s.spanId, s]));

    // The OpenAI call: the task's span, the OpenAI instrumentation's span within it, the undici
    // instrumentation's HTTP span within that, and the gateway's record under the HTTP span.
    const task = spans.find((s) => s.name === 'invoke_agent support');
    expect(task).toBeDefined();
    expect(chat).toMatchObject({ model: 'gw-chat', trace_id: task?.traceId });
    const sender = byId.get(chat?.parent_span_id ?? '');
    expect(sender?.traceId).toBe(task?.traceId);
    const genAi = byId.get(sender?.parentSpanId ?? '');
    expect(genAi?.name).toBe('chat gw-chat');
    expect(genAi?.parentSpanId).toBe(task?.spanId);
    // The Anthropic call: under the HTTP span within the SDK's own span of it.
    const own = spans.find((s) => s.name === 'once');
    expect(claude).toMatchObject({ model: 'gw-claude', trace_id: own?.traceId });
    const http = byId.get(claude?.parent_span_id ?? '');
    expect(http?.name).toBe('POST');
    expect(byId.get(http?.parentSpanId ?? '')).toMatchObject({ name: 'anthropic.messages.create', parentSpanId: own?.spanId });
    expect(own?.traceId).not.toBe(task?.traceId);
    // Two traceparents on one call (the SDK's and the undici instrumentation's): invalid, so ignored;
    // the record keeps a trace of its own.
    const doubled = spans.find((s) => s.name === 'twice');
    expect(twice).toMatchObject({ model: 'gw-claude', parent_span_id: null });
    expect(twice?.trace_id).not.toBe(doubled?.traceId);

    // The provider hears of the gateway's record as the parent, never of the client's span.
    const sent = llm.up.received.find((r) => r.path.endsWith('/chat/completions'))?.headers.traceparent;
    expect(sent).toBe(`00-${chat?.trace_id}-${chat?.span_id}-01`);
    const messages = llm.up.received.filter((r) => r.path.endsWith('/messages')).map((r) => r.headers.traceparent);
    expect(messages).toEqual([`00-${claude?.trace_id}-${claude?.span_id}-01`, `00-${twice?.trace_id}-${twice?.span_id}-01`]);

    // Counted once: the client's GenAI span of the chat call is the record's duplicate, and the task's
    // trace holds one call, at the gateway's price.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const r = await llm.t.request({ method: 'GET', url: `/v1/costs?groupBy=agent&from=${yesterday}&to=${tomorrow}` });
    const row = r.json().rows.find((x: { key: string }) => x.key === 'llm-bot');
    expect(row).toMatchObject({ calls: 3, unpricedCalls: 0 });
    expect(row.costUsd).toBeCloseTo(Number(chat?.cost_usd) + Number(claude?.cost_usd) + Number(twice?.cost_usd), 12);
    const traced = await db
      .selectFrom('task_traces')
      .selectAll()
      .where('trace_id', '=', task?.traceId ?? '')
      .execute();
    expect(traced).toHaveLength(1);
    expect(traced[0]).toMatchObject({ outcomes: 1, calls: 1, model: 'gw-chat' });
    expect(Number(traced[0]?.cost_usd)).toBeCloseTo(Number(chat?.cost_usd), 12);
  });
});
