// Every number Fulcrum stores is finite and bounded, and no stored value can make a report fail:
// 1e308 in a descriptor or a spend line is refused naming the field; values that got into the
// database before the bounds still render (as unknown), never as a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readMini } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(ENGINES)('numbers at the edge on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readMini() } })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('refuses descriptor numbers past 1e12, naming the field', async () => {
    const budget = await t.request({
      method: 'PUT',
      url: '/v1/budgets/huge',
      payload: {
        spec: {
          period: { from: '2026-01-01', to: '2026-12-31' },
          allocations: [{ category: 'model-licences', amount: 1e308 }],
        },
      },
    });
    expect(budget.statusCode).toBe(422);
    expect(budget.json().error.details).toEqual([expect.objectContaining({ path: '/spec/allocations/0/amount' })]);
    const pool = await t.request({
      method: 'PUT',
      url: '/v1/compute-pools/huge',
      payload: { spec: { region: 'eu', unit: 'gpu-hours', capacity: 1, forecastDemand: 1e300 } },
    });
    expect(pool.statusCode).toBe(422);
    expect(pool.json().error.details).toEqual([expect.objectContaining({ path: '/spec/forecastDemand' })]);
  });

  it('rejects a span whose token count is not a bounded whole number, naming the attribute; reads "1000" as 1000', async () => {
    const key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key as string;
    const start = BigInt(Date.now() - 5000) * 1_000_000n;
    const span = (spanId: string, value: object) => ({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId,
      name: 'chat gpt-4o-mini',
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 1_000_000n),
      attributes: [
        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
        { key: 'gen_ai.usage.input_tokens', value },
        { key: 'gen_ai.usage.output_tokens', value: { intValue: '10' } },
      ],
    });
    const res = await t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      payload: {
        resourceSpans: [
          {
            resource: { attributes: [] },
            scopeSpans: [
              {
                spans: [
                  span('00f067aa0ba902b1', { doubleValue: 1e308 }),
                  span('00f067aa0ba902b2', { stringValue: '1000' }),
                  span('00f067aa0ba902b3', { intValue: '-5' }),
                ],
              },
            ],
          },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().partialSuccess.rejectedSpans).toBe('2');
    expect(res.json().partialSuccess.errorMessage).toContain(
      'gen_ai.usage.input_tokens must be a whole number of tokens from 0 to 2147483647, got 1e+308',
    );
    const stored = await t.app.database.db.selectFrom('spans').select(['span_id', 'input_tokens', 'cost_usd']).execute();
    expect(stored.map((r) => [r.span_id, Number(r.input_tokens)])).toEqual([['00f067aa0ba902b2', 1000]]);
    expect(Number.isFinite(Number(stored[0]?.cost_usd))).toBe(true);
  });

  it('renders every report format even when the database holds amounts that overflow', async () => {
    // As a database written before these bounds could hold: two lines whose sum is Infinity.
    const at = new Date().toISOString();
    await t.app.database.db
      .insertInto('spend_lines')
      .values(
        [1, 2].map((i) => ({
          budget: 'fy2026',
          date: `2026-03-0${i}`,
          category: 'model-licences',
          amount: 1.5e308,
          initiative: null,
          description: null,
          imported_by: 'test',
          imported_at: at,
        })),
      )
      .execute();
    for (const format of ['pdf', 'html', 'md', 'json']) {
      const res = await t.request({ method: 'GET', url: `/v1/report?format=${format}` });
      expect([format, res.statusCode], res.body.slice(0, 500)).toEqual([format, 200]);
    }
    const md = await t.request({ method: 'GET', url: '/v1/report?format=md' });
    expect(md.body).toContain('n/a');
  });
});
