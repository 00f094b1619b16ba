// Versioned risk assessments of initiatives (EU AI Act classes); the latest is the tier in force.
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('risk_assessments')
      .addColumn('initiative', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('tier', 'text', (c) => c.notNull())
      .addColumn('reasons', 'text', (c) => c.notNull())
      .addColumn('answers', 'text', (c) => c.notNull())
      .addColumn('notes', 'text')
      .addColumn('assessed_by', 'text', (c) => c.notNull())
      .addColumn('assessed_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('risk_assessments_pk', ['initiative', 'version'])
      .execute();
  };
}
