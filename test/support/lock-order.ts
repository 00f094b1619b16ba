// Two transactions on PostgreSQL made to overlap where a deadlock would happen, with no sleep: each
// export, once it holds its first row of `table`, waits for a gate the test holds, so that both hold
// their first row before either reaches for its second. (A row trigger runs before an insert takes its
// row, so an insert waits at its second row's; an update, an upsert's included, and a delete have
// their row locked before the trigger runs, and wait at their first.) Taken in one order, the second
// export instead waits for the first's row before it has one of its own. The gate opens once both are waiting (on it,
// or on each other), and the outcomes say whether PostgreSQL found a deadlock.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { perTestDatabases } from './databases.js';
import { gate } from './pause.js';
import { until } from './wait.js';

/** The advisory lock the test holds while both exports take their first row. */
const GATE = 4242;

export async function sideBySide(
  dbs: ReturnType<typeof perTestDatabases>,
  table: 'task_events' | 'spans' | 'evidence_daily' | 'llm_reservations',
  exports: Array<(db: Kysely<Database>) => Promise<unknown>>,
  { on = 'insert', before }: { on?: 'insert' | 'update' | 'delete'; before?: (db: Kysely<Database>) => Promise<unknown> } = {},
): Promise<{ outcomes: string[]; db: Kysely<Database> }> {
  const database = await dbs.create('postgres');
  const setup = dbs.open(database).db;
  await before?.(setup);
  // Rows counted per transaction (a setting local to it): one row waits, the one after the first lock.
  await sql`create function second_row_waits() returns trigger language plpgsql as $$
    declare n int := coalesce(nullif(current_setting('fulcrum_test.rows', true), ''), '0')::int + 1;
    begin
      perform set_config('fulcrum_test.rows', n::text, true);
      if n = ${sql.lit(on === 'insert' ? 2 : 1)} then perform pg_advisory_xact_lock_shared(${sql.lit(GATE)}); end if;
      return ${sql.raw(on === 'delete' ? 'old' : 'new')};
    end $$`.execute(setup);
  await sql`create trigger second_row_waits before ${sql.raw(on)} on ${sql.table(table)} for each row execute function second_row_waits()`.execute(
    setup,
  );
  // The transaction holding the advisory lock stops at the pause until the test releases it.
  const pause = gate();
  const holding = setup.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${sql.lit(GATE)})`.execute(trx);
    await pause.stop();
  });
  await pause.reached;
  const runs = exports.map((run) =>
    run(dbs.open(database).db).then(
      () => 'committed',
      (err: unknown) => String(err),
    ),
  );
  try {
    await until(async () => {
      const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
        where wait_event_type = 'Lock' and datname = current_database()`.execute(setup);
      return waiting.rows[0]?.n === exports.length;
    }, 'both exports waiting, at their second row or for the other');
  } finally {
    pause.release();
    await holding;
  }
  return { outcomes: await Promise.all(runs), db: setup };
}
