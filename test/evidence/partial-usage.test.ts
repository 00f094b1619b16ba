// A model call that reports one of its two token counts (a stream cut off after its first usage
// chunk: Anthropic's message_start carries the input, message_delta the output) has a cost Fulcrum
// cannot know: unpriced, no_usage, never priced as if the missing count were 0. An embeddings call
// has no output, and its input alone prices it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { otlpExport } from '../support/otlp.js';
import { startMini, type TestServer } from '../support/server.js';

const TRACE = 'df8efff798038103d269b633813fc60c';

describe.each(ENGINES)('partial usage on %s', (engine) => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
  });
  afterAll(async () => t?.close());

  it('leaves a call with one token count unpriced (no_usage), and prices an embedding by its input', async () => {
    const start = Date.now() - 60_000;
    const call = (spanId: string, operation: string, usage: Record<string, number>) => ({
      traceId: TRACE,
      spanId,
      name: `${operation} gpt-4o-mini`,
      startMs: start,
      endMs: start + 1000,
      attributes: { 'gen_ai.operation.name': operation, 'gen_ai.request.model': 'gpt-4o-mini', ...usage },
    });
    const res = await t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      payload: otlpExport([
        call('0100000000000001', 'chat', { 'gen_ai.usage.input_tokens': 1_000_000 }),
        call('0100000000000002', 'chat', { 'gen_ai.usage.output_tokens': 1_000_000 }),
        call('0100000000000003', 'embeddings', { 'gen_ai.usage.input_tokens': 1_000_000 }),
        call('0100000000000004', 'chat', { 'gen_ai.usage.input_tokens': 1_000_000, 'gen_ai.usage.output_tokens': 0 }),
      ]),
    });
    expect(res.statusCode, res.body).toBe(200);
    const spans = await t.app.database.db
      .selectFrom('spans')
      .select(['span_id', 'cost_usd', 'unpriced_reason'])
      .orderBy('span_id')
      .execute();
    expect(spans).toEqual([
      { span_id: '0100000000000001', cost_usd: null, unpriced_reason: 'no_usage' },
      { span_id: '0100000000000002', cost_usd: null, unpriced_reason: 'no_usage' },
      { span_id: '0100000000000003', cost_usd: expect.closeTo(0.15, 9), unpriced_reason: null },
      { span_id: '0100000000000004', cost_usd: expect.closeTo(0.15, 9), unpriced_reason: null },
    ]);
    const costs = await t.request({ method: 'GET', url: '/v1/costs?groupBy=agent' });
    expect(costs.json().rows).toEqual([
      expect.objectContaining({
        key: 'support-bot-eu',
        costUsd: 0.3,
        calls: 4,
        unpricedCalls: 2,
        unpriced: expect.objectContaining({ noUsage: 2 }),
      }),
    ]);
  });
});
