// A task event's duration is 64-bit on every engine: events may last up to a year (POST /v1/events),
// task spans longer, and PostgreSQL's 32-bit `integer` refused any past 24.8 days (2^31 ms) with
// "integer out of range", failing the whole batch or export (SQLite's integers are 64 bits already).
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    if (adapter.engine !== 'postgres') return;
    await sql`ALTER TABLE task_events ALTER COLUMN duration_ms TYPE bigint`.execute(db);
  };
}
