// Runs pending migrations, safely when several processes start at once. On PostgreSQL Kysely's
// migrator takes an advisory lock and runs them in one transaction. On SQLite it takes no lock (it
// assumes one process), so two processes both saw a migration pending and both ran it ("duplicate
// column"); there the whole run is one write transaction, begun IMMEDIATE: a second process waits
// for the first to commit, then finds nothing pending.
import { type Kysely, Migrator, sql } from 'kysely';
import type { DatabaseHandle } from './adapter.js';
import { migrationsFor } from './migrations/index.js';
import type { Database } from './schema.js';

export interface MigrationReport {
  applied: string[];
}

/** How long a SQLite migration run waits for another process's run to finish. */
const SQLITE_MIGRATION_WAIT_MS = 10 * 60_000;

export async function migrateToLatest(handle: DatabaseHandle): Promise<MigrationReport> {
  if (handle.adapter.supportsTransactionalDdl) return runMigrator(handle, handle.db);
  return handle.db.connection().execute(async (conn) => {
    const [{ timeout } = { timeout: 5000 }] = (await sql<{ timeout: number }>`PRAGMA busy_timeout`.execute(conn)).rows;
    await sql.raw(`PRAGMA busy_timeout = ${SQLITE_MIGRATION_WAIT_MS}`).execute(conn);
    try {
      await sql`BEGIN IMMEDIATE`.execute(conn);
    } finally {
      await sql.raw(`PRAGMA busy_timeout = ${Number(timeout)}`).execute(conn);
    }
    try {
      const report = await runMigrator(handle, conn, { disableTransactions: true });
      await sql`COMMIT`.execute(conn);
      return report;
    } catch (err) {
      // SQLite may have rolled back already (a full disk does): the migration's error is the one to tell.
      await sql`ROLLBACK`.execute(conn).catch((rollbackErr: unknown) => {
        if (!String(rollbackErr).includes('no transaction is active')) throw rollbackErr;
      });
      throw err;
    }
  });
}

async function runMigrator(
  { adapter, location }: DatabaseHandle,
  db: Kysely<Database>,
  opts: { disableTransactions?: boolean } = {},
): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrationsFor(adapter) }, ...opts });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    // Kysely refuses a database that ran migrations this build does not have as "corrupted": it is
    // one a newer release migrated (a deployment rolled back without its backup, or a node left on
    // the earlier release), and the operator needs to hear that and what to do.
    const known = new Set(Object.keys(migrationsFor(adapter)));
    const ran = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`
      .execute(db)
      .catch(() => ({ rows: [] }));
    const unknown = ran.rows.map((r) => r.name).filter((name) => !known.has(name));
    if (unknown.length > 0)
      throw new Error(
        `the database ${location} was migrated by a newer Fulcrum release: it ran ${unknown.join(', ')}, which this build does not have. Run that release or a later one, or restore the backup taken before the upgrade (docs/operations.md, "Upgrading")`,
      );
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(failed ? `migration ${failed} failed: ${message}` : `migrations failed: ${message}`);
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** Migrations this build has that the database has not run (read only: creates nothing). */
export async function pendingMigrations({ db, adapter }: DatabaseHandle): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrationsFor(adapter) } });
  return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}
