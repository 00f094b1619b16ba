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
  { adapter }: DatabaseHandle,
  db: Kysely<Database>,
  opts: { disableTransactions?: boolean } = {},
): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrationsFor(adapter) }, ...opts });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** Migrations this build has that the database has not run (read only: creates nothing). */
export async function pendingMigrations({ db, adapter }: DatabaseHandle): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrationsFor(adapter) } });
  return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}
