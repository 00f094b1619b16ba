// Two exports on PostgreSQL that add to the same rollup rows lock them as they upsert them, one statement
// each. The rows went in the order the export listed them: an export holding agent a's row and reaching
// for agent z's, while another held z's and reached for a's, deadlocked, and PostgreSQL failed one of
// them (its exporter to send it again). Both rollups are upserted in key order now, as the traces are
// locked: every export takes its rows in one order.
import { describe, expect, it } from 'vitest';
import { createEvidenceStore } from '../../src/evidence/evidence-store.js';
import { ENGINES, perTestDatabases } from '../support/databases.js';
import { sideBySide } from '../support/lock-order.js';
import { taskEvent } from '../support/task-event.js';

const day = new Date().toISOString().slice(0, 10);
const event = (agent: string, task: string) => taskEvent(agent, task, { day });

describe.skipIf(!ENGINES.includes('postgres'))('rollup rows upserted by two exports at once (postgres)', () => {
  const dbs = perTestDatabases();

  it('are locked in one order: neither export deadlocks the other', async () => {
    // Each export adds to agent-a's and agent-z's rows of the day, listed in opposite orders; each holds
    // its first row while it reaches for its second (test/support/lock-order.ts).
    const { outcomes, db } = await sideBySide(
      dbs,
      'evidence_daily',
      [
        (db) => createEvidenceStore(db).ingest([event('agent-a', 'a'), event('agent-z', 'a')], []),
        (db) => createEvidenceStore(db).ingest([event('agent-z', 'z'), event('agent-a', 'z')], []),
      ],
      {
        on: 'update',
        before: (db) => createEvidenceStore(db).ingest([event('agent-a', 'first'), event('agent-z', 'first')], []),
      },
    );
    expect(outcomes).toEqual(['committed', 'committed']);
    const rows = await db.selectFrom('evidence_daily').select(['agent', 'tasks_resolved']).orderBy('agent').execute();
    expect(rows.map((r) => [r.agent, Number(r.tasks_resolved)])).toEqual([
      ['agent-a', 3],
      ['agent-z', 3],
    ]);
  }, 30_000);
});
