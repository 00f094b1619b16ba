// Two exports on PostgreSQL that add to the same rollup rows lock them as they upsert them, one statement
// each. The rows went in the order the export listed them: an export holding agent a's row and reaching
// for agent z's, while another held z's and reached for a's, deadlocked, and PostgreSQL failed one of
// them (its exporter to send it again). Both rollups are upserted in key order now, as the traces are
// locked: every export takes its rows in one order.
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createEvidenceStore } from '../../src/evidence/evidence-store.js';
import { ENGINES, perTestDatabases } from '../support/databases.js';
import { pauseQuery } from '../support/pause.js';
import { taskEvent } from '../support/task-event.js';

const day = new Date().toISOString().slice(0, 10);
const event = (agent: string, task: string) => taskEvent(agent, task, { day });

describe.skipIf(!ENGINES.includes('postgres'))('rollup rows upserted by two exports at once (postgres)', () => {
  const dbs = perTestDatabases();
  const gates: Array<() => void> = [];
  afterEach(() => {
    for (const release of gates.splice(0)) release();
  });

  it('are locked in one order: neither export deadlocks the other', async () => {
    const database = await dbs.create('postgres');
    const setup = dbs.open(database);
    await migrateToLatest(setup);
    const store = createEvidenceStore(setup.db);
    await store.ingest([event('agent-a', 'first'), event('agent-z', 'first')], []);
    // Each update of a rollup row takes half a second, its row locked: two exports side by side each
    // hold their first row while they reach for their second.
    await sql`create function slow_update() returns trigger language plpgsql as $$
      begin perform pg_sleep(0.5); return new; end $$`.execute(setup.db);
    await sql`create trigger slow before update on evidence_daily for each row execute function slow_update()`.execute(setup.db);
    // Both exports are held once their events are stored, and let go together.
    const exports = [
      [event('agent-a', 'a'), event('agent-z', 'a')],
      [event('agent-z', 'z'), event('agent-a', 'z')],
    ].map((events) => {
      const pause = pauseQuery({
        query: (node) => node.kind === 'InsertQueryNode' && JSON.stringify(node.into).includes('"task_events"'),
      });
      gates.push(pause.release);
      const ingest = createEvidenceStore(dbs.open(database).db.withPlugin(pause.plugin))
        .ingest(events, [])
        .then(
          () => 'committed',
          (err: unknown) => String(err),
        );
      return { pause, ingest };
    });
    await Promise.all(exports.map((e) => e.pause.paused));
    for (const e of exports) e.pause.release();
    expect(await Promise.all(exports.map((e) => e.ingest))).toEqual(['committed', 'committed']);
    const rows = await setup.db.selectFrom('evidence_daily').select(['agent', 'tasks_resolved']).orderBy('agent').execute();
    expect(rows.map((r) => [r.agent, Number(r.tasks_resolved)])).toEqual([
      ['agent-a', 3],
      ['agent-z', 3],
    ]);
  }, 30_000);
});
