// Retention: where each audit chain resumes after its oldest entries were purged.
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('audit_checkpoints')
      .addColumn('chain_id', 'text', (c) => c.primaryKey().notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
  };
}
