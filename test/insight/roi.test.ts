// ROI per initiative: value from measured improvement × the stated valuePerUnit (an assumption),
// cost from telemetry (measured), agents' reports and spend lines (self-reported).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { spansExport } from '../support/otlp.js';
import { startMini, type TestServer } from '../support/server.js';

describe.each(ENGINES)('ROI on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    let key: string;
    ({ t, key } = await startMini(engine));
    const endedAt = new Date().toISOString();
    const events = [
      ...Array.from({ length: 7 }, (_, i) => ({
        type: 'task.completed',
        taskId: `r${i}`,
        outcome: 'resolved',
        durationMs: 1000,
        endedAt,
        costUsd: 0.5,
      })),
      ...Array.from({ length: 3 }, (_, i) => ({
        type: 'task.completed',
        taskId: `e${i}`,
        outcome: 'escalated',
        durationMs: 1000,
        endedAt,
      })),
    ];
    await t.request({ method: 'POST', url: '/v1/events', token: key, payload: { events } });
    const start = BigInt(Date.now() - 60_000) * 1_000_000n;
    await t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      payload: spansExport([
        {
          traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
          spanId: '00f067aa0ba902b7',
          name: 'chat',
          startTimeUnixNano: String(start),
          endTimeUnixNano: String(start + 1_000_000n),
          attributes: [
            { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
            { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
            { key: 'gen_ai.usage.input_tokens', value: { intValue: 1_000_000 } },
            { key: 'gen_ai.usage.output_tokens', value: { intValue: 0 } },
          ],
        },
      ]),
    });
  });
  afterAll(async () => t?.close());

  it('labels every number with its provenance', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection/roi' });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    // Resolution 0.7 against a 0.42 baseline: 0.28 × 18 (valuePerUnit) = 5.04.
    expect(r.value).toEqual({
      total: 5.04,
      provenance: 'assumed',
      items: [
        {
          metric: 'resolution',
          unit: 'fraction',
          improvement: 0.28,
          improvementProvenance: 'measured',
          valuePerUnit: 18,
          value: 5.04,
        },
      ],
      notValued: [],
    });
    expect(r.cost.items).toEqual([
      { source: 'model and tool calls (telemetry, priced at ingest)', amountUsd: 0.15, provenance: 'measured' },
      { source: 'costs agents reported with their tasks', amountUsd: 3.5, provenance: 'self-reported' },
      { source: 'spend lines booked to the initiative', amountUsd: 0, provenance: 'self-reported' },
    ]);
    expect(r.cost.total).toBe(3.65);
    expect(r.roi).toBeCloseTo((5.04 - 3.65) / 3.65, 4);
    expect((await t.request({ method: 'GET', url: '/v1/initiatives/nope/roi' })).statusCode).toBe(404);
  });
});
