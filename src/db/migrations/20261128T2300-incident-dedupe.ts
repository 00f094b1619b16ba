// At most one open (or mitigated) incident per monitor, enforced by the database: two nodes that
// evaluate the same breach at the same instant both try to open one, and the second insert fails
// instead of opening a duplicate (the monitor then reports the first one as deduplicated).
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await sql`CREATE UNIQUE INDEX incidents_one_open_per_monitor ON incidents (source)
      WHERE source LIKE 'monitor:%' AND status IN ('open', 'mitigated')`.execute(db);
  };
}
