// Spend imports are recorded (found by review: a retry after a timeout, or the same file imported
// twice, booked every line twice). An import is known by the content of its lines, unique per budget,
// and written in the same transaction as its lines, so the same lines again are answered with the
// earlier import; a corrected re-issue is imported after the earlier import is withdrawn by its id.
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('spend_imports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('budget', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('lines', 'integer', (c) => c.notNull())
      .addColumn('total', 'double precision', (c) => c.notNull())
      .addColumn('imported_by', 'text', (c) => c.notNull())
      .addColumn('imported_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('spend_imports_once').unique().on('spend_imports').columns(['budget', 'content_hash']).execute();
    // Lines imported before keep NULL: they belong to no recorded import.
    await db.schema.alterTable('spend_lines').addColumn('import_id', 'text').execute();
    await db.schema.createIndex('spend_lines_import').on('spend_lines').column('import_id').execute();
  };
}
