// The rate monitors read task events by ended_at in a window (src/governance/monitors.ts); an index
// leads with it, so a check reads the window, not the table (found by review: on 1M events a
// fleet-wide check scanned all of them, ~770 ms on SQLite and ~240 ms on PostgreSQL, per monitor per
// interval: bench/monitors/window.mjs).
import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';

describe.each(ENGINES)('the monitor window query on %s', (engine) => {
  let database: TestDatabase | undefined;
  afterEach(async () => database?.drop());

  it('reads task events through the ended_at index, fleet-wide and for some agents', { timeout: 60_000 }, async () => {
    database = await createTestDatabase(engine);
    const handle = database.open();
    await migrateToLatest(handle);
    const db = handle.db as Kysely<Database>;
    try {
      // 20,000 events over 90 days, as the planner's statistics see them: a 1 h window is a few of them.
      const start = Date.now() - 90 * 86_400_000;
      const rows = Array.from({ length: 20_000 }, (_, i) => {
        const ended = new Date(start + i * 388_800).toISOString();
        return {
          agent: `agent-${i % 50}`,
          task_id: `t-${i}`,
          type: 'task.completed',
          workflow: null,
          outcome: 'resolved',
          duration_ms: 1000,
          started_at: ended,
          ended_at: ended,
          day: ended.slice(0, 10),
          cost_usd: null,
          source: 'api',
          registered: 1,
          attributes: '{}',
          received_at: ended,
          claimed_agent: null,
          sent_by: null,
        };
      });
      for (let i = 0; i < rows.length; i += 1000)
        await db
          .insertInto('task_events')
          .values(rows.slice(i, i + 1000))
          .execute();
      await sql`ANALYZE`.execute(db);
      const until = new Date().toISOString();
      const since = new Date(Date.now() - 3_600_000).toISOString();
      // Agents with events of their own, 400 each: for agents the statistics have never seen, PostgreSQL
      // estimates one row and may rightly take the (agent, task_id, type) index instead (CI, 00:15).
      for (const agents of [undefined, ['agent-1', 'agent-2']]) {
        let q = db
          .selectFrom('task_events')
          .select((eb) => [eb.fn.countAll<number>().as('n')])
          .where('type', '=', 'task.completed')
          .where('ended_at', '>=', since)
          .where('ended_at', '<=', until);
        q = agents ? q.where('agent', 'in', agents) : q.where('agent', '!=', '');
        const compiled = q.compile();
        const explain = engine === 'postgres' ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN';
        const plan = (await db.executeQuery<Record<string, string>>({ ...compiled, sql: `${explain} ${compiled.sql}` })).rows
          .map((r) => r['QUERY PLAN'] ?? r.detail)
          .join('\n');
        expect(plan, String(agents)).toMatch(/task_events_ended/);
      }
    } finally {
      await handle.destroy();
    }
  });
});
