// Multi-row inserts on hot paths (audit entries, spans). Building Kysely's query tree for hundreds
// of rows costs more than the database's insert itself, and the SQL depends only on the number of
// rows: Kysely compiles it once per engine and row count, with the executor the insert runs on (a
// transaction, usually: an inserter holds on to none), then each batch binds its values in the same
// column order.
//
// A batch is inserted in chunks whose sizes are powers of two (500 rows: 256 + 128 + 64 + 32 + 16 +
// 4), so a table has at most nine statements, not one per batch size. Each distinct statement is
// prepared and kept by the database driver (SQLite's statement cache, PostgreSQL's plan cache), and a
// prepared insert of hundreds of rows holds megabytes of native memory: one per size grew the server
// by hundreds of megabytes under load.
import { CompiledQuery, type InsertQueryBuilder, type Kysely } from 'kysely';
import { adapterOf } from './adapter.js';
import type { Database } from './schema.js';

type Finish<T extends keyof Database> = (q: InsertQueryBuilder<Database, T, Record<string, unknown>>) => {
  compile(): { sql: string; parameters: readonly unknown[] };
};

export function bulkInserter<T extends keyof Database>(
  table: T,
  columns: ReadonlyArray<keyof Database[T] & string>,
  finish: Finish<T> = (q) => q,
) {
  const compiled = new Map<string, string>();
  const MAX_CHUNK = 256;
  const template = Object.fromEntries(columns.map((c) => [c, null]));
  const sqlFor = (executor: Kysely<Database>, rows: number): string => {
    const key = `${adapterOf(executor).engine}:${rows}`;
    let sql = compiled.get(key);
    if (!sql) {
      const q = executor.insertInto(table).values(Array.from({ length: rows }, () => template) as never);
      const c = finish(q as never).compile();
      // Each batch binds its rows' values alone: whatever `finish` adds must be literal SQL.
      if (c.parameters.length !== rows * columns.length)
        throw new Error(
          `bulkInserter(${table}): the statement binds ${c.parameters.length} values, not the rows' ${rows * columns.length}`,
        );
      sql = c.sql;
      compiled.set(key, sql);
    }
    return sql;
  };
  /** Inserts `rows` through `executor` (a transaction, usually); returns what the SQL returns. */
  return async <R = unknown>(executor: Kysely<Database>, rows: ReadonlyArray<Record<string, unknown>>): Promise<R[]> => {
    const out: R[] = [];
    for (let at = 0; at < rows.length; ) {
      const left = rows.length - at;
      const size = left >= MAX_CHUNK ? MAX_CHUNK : 2 ** Math.floor(Math.log2(left));
      const params: unknown[] = [];
      for (let i = at; i < at + size; i++) for (const c of columns) params.push((rows[i] as Record<string, unknown>)[c]);
      const result = await executor.executeQuery<R>(CompiledQuery.raw(sqlFor(executor, size), params));
      for (const r of result.rows) out.push(r);
      at += size;
    }
    return out;
  };
}
