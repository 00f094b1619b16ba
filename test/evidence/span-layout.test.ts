// Migration 20261202T0120-span-layout on every engine: spans stored in the old layout (primary key
// trace_id, span_id) are all there afterwards, in start order, with the reason of each unpriced model
// call, the rollups' unpriced calls split by reason, and a re-send of a stored span still stored once.
import { randomBytes } from 'node:crypto';
import { type Kysely, Migrator, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrationsFor } from '../../src/db/migrations/index.js';
import { createEvidenceStore } from '../../src/evidence/evidence-store.js';
import { createEmptyDatabase, ENGINES } from '../support/databases.js';

const LAYOUT = '20261202T0120-span-layout';

const oldSpan = (i: number, over: Record<string, unknown> = {}) => ({
  trace_id: randomBytes(16).toString('hex'),
  span_id: randomBytes(8).toString('hex'),
  parent_span_id: null,
  agent: 'support-bot-eu',
  registered: 1,
  name: 'chat',
  operation: 'chat',
  // Inserted out of start order: the new table holds them in start order.
  start_at: new Date(Date.UTC(2026, 10, 20, 10, 0, 60 - i)).toISOString(),
  day: '2026-11-20',
  duration_ms: 12.5,
  model_reported: 'gpt-4o-mini-2024-07-18',
  model: 'gpt-4o-mini',
  provider: 'openai',
  input_tokens: 100 + i,
  output_tokens: 10,
  cached_tokens: null,
  cost_usd: 0.001,
  tool: null,
  error_type: null,
  task_outcome: null,
  received_at: '2026-11-20T10:01:00.000Z',
  claimed_agent: null,
  sent_by: 'agent:support-bot-eu',
  ...over,
});

describe.each(ENGINES)('the span layout migration on %s', (engine) => {
  const drops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const d of drops) await d();
  });

  it('keeps every span and the rollups, with reasons, and still stores a re-send once', async () => {
    const { handle, drop } = await createEmptyDatabase(engine);
    drops.push(async () => {
      await handle.destroy();
      await drop();
    });
    const all = migrationsFor(handle.adapter);
    const before = Object.fromEntries(Object.entries(all).filter(([name]) => name < LAYOUT));
    const { error } = await new Migrator({ db: handle.db, provider: { getMigrations: async () => before } }).migrateToLatest();
    expect(error).toBeUndefined();
    const db = handle.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    const spans = [
      ...Array.from({ length: 20 }, (_, i) => oldSpan(i)),
      oldSpan(30, { model: null, model_reported: 'mystery-llm', cost_usd: null }),
      oldSpan(31, { cost_usd: null }),
      oldSpan(32, {
        operation: 'execute_tool',
        name: 'execute_tool crm.lookup',
        tool: 'crm.lookup',
        model: null,
        model_reported: null,
        cost_usd: null,
      }),
    ];
    await db.insertInto('spans').values(spans).execute();
    const rollup = (model: string, unpriced: number) => ({
      day: '2026-11-20',
      agent: 'support-bot-eu',
      model,
      unpriced_calls: unpriced,
      model_calls: unpriced,
    });
    await db
      .insertInto('evidence_daily')
      .values([rollup('mystery-llm', 1), rollup('gpt-4o-mini', 1)])
      .execute();

    await migrateToLatest(handle);

    const after = await handle.db.selectFrom('spans').selectAll().orderBy('seq').execute();
    expect(after).toHaveLength(spans.length);
    const sorted = [...spans].sort((a, b) => a.start_at.localeCompare(b.start_at));
    for (const [i, s] of sorted.entries()) expect(after[i]).toMatchObject({ ...s, duplicate: 0, mcp_call: null, source: null });
    const reasons = Object.fromEntries(after.map((r) => [r.model_reported ?? r.name, r.unpriced_reason]));
    expect(reasons).toMatchObject({ 'mystery-llm': 'unknown_model', 'execute_tool crm.lookup': null });
    expect(after.filter((r) => r.unpriced_reason === 'no_price')).toHaveLength(1);
    const daily = await handle.db.selectFrom('evidence_daily').selectAll().orderBy('model').execute();
    expect(
      daily.map((d) => [d.model, d.unpriced_calls, d.unpriced_unknown_model, d.unpriced_no_price, d.unpriced_no_usage]),
    ).toEqual([
      ['gpt-4o-mini', 1, 0, 1, 0],
      ['mystery-llm', 1, 1, 0, 0],
    ]);

    // The new layout's key: a re-sent span (same start, trace and span id) is stored once.
    const store = createEvidenceStore(handle.db);
    const resend = {
      ...(sorted[0] as (typeof spans)[number]),
      unpriced_reason: null,
      source: 'otlp',
      mcp_call: null,
      duplicate: 0,
    };
    expect(await store.ingest([], [{ row: resend as never, inference: true }])).toEqual({ events: 0, spans: 0 });
    const fresh = { ...resend, span_id: randomBytes(8).toString('hex') };
    expect(await store.ingest([], [{ row: fresh as never, inference: true }])).toEqual({ events: 0, spans: 1 });
    const count = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM spans`.execute(handle.db);
    expect(Number(count.rows[0]?.n)).toBe(spans.length + 1);
  });
});
