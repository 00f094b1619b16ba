// Multi-row inserts on hot paths (audit entries, spans). Building Kysely's query tree for hundreds
// of rows costs more than the database's insert itself, and the SQL depends only on the number of
// rows: Kysely compiles it once per row count (for whichever dialect), then each batch binds its
// values in the same column order.
import { CompiledQuery, type InsertQueryBuilder, type Kysely } from 'kysely';
import type { Database } from './schema.js';

type Finish<T extends keyof Database> = (q: InsertQueryBuilder<Database, T, Record<string, unknown>>) => {
  compile(): { sql: string };
};

export function bulkInserter<T extends keyof Database>(
  db: Kysely<Database>,
  table: T,
  columns: ReadonlyArray<keyof Database[T] & string>,
  finish: Finish<T> = (q) => q,
) {
  const compiled = new Map<number, string>();
  const template = Object.fromEntries(columns.map((c) => [c, null]));
  const sqlFor = (rows: number): string => {
    let sql = compiled.get(rows);
    if (!sql) {
      const q = db.insertInto(table).values(Array.from({ length: rows }, () => template) as never);
      sql = finish(q as never).compile().sql;
      if (compiled.size < 1024) compiled.set(rows, sql);
    }
    return sql;
  };
  /** Inserts `rows` through `executor` (a transaction, usually); returns what the SQL returns. */
  return async <R = unknown>(executor: Kysely<Database>, rows: ReadonlyArray<Record<string, unknown>>): Promise<R[]> => {
    if (rows.length === 0) return [];
    const params = rows.flatMap((r) => columns.map((c) => r[c]));
    return (await executor.executeQuery<R>(CompiledQuery.raw(sqlFor(rows.length), params))).rows;
  };
}
