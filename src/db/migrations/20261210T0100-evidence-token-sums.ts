// A day's token sums per agent and model are 64-bit on every engine: PostgreSQL's `integer` is 32
// bits, and a busy agent's day of one model past 2,147,483,647 tokens failed every later export of
// that day with "integer out of range" (SQLite's integers are 64 bits already). The spans' own counts
// stay 32 bits: no call reports more (src/evidence/cost.ts MAX_TOKENS), and the table is the largest.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    if (adapter.engine !== 'postgres') return;
    await sql`ALTER TABLE evidence_daily
      ALTER COLUMN input_tokens TYPE bigint,
      ALTER COLUMN output_tokens TYPE bigint,
      ALTER COLUMN cached_tokens TYPE bigint`.execute(db);
  };
}
