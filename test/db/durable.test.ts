// SQLite durability without stalling the event loop: a write's promise settles only after the WAL
// has been fsynced (on the thread pool), concurrent commits share fsyncs, and reads cost none.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/adapter.js';

describe('SQLite commits', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-durable-'));
  const handle = openDatabase({ sqliteFile: path.join(dir, 'test.db') });
  const db = handle.db as unknown as import('kysely').Kysely<{ t: { v: number } }>;
  const fsyncs = () => handle.walFsyncs?.() ?? Number.NaN;
  afterAll(async () => {
    await handle.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('are fsynced before a transaction or a write outside one resolves', async () => {
    await sql`create table t (v integer)`.execute(db);
    const before = fsyncs();
    await db.transaction().execute((trx) => trx.insertInto('t').values({ v: 1 }).execute());
    expect(fsyncs()).toBe(before + 1);
    await db.insertInto('t').values({ v: 2 }).execute();
    expect(fsyncs()).toBe(before + 2);
  });

  it('cost no fsync for reads', async () => {
    const before = fsyncs();
    expect(await db.selectFrom('t').select('v').orderBy('v').execute()).toEqual([{ v: 1 }, { v: 2 }]);
    expect(fsyncs()).toBe(before);
  });

  it('share fsyncs when they come together, and every one of them is covered', async () => {
    const before = fsyncs();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        db.transaction().execute((trx) =>
          trx
            .insertInto('t')
            .values({ v: 100 + i })
            .execute(),
        ),
      ),
    );
    const used = fsyncs() - before;
    expect(used).toBeGreaterThanOrEqual(1);
    expect(used).toBeLessThan(50);
    expect(
      (
        await db
          .selectFrom('t')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ).toBe(52);
  });
});
