// A client that calls models through Fulcrum's LLM gateway and also exports its own instrumentation's
// spans of those calls: each call is recorded twice (the gateway's record and the client's span) and
// must be counted once, the gateway's record counting, whichever real instrumentation package made
// the span (docs/llm-gateway.md, "Evidence").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costOf, startLlmStack } from '../llm/fixture.js';
import type { FakeUpstream } from '../llm/upstream.js';
import type { TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { runInstrumentedClient } from './instrumented-client.js';

// OpenInference's spans of a streamed call carry no response id at all (its stream wrapper keeps
// only the text, no usage either): such a span is paired with the gateway's record by agent, model
// and time instead (docs/llm-gateway.md, "Evidence").
const CASES = [
  { which: 'otel', stream: true, records: 2 },
  { which: 'traceloop', stream: true, records: 2 },
  { which: 'openinference', stream: true, records: 2 },
  // LangChain's span of each call, its OpenAI SDK's span within it, and the gateway's record.
  { which: 'langchain', stream: false, records: 3 },
];

describe.each(CASES)('the gateway and $which client spans of the same calls', ({ which, stream, records }) => {
  let t: TestServer;
  let up: FakeUpstream;
  let url: string;
  let key: string;
  const calls = stream ? 3 : 2;

  beforeAll(async () => {
    ({ t, up, url, key } = await startLlmStack('sqlite'));
  });
  afterAll(async () => {
    await t?.close();
    await up?.close();
  });

  it('counts each call once, at the gateway’s price', async () => {
    await runInstrumentedClient(which, {
      OPENAI_BASE_URL: `${url}/llm/openai/v1`,
      FULCRUM_OTLP_URL: `${url}/otlp/v1/traces`,
      FULCRUM_KEY: key,
      MODEL: 'gw-chat',
      ...(stream ? { STREAM: '1' } : {}),
    });
    // The client's spans are stored when its export is answered; the gateway's records when flushed.
    await until(async () => {
      await t.server.llmGateway.flush();
      const spans = await t.app.database.db
        .selectFrom('spans')
        .select(t.app.database.db.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return Number(spans.n) >= records * calls;
    }, 'the two records of each call');
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const r = await t.request({ method: 'GET', url: `/v1/costs?groupBy=agent&from=${day}&to=${tomorrow}` });
    const row = r.json().rows.find((x: { key: string }) => x.key === 'llm-bot');
    expect(row).toMatchObject({ calls, unpricedCalls: 0 });
    expect(row.costUsd).toBeCloseTo(calls * costOf({ input: 10, output: 5 }), 12);
  });
});
