// A streamed call through the LLM gateway by a client whose instrumentation records the stream with no
// response id and no usage (OpenInference's OpenAI instrumentation keeps only the text): the client's
// span is paired with the gateway's record by agent, model and time, whichever arrives first, and the
// call counts once, at the gateway's price (docs/llm-gateway.md, "Evidence"). Found by attack, session
// 37: each such call was counted twice, once priced and once unpriced `no_usage`.
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { otlpExport } from '../support/otlp.js';
import { until } from '../support/wait.js';
import { costOf, useLlmStack } from './fixture.js';

describe.each(ENGINES)('a streamed gateway call whose client span names no response id (%s)', (engine) => {
  const llm = useLlmStack(engine);
  let openai: OpenAI;
  let spans = 0;
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const costs = async () => {
    const r = await llm.t.request({ method: 'GET', url: `/v1/costs?groupBy=agent&from=${yesterday}&to=${tomorrow}` });
    return (r.json().rows.find((x: { key: string }) => x.key === 'llm-bot') ?? { calls: 0, unpricedCalls: 0, costUsd: 0 }) as {
      calls: number;
      unpricedCalls: number;
      costUsd: number;
    };
  };
  /** OpenInference's span of a streamed chat call, from `startMs` to `endMs`, of `model`. */
  const clientSpan = (startMs: number, endMs: number, model = 'gw-chat') => {
    spans++;
    const hex = spans.toString(16).padStart(2, '0');
    return llm.t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: llm.key,
      payload: otlpExport([
        {
          traceId: hex.repeat(16),
          spanId: hex.repeat(8),
          name: 'OpenAI Chat Completions',
          startMs,
          endMs,
          attributes: {
            'openinference.span.kind': 'LLM',
            'llm.model_name': model,
            'llm.system': 'openai',
            'output.value': 'Hello there',
            'output.mime_type': 'text/plain',
          },
        },
      ]),
    });
  };
  /** One streamed call through the gateway, its record flushed and counted; when it ran. */
  const records = async () => {
    const db = llm.t.app.database.db;
    const r = await db.selectFrom('spans').select(db.fn.countAll().as('n')).where('source', '=', 'llm').executeTakeFirstOrThrow();
    return Number(r.n);
  };
  const streamed = async () => {
    const before = await records();
    const startMs = Date.now();
    const stream = await openai.chat.completions.create({
      model: 'gw-chat',
      messages: [{ role: 'user', content: 'a stream' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const _ of stream);
    const endMs = Date.now();
    await until(async () => {
      await llm.t.server.llmGateway.flush();
      return (await records()) > before;
    }, 'the gateway record');
    return { startMs, endMs };
  };
  const PER_CALL = costOf({ input: 10, output: 5 });

  beforeAll(async () => {
    openai = new OpenAI({ baseURL: `${llm.url}/llm/openai/v1`, apiKey: llm.key, maxRetries: 0 });
  });

  it('counts the call once when the client span arrives after the gateway record', async () => {
    const { startMs, endMs } = await streamed();
    const base = await costs();
    // The client's span of the call holds the gateway's record (it starts before the request, ends after the stream).
    expect((await clientSpan(startMs - 5, endMs + 5)).statusCode).toBe(200);
    expect(await costs()).toMatchObject({ calls: base.calls, unpricedCalls: base.unpricedCalls });
  });

  it('counts the call once when the client span arrives first', async () => {
    const base = await costs();
    const startMs = Date.now() - 100;
    // The client's exporter sent its span first (its clock a little ahead: the span ends in a while).
    expect((await clientSpan(startMs, startMs + 60_000)).statusCode).toBe(200);
    expect(await costs()).toMatchObject({ calls: base.calls + 1, unpricedCalls: base.unpricedCalls + 1 });
    await streamed();
    const after = await costs();
    expect(after).toMatchObject({ calls: base.calls + 1, unpricedCalls: base.unpricedCalls });
    expect(after.costUsd).toBeCloseTo(base.costUsd + PER_CALL, 12);
  });

  it('counts a span with no gateway record in it, or of another model, as a call of its own', async () => {
    const { startMs, endMs } = await streamed();
    const base = await costs();
    // A direct call an hour ago, and one of another model at the time of the gateway's.
    expect((await clientSpan(startMs - 3_600_000, endMs - 3_600_000)).statusCode).toBe(200);
    expect((await clientSpan(startMs - 5, endMs + 5, 'gpt-other')).statusCode).toBe(200);
    expect(await costs()).toMatchObject({ calls: base.calls + 2, unpricedCalls: base.unpricedCalls + 2 });
    // The call's own span pairs with it.
    expect((await clientSpan(startMs - 5, endMs + 5)).statusCode).toBe(200);
    expect(await costs()).toMatchObject({ calls: base.calls + 2, unpricedCalls: base.unpricedCalls + 2 });
    // Two client spans of the next gateway call: one pairs with it, the other counts (a direct call),
    // though the first call, its record paired already, lies within them give or take the clocks' skew.
    const again = await streamed();
    const then = await costs();
    expect((await clientSpan(again.startMs - 5, again.endMs + 5)).statusCode).toBe(200);
    expect((await clientSpan(again.startMs - 5, again.endMs + 5)).statusCode).toBe(200);
    expect(await costs()).toMatchObject({ calls: then.calls + 1, unpricedCalls: then.unpricedCalls + 1 });
  });
});
