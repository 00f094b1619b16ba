// Large deletes and updates a slice at a time. One statement over millions of rows holds SQLite's
// one connection, and with it the event loop (better-sqlite3 is synchronous), for seconds: no
// decision, health check or ingest is answered meanwhile. On PostgreSQL it locks every row it
// touches until it commits, and another node running the same statement waits on all of them.
import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { DialectAdapter } from './adapter.js';
import type { Database } from './schema.js';

/** The most rows one statement of a sliced delete or update changes. */
export const SLICE_ROWS = 5000;

/** The engine's hidden row id (rowid, ctid), to select a slice of rows and then change exactly those. */
export const rowIdOf = (adapter: DialectAdapter): RawBuilder<string> => sql.ref(adapter.rowId);

/** The rows whose ids `picked` (a select of rowIdOf) lists: looked up by id, never by a scan of the table. */
export function rowsIn(adapter: DialectAdapter, picked: Expression<unknown>): RawBuilder<SqlBool> {
  // PostgreSQL plans `ctid = ANY(ARRAY(…))` as a TID scan of the listed rows once the list is built.
  return adapter.engine === 'postgres'
    ? sql<SqlBool>`${rowIdOf(adapter)} = ANY(ARRAY(${picked}))`
    : sql<SqlBool>`${rowIdOf(adapter)} IN (${picked})`;
}

/**
 * Runs `step` (one statement changing at most `limit` rows; it answers how many it changed) until a
 * step changes none, letting the event loop serve other work between steps; answers the total.
 * Stopping only at none, not at a short slice: another node deleting the same rows meanwhile shortens
 * a slice without finishing the work.
 */
export async function inSlices(step: (limit: number) => Promise<bigint | number>, limit = SLICE_ROWS): Promise<number> {
  let total = 0;
  for (;;) {
    const n = Number(await step(limit));
    total += n;
    if (n === 0) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Deletes the rows of `table` that `picked` (a select of rowIdOf, with no limit of its own) lists, a
 * slice at a time (inSlices); answers how many.
 */
export function deleteInSlices(
  db: Kysely<Database>,
  adapter: DialectAdapter,
  table: keyof Database & string,
  picked: { limit(n: number): Expression<unknown> },
): Promise<number> {
  return inSlices(
    async (limit) =>
      (
        await db
          .deleteFrom(table)
          .where(rowsIn(adapter, picked.limit(limit)))
          .executeTakeFirst()
      ).numDeletedRows,
  );
}
