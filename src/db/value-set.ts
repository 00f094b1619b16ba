// A set of values bound as one parameter, whatever its size, for `x IN (…)` and `x NOT IN (…)`.
// A term per value passes SQLite's 32,766 bound variables (PostgreSQL's 65,535) once a fleet is that
// large, and fails the statement; the engine expands one JSON array instead, once per statement.
import { type RawBuilder, sql } from 'kysely';
import type { DialectAdapter } from './adapter.js';

/** `values` as a subquery of one column, for the right side of IN / NOT IN (empty: no rows). */
export function valueSet(adapter: DialectAdapter, values: Iterable<string>): RawBuilder<string> {
  const json = JSON.stringify([...values]);
  return adapter.engine === 'postgres'
    ? sql<string>`(SELECT jsonb_array_elements_text(${json}::jsonb))`
    : sql<string>`(SELECT value FROM json_each(${json}))`;
}
