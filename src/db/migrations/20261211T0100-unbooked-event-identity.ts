// Which task events are the same (found by review): the key was (agent, task id, type), and every
// event booked to no agent (a collector naming an agent it may not speak for) has agent ''. Two such
// events with one task id and type but different senders or claimed agents were one re-send: the
// second was dropped and its attribution mismatch never reached /v1/signals. A booked event keeps
// its identity (its agent's task, whatever it claimed); an unbooked one is now identified by who sent
// it and whom it claimed. Both are partial unique indexes, as the primary key cannot be conditional.
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    if (adapter.engine === 'postgres') {
      await sql`ALTER TABLE task_events DROP CONSTRAINT task_events_pk`.execute(db);
    } else {
      // SQLite cannot drop a primary key: the table is rebuilt with the same columns, without it.
      await db.schema
        .createTable('task_events_new')
        .addColumn('agent', 'text', (c) => c.notNull())
        .addColumn('task_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('workflow', 'text')
        .addColumn('outcome', 'text')
        .addColumn('duration_ms', 'integer')
        .addColumn('started_at', 'text')
        .addColumn('ended_at', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('cost_usd', 'double precision')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('registered', 'integer', (c) => c.notNull())
        .addColumn('attributes', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('claimed_agent', 'text')
        .addColumn('sent_by', 'text')
        .execute();
      await sql`INSERT INTO task_events_new SELECT agent, task_id, type, workflow, outcome, duration_ms, started_at,
        ended_at, day, cost_usd, source, registered, attributes, received_at, claimed_agent, sent_by FROM task_events`.execute(
        db,
      );
      await sql`DROP TABLE task_events`.execute(db);
      await sql`ALTER TABLE task_events_new RENAME TO task_events`.execute(db);
      await db.schema.createIndex('task_events_day').on('task_events').columns(['day', 'agent']).execute();
      await sql`CREATE INDEX task_events_claimed ON task_events (day) WHERE claimed_agent IS NOT NULL`.execute(db);
    }
    await sql`CREATE UNIQUE INDEX task_events_once ON task_events (agent, task_id, type) WHERE agent <> ''`.execute(db);
    // Unbooked rows always carry their sender and claim (src/evidence/attribution.ts); rows from
    // before attribution have a real agent and fall under the index above.
    await sql`CREATE UNIQUE INDEX task_events_unbooked_once ON task_events (sent_by, claimed_agent, task_id, type) WHERE agent = ''`.execute(
      db,
    );
  };
}
