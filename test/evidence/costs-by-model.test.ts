// GET /v1/costs adds up to the same totals whatever it is grouped by: grouped by model, the model
// calls that named no model (unpriced, unknown_model) and self-reported task cost are a row of their
// own, "(no model)", not left out (no silent zero: a call Fulcrum cannot price is counted, with why).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { otlpExport } from '../support/otlp.js';
import { startMini, type TestServer } from '../support/server.js';

const TRACE = 'ad8efff798038103d269b633813fc60c';

interface Row {
  key: string;
  costUsd: number;
  calls: number;
  unpricedCalls: number;
  inputTokens: number;
  unpriced: { unknownModel: number };
}

describe.each(ENGINES)('costs by model on %s', (engine) => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
  });
  afterAll(async () => t?.close());

  it('counts model calls that named no model, and self-reported cost, under "(no model)"', async () => {
    const start = Date.now() - 60_000;
    const chat = (spanId: string, attributes: Record<string, string | number>) => ({
      traceId: TRACE,
      spanId,
      name: 'chat',
      startMs: start,
      endMs: start + 1000,
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.output_tokens': 0, ...attributes },
    });
    const spans = await t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      payload: otlpExport([
        chat('d000000000000001', { 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 1_000_000 }),
        // A model call whose instrumentation named no model: unpriced, unknown_model.
        chat('d000000000000002', { 'gen_ai.usage.input_tokens': 2_000_000 }),
      ]),
    });
    expect(spans.statusCode, spans.body).toBe(200);
    const events = await t.request({
      method: 'POST',
      url: '/v1/events',
      token: key,
      payload: {
        events: [
          {
            type: 'task.completed',
            taskId: 'T-1',
            outcome: 'resolved',
            durationMs: 1000,
            endedAt: new Date(start).toISOString(),
            costUsd: 0.5,
          },
        ],
      },
    });
    expect(events.json().accepted).toBe(1);
    const costs = async (groupBy: string): Promise<Row[]> => {
      const res = await t.request({ method: 'GET', url: `/v1/costs?groupBy=${groupBy}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().rows;
    };
    const total = (rows: Row[]) => ({
      costUsd: Math.round(rows.reduce((n, r) => n + r.costUsd, 0) * 1e6) / 1e6,
      calls: rows.reduce((n, r) => n + r.calls, 0),
      unpricedCalls: rows.reduce((n, r) => n + r.unpricedCalls, 0),
      inputTokens: rows.reduce((n, r) => n + r.inputTokens, 0),
    });
    const byAgent = await costs('agent');
    expect(total(byAgent)).toEqual({ costUsd: 0.65, calls: 2, unpricedCalls: 1, inputTokens: 3_000_000 });
    const byModel = await costs('model');
    expect(total(byModel)).toEqual(total(byAgent));
    expect(byModel.find((r) => r.key === '(no model)')).toMatchObject({
      costUsd: 0.5,
      calls: 1,
      unpricedCalls: 1,
      unpriced: { unknownModel: 1 },
    });
  });
});
