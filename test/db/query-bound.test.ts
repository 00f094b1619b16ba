// The server's bound on one query (FULCRUM_DATABASE_TIMEOUT_SECONDS): a statement past it fails as
// the database being unreachable, and its connection is dropped; background jobs that may rightly
// run long statements (retention, monitors) run without it. PostgreSQL (SQLite has busy_timeout).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, withoutQueryBound, withQueryBound } from '../../src/db/adapter.js';
import { databaseUnreachable } from '../../src/db/unreachable.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

describe.skipIf(!process.env.FULCRUM_TEST_DATABASE_URL)('the bound on one query', () => {
  let db: TestDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    handle = db.open();
    handle.boundQueries(300);
  });
  afterAll(async () => {
    await handle?.destroy();
    await db?.drop();
  });

  it('fails a statement that runs past it as unreachable, and the next query is served', async () => {
    const started = Date.now();
    const err = await sql`select pg_sleep(3)`.execute(handle.db).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((err as Error)?.message).toBe('the database did not answer within 0.3 s');
    expect(databaseUnreachable(err)).toBe(true);
    expect((await sql<{ one: number }>`select 1 as one`.execute(handle.db)).rows).toEqual([{ one: 1 }]);
  });

  it('bounds shared work a background job starts (a writer loop), though the job itself is unbounded', async () => {
    // As the audit writer's flush loop, started by a retention act, goes on to commit decisions.
    const shared = await withoutQueryBound(async () => {
      // Its outcome taken at once: the bounded query fails while the job's own runs on.
      const started = withQueryBound(() =>
        new Promise((r) => setImmediate(r)).then(() => sql`select pg_sleep(3)`.execute(handle.db)),
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      const own = await sql<{ done: string }>`select pg_sleep(0.6)::text as done`.execute(handle.db);
      expect(own.rows).toEqual([{ done: '' }]);
      return started;
    });
    expect((shared as Error)?.message).toBe('the database did not answer within 0.3 s');
  });

  it('lets a background job run a statement longer than it', async () => {
    const out = await withoutQueryBound(() => sql<{ done: string }>`select pg_sleep(0.6)::text as done`.execute(handle.db));
    expect(out.rows).toEqual([{ done: '' }]);
  });
});
