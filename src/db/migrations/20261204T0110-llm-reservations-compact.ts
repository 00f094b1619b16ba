// llm_reservations on SQLite: one B-tree instead of three (issue 17). The table holds only the calls
// in flight (a row is deleted when its call settles), yet each reservation wrote a page of the table,
// one of its primary key and one of its expiry index in the decision's commit, and the commit's fsync
// costs about 30 µs a page on this disk (bench/README.md, "LLM gateway"). WITHOUT ROWID makes the
// key the table; the expiry sweep, every 30 s, scans a table of calls in flight instead of an index.
// PostgreSQL keeps its table and index (its commit does not write pages).
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    if (adapter.engine !== 'sqlite') return;
    await db.schema
      .createTable('llm_reservations_next')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('limit_name', 'text', (c) => c.notNull())
      .addColumn('period_start', 'text', (c) => c.notNull())
      .addColumn('amount_micro', 'bigint', (c) => c.notNull())
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('llm_reservations_pk', ['id', 'limit_name'])
      .modifyEnd(sql`WITHOUT ROWID`)
      .execute();
    await sql`INSERT INTO llm_reservations_next SELECT id, limit_name, period_start, amount_micro, agent, expires_at FROM llm_reservations`.execute(
      db,
    );
    await db.schema.dropTable('llm_reservations').execute();
    await db.schema.alterTable('llm_reservations_next').renameTo('llm_reservations').execute();
  };
}
