// The database's clock: what every node agrees on when something expires (LLM reservations,
// approvals). Nodes' own clocks drift apart; one that runs behind would keep what has expired.
import { CompiledQuery, type Kysely } from 'kysely';
import { adapterOf } from './adapter.js';
import type { Database } from './schema.js';

/** On PostgreSQL, the server's `now()`; SQLite runs on this host, so this host's clock. */
export async function databaseNow(db: Kysely<Database>): Promise<Date> {
  if (adapterOf(db).engine !== 'postgres') return new Date();
  const row = (await db.executeQuery<{ now: Date | string }>(CompiledQuery.raw('select now() as now'))).rows[0];
  const at = row ? new Date(row.now) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw new Error(`the database's clock read as ${JSON.stringify(row?.now)}`);
  return at;
}
