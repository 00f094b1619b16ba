// LangChain calling its provider directly (not through Fulcrum's LLM gateway), with OpenInference's
// LangChain and OpenAI instrumentations both on, as OpenInference's docs set them up: each call is
// recorded twice, LangChain's span and the OpenAI SDK's, with the same response id and tokens but in
// two traces (LangChain's tracer does not parent the SDK's span), and must be counted once
// (docs/evidence.md, "Daily rollups"). Found by attack, session 37: each call was counted twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLlmStack } from '../llm/fixture.js';
import type { FakeUpstream } from '../llm/upstream.js';
import { ENGINES } from '../support/databases.js';
import { otlpExport } from '../support/otlp.js';
import type { TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { runInstrumentedClient } from './instrumented-client.js';

describe.each(ENGINES)('LangChain and OpenAI SDK spans of direct calls (%s)', (engine) => {
  let t: TestServer;
  let up: FakeUpstream;
  let url: string;
  let key: string;

  beforeAll(async () => {
    ({ t, up, url, key } = await startLlmStack(engine));
  });
  afterAll(async () => {
    await t?.close();
    await up?.close();
  });

  it('counts each call once', async () => {
    await runInstrumentedClient('langchain', {
      OPENAI_BASE_URL: `${up.url}/v1`,
      FULCRUM_OTLP_URL: `${url}/otlp/v1/traces`,
      FULCRUM_KEY: key,
      MODEL: 'gw-chat',
    });
    const db = t.app.database.db;
    await until(async () => {
      const spans = await db.selectFrom('spans').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(spans.n) >= 4;
    }, 'the two spans of each call');
    // Each span the root of a trace of its own: nothing but the response id and the time ties them.
    const traces = await db.selectFrom('spans').select('trace_id').distinct().execute();
    expect(traces.length).toBe(4);
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const r = await t.request({ method: 'GET', url: `/v1/costs?groupBy=agent&from=${day}&to=${tomorrow}` });
    expect(r.json().rows.find((x: { key: string }) => x.key === 'llm-bot')).toMatchObject({ calls: 2 });
  });

  it('counts the two spans of a call once whichever export brings the outer one, and calls of one kind sharing an id twice', async () => {
    const calls = async () => {
      const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      const r = await t.request({ method: 'GET', url: `/v1/costs?groupBy=agent&from=${day}` });
      return r.json().rows.find((x: { key: string }) => x.key === 'llm-bot').calls as number;
    };
    const at = Date.now() - 60_000;
    const span = (trace: string, name: string, startMs: number, endMs: number, id: string) =>
      t.request({
        method: 'POST',
        url: '/otlp/v1/traces',
        token: key,
        payload: otlpExport([
          {
            traceId: trace.repeat(32),
            spanId: trace.repeat(16),
            name,
            startMs,
            endMs,
            attributes: {
              'openinference.span.kind': 'LLM',
              'llm.model_name': 'gw-chat',
              'llm.token_count.prompt': 10,
              'llm.token_count.completion': 5,
              'output.mime_type': 'application/json',
              'output.value': JSON.stringify({ id, object: 'chat.completion' }),
            },
          },
        ]),
      });
    const base = await calls();
    // The SDK's span (within) first, LangChain's (around it) in a later export: one call.
    expect((await span('a', 'OpenAI Chat Completions', at + 10, at + 90, 'chatcmpl-x')).statusCode).toBe(200);
    expect((await span('b', 'ChatOpenAI', at, at + 100, 'chatcmpl-x')).statusCode).toBe(200);
    expect(await calls()).toBe(base + 1);
    // Two SDK calls at once whose provider answered the same id (Ollama's repeat): two calls.
    expect((await span('c', 'OpenAI Chat Completions', at + 20, at + 80, 'chatcmpl-y')).statusCode).toBe(200);
    expect((await span('d', 'OpenAI Chat Completions', at + 10, at + 90, 'chatcmpl-y')).statusCode).toBe(200);
    expect(await calls()).toBe(base + 3);
    // LangChain's span of another call later on, with that id again: a call of its own.
    expect((await span('e', 'ChatOpenAI', at + 30_000, at + 30_100, 'chatcmpl-x')).statusCode).toBe(200);
    expect(await calls()).toBe(base + 4);
  });
});
