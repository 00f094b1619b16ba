// The spend and unpriced-call lists read the rollups whole (found by review): with thousands of model
// names over a window, `GET /v1/costs?groupBy=model` and the unpriced calls of `GET /v1/signals`
// answered every one. Each is a top-N now, most first, with how many there were.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpanTable } from '../../src/db/schema.js';
import { createEvidenceStore } from '../../src/evidence/evidence-store.js';
import { MAX_UNPRICED_ROWS } from '../../src/evidence/unpriced.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.each(ENGINES)('bounded spend lists (%s)', (engine) => {
  let t: TestServer;
  const days = [1, 2, 3].map((n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10));
  const names = 45;
  beforeAll(async () => {
    t = await startTestServer(engine);
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
    // 45 unpriced model names a day for three days (135), the n-th with n + 1 calls.
    const spans: Array<{ row: SpanTable; inference: boolean }> = [];
    for (const [d, day] of days.entries())
      for (let i = 0; i < names; i++)
        for (let c = 0; c <= d * names + i; c++)
          spans.push({
            row: {
              trace_id: (d * 1000 + i).toString(16).padStart(32, '0'),
              span_id: (c + 1).toString(16).padStart(16, '0'),
              parent_span_id: null,
              agent: 'support-bot-eu',
              registered: 1,
              name: 'chat',
              operation: 'chat',
              start_at: `${day}T10:00:00.000Z`,
              day,
              duration_ms: 10,
              model_reported: `m-${d}-${i}`,
              model: null,
              provider: null,
              input_tokens: 1,
              output_tokens: 1,
              cached_tokens: null,
              cost_usd: null,
              tool: null,
              error_type: null,
              task_outcome: null,
              received_at: new Date().toISOString(),
              claimed_agent: null,
              sent_by: 'agent:support-bot-eu',
              unpriced_reason: 'unknown_model',
              source: 'otlp',
            },
            inference: true,
          });
    await createEvidenceStore(t.app.database.db).ingest([], spans);
  });
  afterAll(async () => t?.close());

  it('answers costs by model as the top `limit` groups, most spend and calls first, with how many there are', async () => {
    const url = `/v1/costs?groupBy=model&from=${days[2]}&to=${days[0]}`;
    const all = await t.request({ method: 'GET', url });
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json().rows).toHaveLength(100);
    expect(all.json().totalRows).toBe(3 * names);
    const top = await t.request({ method: 'GET', url: `${url}&limit=5` });
    expect(top.statusCode, top.body).toBe(200);
    expect(top.json().totalRows).toBe(3 * names);
    expect(top.json().rows.map((r: { key: string; calls: number }) => [r.key, r.calls])).toEqual(
      [134, 133, 132, 131, 130].map((n) => [`m-2-${n - 90}`, n + 1]),
    );
    for (const bad of ['limit=0', 'limit=1001', 'limit=x']) {
      const r = await t.request({ method: 'GET', url: `${url}&${bad}` });
      expect(r.statusCode, bad).toBe(400);
      expect(r.body).toContain('limit');
    }
  });

  it('lists at most MAX_UNPRICED_ROWS unpriced (agent, model) pairs, most calls first, and says how many there are', async () => {
    const r = await t.request({ method: 'GET', url: '/v1/signals' });
    expect(r.statusCode, r.body).toBe(200);
    const s = r.json();
    expect(s.unpricedModelCalls).toHaveLength(MAX_UNPRICED_ROWS);
    expect(s.unpricedModelCallsTotal).toBe(3 * names);
    expect(s.unpricedModelCalls[0]).toMatchObject({ agent: 'support-bot-eu', model: 'm-2-44', calls: 135 });
  });
});
