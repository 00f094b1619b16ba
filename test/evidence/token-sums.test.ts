// Token counts and their daily sums fit every engine's columns: on PostgreSQL, `integer` is 32 bits,
// so one span of 3 billion tokens, or a day of one agent's calls of one model past 2,147,483,647,
// failed the export with a 500 (every later export of that agent, model and day too) where SQLite,
// whose integers are 64 bits, kept counting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { otlpExport } from '../support/otlp.js';
import { startMini, type TestServer } from '../support/server.js';

const TRACE = 'be8efff798038103d269b633813fc60c';

describe.each(ENGINES)('token sums on %s', (engine) => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
  });
  afterAll(async () => t?.close());

  const start = Date.now() - 60_000;
  const chat = (spanId: string, input: number) => ({
    traceId: TRACE,
    spanId,
    name: 'chat gpt-4o-mini',
    startMs: start,
    endMs: start + 1000,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': input,
      'gen_ai.usage.output_tokens': 0,
    },
  });
  const post = (spans: ReturnType<typeof chat>[]) =>
    t.request({ method: 'POST', url: '/otlp/v1/traces', token: key, payload: otlpExport(spans) });

  it('sums a day past 2^31 tokens, and rejects a span that reports more than one column holds', async () => {
    const first = await post([chat('e000000000000001', 1_500_000_000)]);
    expect(first.statusCode, first.body).toBe(200);
    const second = await post([chat('e000000000000002', 1_500_000_000)]);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toEqual({});
    const third = await post([chat('e000000000000003', 3_000_000_000), chat('e000000000000004', 1000)]);
    expect(third.statusCode, third.body).toBe(200);
    expect(third.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '1',
        errorMessage: 'span 0: gen_ai.usage.input_tokens must be a whole number of tokens from 0 to 2147483647, got 3000000000',
      },
    });
    const costs = await t.request({ method: 'GET', url: '/v1/costs?groupBy=agent' });
    expect(costs.json().rows).toEqual([
      expect.objectContaining({ key: 'support-bot-eu', inputTokens: 3_000_001_000, calls: 3, costUsd: 450.00015 }),
    ]);
  });
});
