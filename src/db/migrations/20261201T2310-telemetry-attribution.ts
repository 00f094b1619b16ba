// Telemetry attribution (docs/evidence.md): spans and task events record which credential sent them
// and, when they named an agent they were not booked to, the name they claimed. Older rows keep NULL.
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    for (const table of ['spans', 'task_events']) {
      await db.schema.alterTable(table).addColumn('claimed_agent', 'text').execute();
      await db.schema.alterTable(table).addColumn('sent_by', 'text').execute();
    }
    // Mismatches are rare: partial indexes keep the signal's query off the bulk of the evidence.
    await sql`CREATE INDEX spans_claimed ON spans (day) WHERE claimed_agent IS NOT NULL`.execute(db);
    await sql`CREATE INDEX task_events_claimed ON task_events (day) WHERE claimed_agent IS NOT NULL`.execute(db);
  };
}
