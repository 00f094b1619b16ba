// Spend lines imported against a budget (CSV or JSON), beside the descriptor's own `actuals`.
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('spend_lines')
      .addColumn('id', adapter.autoIncrementType, (c) => adapter.autoIncrement(c))
      .addColumn('budget', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('amount', 'double precision', (c) => c.notNull())
      .addColumn('initiative', 'text')
      .addColumn('description', 'text')
      .addColumn('imported_by', 'text', (c) => c.notNull())
      .addColumn('imported_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('spend_lines_budget').on('spend_lines').columns(['budget', 'date']).execute();
  };
}
