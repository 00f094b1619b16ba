// A set of values bound as one parameter, whatever its size, for `x IN (…)` and `x NOT IN (…)`.
// A term per value passes SQLite's 32,766 bound variables (PostgreSQL's 65,535) once a fleet is that
// large, and fails the statement; the engine expands one JSON array instead, once per statement.
import type { RawBuilder } from 'kysely';
import type { DialectAdapter } from './adapter.js';

/** `values` as a subquery of one column, for the right side of IN / NOT IN (empty: no rows). */
export function valueSet(adapter: DialectAdapter, values: Iterable<string>): RawBuilder<string> {
  return adapter.arrayValues(JSON.stringify([...values]));
}
