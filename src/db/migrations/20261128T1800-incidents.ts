// Incidents with their timeline and the EU AI Act Art. 73 reporting clock.
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('incidents')
      .addColumn('id', 'text', (c) => c.primaryKey().notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('owner', 'text')
      .addColumn('agents', 'text', (c) => c.notNull())
      .addColumn('initiatives', 'text', (c) => c.notNull())
      .addColumn('serious', 'integer', (c) => c.notNull())
      .addColumn('serious_kind', 'text')
      .addColumn('aware_at', 'text', (c) => c.notNull())
      .addColumn('report_due_at', 'text')
      .addColumn('reported_at', 'text')
      .addColumn('report_reference', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('incidents_status').on('incidents').columns(['status', 'opened_at']).execute();

    await db.schema
      .createTable('incident_timeline')
      .addColumn('id', adapter.autoIncrementType, (c) => adapter.autoIncrement(c))
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text')
      .addColumn('note', 'text')
      .execute();
    await db.schema.createIndex('incident_timeline_incident').on('incident_timeline').column('incident_id').execute();
  };
}
