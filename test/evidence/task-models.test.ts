// Tasks by model, rolled up at ingest (src/evidence/task-models.ts, migration 20261203T0100) on every
// engine: the rollup agrees with grouping the stored spans by trace (the definition the plan used to
// run as one query) whatever order and however many exports a trace's spans come in, a re-send
// changes nothing, the migration fills it from the spans already stored, and retention purges the
// traces' states with the spans while the daily rollup stays.
import { randomBytes } from 'node:crypto';
import { type Kysely, Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrationsFor } from '../../src/db/migrations/index.js';
import type { Database, SpanTable } from '../../src/db/schema.js';
import { seeded } from '../../src/demo/story.js';
import { createEvidenceStore } from '../../src/evidence/evidence-store.js';
import { isModelCall } from '../../src/evidence/task-models.js';
import { tasksPerModel } from '../../src/insight/plan-facts.js';
import { createEmptyDatabase, ENGINES } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MIGRATION = '20261203T0100-task-models';
const DAY = '2026-11-20';
const ADMIN = { type: 'admin', id: 'admin' } as const;

let n = 0;
function span(trace: string, agent: string, over: Partial<SpanTable> = {}): SpanTable {
  n++;
  return {
    trace_id: trace,
    span_id: `${n}`.padStart(16, '0'),
    parent_span_id: null,
    agent,
    registered: 1,
    name: 'chat',
    operation: 'chat',
    start_at: `${over.day ?? DAY}T10:${String(n % 60).padStart(2, '0')}:00.000Z`,
    day: DAY,
    duration_ms: 10,
    model_reported: 'gpt-4.1',
    model: 'gpt-4.1',
    provider: 'openai',
    input_tokens: 100,
    output_tokens: 10,
    cached_tokens: null,
    cost_usd: 0.002,
    tool: null,
    error_type: null,
    task_outcome: null,
    received_at: `${DAY}T11:00:00.000Z`,
    claimed_agent: null,
    sent_by: `agent:${agent}`,
    ...over,
  };
}
const outcome = (trace: string, agent: string, o: string, over: Partial<SpanTable> = {}) =>
  span(trace, agent, {
    name: 'invoke_agent',
    operation: 'invoke_agent',
    model: null,
    model_reported: null,
    input_tokens: null,
    output_tokens: null,
    cost_usd: null,
    task_outcome: o,
    ...over,
  });
const tool = (trace: string, agent: string) =>
  span(trace, agent, {
    name: 'execute_tool',
    operation: 'execute_tool',
    tool: 'kb.search',
    model: null,
    model_reported: null,
    cost_usd: null,
  });

/** The plan's definition, as the one query it ran before the rollup: the stored spans grouped by trace. */
async function byTrace(db: Kysely<Database>, agents: string[]) {
  const rows = await sql<{
    agent: string;
    model: string | null;
    mixed: number;
    tasks: number;
    resolved: number;
    calls: number;
    unpriced: number;
    cost: number | null;
    input: number | null;
    output: number | null;
  }>`
    SELECT agent, CASE WHEN first_model = last_model THEN first_model END AS model,
           CASE WHEN first_model <> last_model THEN 1 ELSE 0 END AS mixed, COUNT(*) AS tasks,
           SUM(CASE WHEN resolved_outcomes = outcomes THEN 1 ELSE 0 END) AS resolved, SUM(calls) AS calls,
           SUM(unpriced) AS unpriced, SUM(cost) AS cost, SUM(input) AS input, SUM(output) AS output
    FROM (
      SELECT agent, trace_id, COUNT(task_outcome) AS outcomes,
             SUM(CASE WHEN task_outcome = 'resolved' THEN 1 ELSE 0 END) AS resolved_outcomes,
             MIN(m) AS first_model, MAX(m) AS last_model, SUM(inference) AS calls,
             SUM(CASE WHEN inference = 1 AND cost_usd IS NULL THEN 1 ELSE 0 END) AS unpriced,
             SUM(CASE WHEN inference = 1 THEN cost_usd END) AS cost,
             SUM(CASE WHEN inference = 1 THEN input_tokens END) AS input,
             SUM(CASE WHEN inference = 1 THEN output_tokens END) AS output
      FROM (
        SELECT agent, trace_id, task_outcome, cost_usd, input_tokens, output_tokens, inference,
               CASE WHEN inference = 1 THEN COALESCE(model, model_reported) END AS m
        FROM (
          SELECT *, CASE WHEN operation IN ('chat', 'text_completion', 'generate_content', 'embeddings')
                              OR (operation IS NULL AND model_reported IS NOT NULL) THEN 1 ELSE 0 END AS inference
          FROM spans WHERE agent IN (${sql.join(agents)})
        ) s
      ) m
      GROUP BY agent, trace_id
    ) t
    WHERE outcomes > 0
    GROUP BY agent, CASE WHEN first_model = last_model THEN first_model END, CASE WHEN first_model <> last_model THEN 1 ELSE 0 END`.execute(
    db,
  );
  return sorted(
    rows.rows.map((r) => ({
      agent: r.agent,
      model: r.model,
      mixed: Number(r.mixed) === 1,
      tasks: Number(r.tasks),
      resolved: Number(r.resolved),
      calls: Number(r.calls),
      unpricedCalls: Number(r.unpriced),
      costUsd: Math.round(Number(r.cost ?? 0) * 1e9) / 1e9,
      inputTokens: Number(r.input ?? 0),
      outputTokens: Number(r.output ?? 0),
    })),
  );
}
const sorted = <T extends { agent: string; model: string | null; mixed: boolean }>(rows: T[]) =>
  [...rows].sort((a, b) => `${a.agent}/${a.model}/${a.mixed}`.localeCompare(`${b.agent}/${b.model}/${b.mixed}`));
const rollup = async (db: Kysely<Database>, agents: string[]) => sorted(await tasksPerModel(db, agents, DAY, DAY));

describe.each(ENGINES)('tasks by model at ingest on %s', (engine) => {
  let t: TestServer;
  let db: Kysely<Database>;
  let store: ReturnType<typeof createEvidenceStore>;
  const ingest = (spans: SpanTable[]) =>
    store.ingest(
      [],
      spans.map((row) => ({ row: { ...row }, inference: isModelCall(row) })),
    );
  beforeAll(async () => {
    t = await startTestServer(engine);
    db = t.app.database.db;
    store = createEvidenceStore(db);
  }, 60_000);
  afterAll(async () => t?.close());

  it('a trace whose spans come in several exports, in any order, is one task; a re-send changes nothing', async () => {
    const a = 'split-a';
    const call = span('t1', a);
    const done = outcome('t1', a, 'resolved');
    expect(await ingest([call])).toEqual({ events: 0, spans: 1 });
    // A model call alone is no task (yet).
    expect(await rollup(db, [a])).toEqual([]);
    await ingest([done, tool('t1', a)]);
    expect(await rollup(db, [a])).toEqual([
      expect.objectContaining({ agent: a, model: 'gpt-4.1', mixed: false, tasks: 1, resolved: 1, calls: 1, costUsd: 0.002 }),
    ]);
    // Re-sent, in one export and spread over two: nothing moves.
    expect(await ingest([call, done])).toEqual({ events: 0, spans: 0 });
    expect(await rollup(db, [a])).toEqual(await byTrace(db, [a]));
    // A second model in the trace: the task is credited to no model any more (mixed).
    await ingest([span('t1', a, { model: 'claude-sonnet-4', model_reported: 'claude-sonnet-4', cost_usd: 0.01 })]);
    expect(await rollup(db, [a])).toEqual([
      expect.objectContaining({ agent: a, model: null, mixed: true, tasks: 1, resolved: 1, calls: 2, costUsd: 0.012 }),
    ]);
    // A second outcome that is not resolved: the task no longer succeeded.
    await ingest([outcome('t1', a, 'escalated')]);
    expect(await rollup(db, [a])).toEqual([expect.objectContaining({ model: null, mixed: true, tasks: 1, resolved: 0 })]);
    // Spans booked to no agent are in no agent's tasks.
    await ingest([span('t2', ''), outcome('t2', '', 'resolved')]);
    expect(await db.selectFrom('task_traces').select('agent').where('trace_id', '=', 't2').execute()).toEqual([]);
  });

  it('agrees with grouping the stored spans by trace, for random traces split over random exports', async () => {
    const r = seeded(7);
    const agents = ['mix-a', 'mix-b'];
    const spans: SpanTable[] = [];
    for (let i = 0; i < 400; i++) {
      const trace = `rt-${i}`;
      const agent = r.pick(agents);
      const models = r.next() < 0.15 ? ['gpt-4.1', 'llama-3.3-70b'] : [r.pick(['gpt-4.1', 'llama-3.3-70b', 'gpt-4o-mini'])];
      for (let c = r.int(0, 3); c > 0; c--) {
        const model = r.pick(models);
        const priced = r.next() < 0.9;
        spans.push(
          span(trace, agent, {
            model: r.next() < 0.95 ? model : null,
            model_reported: model,
            cost_usd: priced ? Math.round(r.next() * 1e6) / 1e8 : null,
            input_tokens: r.int(50, 5000),
            output_tokens: r.int(5, 500),
          }),
        );
      }
      if (r.next() < 0.3) spans.push(tool(trace, agent));
      // Most traces have one outcome, some none (not a task), a few two.
      for (let o = r.next() < 0.1 ? 0 : r.next() < 0.1 ? 2 : 1; o > 0; o--)
        spans.push(outcome(trace, agent, r.pick(['resolved', 'resolved', 'escalated', 'failed'])));
    }
    // Shuffled, cut into exports of 1 to 60 spans, with a fifth re-sent in a later export.
    for (let i = spans.length - 1; i > 0; i--) {
      const j = r.int(0, i);
      [spans[i], spans[j]] = [spans[j] as SpanTable, spans[i] as SpanTable];
    }
    const resent: SpanTable[] = [];
    for (let at = 0; at < spans.length; ) {
      const size = r.int(1, 60);
      const batch = spans.slice(at, at + size);
      for (const s of batch) if (r.next() < 0.2) resent.push(s);
      await ingest(r.next() < 0.5 ? [...batch, ...resent.splice(0, 5)] : batch);
      at += size;
    }
    await ingest(resent);
    const expected = await byTrace(db, agents);
    expect(expected.length).toBeGreaterThan(4);
    expect(expected.some((e) => e.mixed)).toBe(true);
    expect(expected.some((e) => e.unpricedCalls > 0)).toBe(true);
    expect(await rollup(db, agents)).toEqual(expected);
  });

  it('exports of the same traces at the same time (several nodes, one database) still add up', async () => {
    const agents = ['race-a', 'race-b'];
    const exports = Array.from({ length: 8 }, (_, e) =>
      Array.from({ length: 60 }, (_, i) => {
        const trace = `race-${i}`;
        const agent = agents[i % 2] as string;
        // Each export brings one span of each trace: a model call, or (export 3) its outcome.
        return e === 3
          ? outcome(trace, agent, i % 3 ? 'resolved' : 'failed')
          : span(trace, agent, e === 5 && i % 7 === 0 ? { model: 'llama-3.3-70b', model_reported: 'llama-3.3-70b' } : {});
      }),
    );
    await Promise.all(exports.map((x) => ingest(x)));
    const expected = await byTrace(db, agents);
    expect(expected.reduce((s, r) => s + r.tasks, 0)).toBe(60);
    expect(await rollup(db, agents)).toEqual(expected);
  });

  it('retention purges the traces’ states with the spans; the daily rollup stays', async () => {
    const a = 'old-agent';
    const old = '2026-01-05';
    await ingest([span('old-1', a, { day: old }), outcome('old-1', a, 'resolved', { day: old })]);
    const before = await tasksPerModel(db, [a], old, old);
    expect(before).toEqual([expect.objectContaining({ model: 'gpt-4.1', tasks: 1 })]);
    // 200 days on: past its period, and past the high-risk floor that holds an agent the registry does
    // not (or no longer) list (docs/governance.md "Retention").
    const purged = await t.app.retention.purge(ADMIN, new Date(Date.parse(`${old}T00:00:00Z`) + 200 * 86_400_000));
    expect(purged.spans).toBeGreaterThanOrEqual(2);
    expect(await db.selectFrom('task_traces').select('trace_id').where('agent', '=', a).execute()).toEqual([]);
    expect(await tasksPerModel(db, [a], old, old)).toEqual(before);
    // Newer traces are untouched.
    expect(await db.selectFrom('task_traces').select('trace_id').where('trace_id', '=', 't1').execute()).toHaveLength(1);
  });

  it('exports that arrive together (one commit on SQLite) each stand alone: one that fails is undone, the others are kept', async () => {
    const a = 'grouped-agent';
    const good = Array.from({ length: 6 }, (_, i) => [span(`g${i}`, a), outcome(`g${i}`, a, 'resolved')]);
    // A span the database refuses (no trace id): its whole export is undone, calls and all.
    const bad = [span('g-bad', a), { ...span('g-bad', a), trace_id: null as unknown as string }];
    const results = await Promise.allSettled([...good.slice(0, 3), bad, ...good.slice(3)].map((x) => ingest(x)));
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    for (const r of results) if (r.status === 'fulfilled') expect(r.value).toEqual({ events: 0, spans: 2 });
    const stored = await db.selectFrom('spans').select('trace_id').where('agent', '=', a).execute();
    expect(stored.map((r) => r.trace_id).sort()).toEqual(good.flatMap((x) => x.map((s) => s.trace_id)).sort());
    expect(await db.selectFrom('task_traces').select('trace_id').where('trace_id', '=', 'g-bad').execute()).toEqual([]);
    expect(await rollup(db, [a])).toEqual(await byTrace(db, [a]));
    expect((await byTrace(db, [a]))[0]).toEqual(expect.objectContaining({ tasks: 6, calls: 6 }));
  });

  it('retention walks task_traces in slices (it has no index on day): every expired state goes, every other stays', async () => {
    const a = 'sliced-agent';
    const old = '2026-01-06';
    const recent = new Date().toISOString().slice(0, 10);
    // More than two slices' worth, old and recent interleaved in key order (random trace ids).
    const rows = Array.from({ length: 12_001 }, (_, i) => ({
      trace_id: randomBytes(16).toString('hex'),
      agent: a,
      day: i % 2 ? recent : old,
      outcomes: 1,
      resolved_outcomes: 1,
      model: 'gpt-4.1',
      mixed: 0,
      calls: 1,
      unpriced_calls: 0,
      cost_usd: 0.001,
      input_tokens: 10,
      output_tokens: 5,
    }));
    for (let i = 0; i < rows.length; i += 500)
      await db
        .insertInto('task_traces')
        .values(rows.slice(i, i + 500))
        .execute();
    await t.app.retention.purge(ADMIN, new Date(Date.parse(`${old}T00:00:00Z`) + 200 * 86_400_000));
    const left = await db.selectFrom('task_traces').select(['trace_id', 'day']).where('agent', '=', a).execute();
    expect(left).toHaveLength(6_000);
    expect(left.every((r) => r.day === recent)).toBe(true);
    expect(new Set(left.map((r) => r.trace_id))).toEqual(new Set(rows.filter((r) => r.day === recent).map((r) => r.trace_id)));
  });
});

describe.each(ENGINES)('the tasks-by-model migration on %s', (engine) => {
  const drops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const d of drops) await d();
  });

  it('fills the rollup from the spans already stored, and ingest carries on from there', async () => {
    const { handle, drop } = await createEmptyDatabase(engine);
    drops.push(async () => {
      await handle.destroy();
      await drop();
    });
    const all = migrationsFor(handle.adapter);
    const before = Object.fromEntries(Object.entries(all).filter(([name]) => name < MIGRATION));
    const { error } = await new Migrator({ db: handle.db, provider: { getMigrations: async () => before } }).migrateToLatest();
    expect(error).toBeUndefined();
    const agents = ['bot-a', 'bot-b'];
    const stored = [
      span('m1', 'bot-a'),
      outcome('m1', 'bot-a', 'resolved'),
      span('m2', 'bot-a', { model: null, model_reported: 'mystery-llm', cost_usd: null }),
      outcome('m2', 'bot-a', 'failed'),
      span('m3', 'bot-b'),
      span('m3', 'bot-b', { model: 'llama-3.3-70b', model_reported: 'llama-3.3-70b' }),
      outcome('m3', 'bot-b', 'resolved'),
      // A model call waiting for its outcome, and a task booked to no agent.
      span('m4', 'bot-b'),
      outcome('m5', '', 'resolved'),
    ];
    await (handle.db as unknown as Kysely<Record<string, Record<string, unknown>>>)
      .insertInto('spans')
      .values(stored as unknown as Array<Record<string, unknown>>)
      .execute();
    await migrateToLatest(handle);
    const db = handle.db;
    expect(await rollup(db, agents)).toEqual(await byTrace(db, agents));
    expect(await rollup(db, agents)).toEqual([
      expect.objectContaining({ agent: 'bot-a', model: 'gpt-4.1', tasks: 1, resolved: 1 }),
      expect.objectContaining({ agent: 'bot-a', model: 'mystery-llm', tasks: 1, resolved: 0, unpricedCalls: 1 }),
      expect.objectContaining({ agent: 'bot-b', model: null, mixed: true, tasks: 1, resolved: 1, calls: 2 }),
    ]);
    // The waiting trace's outcome arrives after the upgrade: its state was backfilled too.
    await createEvidenceStore(db).ingest([], [{ row: outcome('m4', 'bot-b', 'escalated'), inference: false }]);
    expect(await rollup(db, agents)).toEqual(await byTrace(db, agents));
    expect((await rollup(db, agents)).find((r) => r.agent === 'bot-b' && r.model === 'gpt-4.1')).toMatchObject({ tasks: 1 });
  });
});
