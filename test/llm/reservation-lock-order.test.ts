// A settlement and the expiry sweep on PostgreSQL delete reservation rows in one order (by id). Each
// DELETE used to take its rows in the order its plan read them: a settlement's by id, the sweep's by
// expiry (its index), so a settlement holding one call's row and reaching for another's, while the
// sweep held that one and reached back, deadlocked, and PostgreSQL failed one of them.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { reserveBatch, settleBatch, sweepExpired } from '../../src/llm/ledger.js';
import type { ApplicableLimit } from '../../src/llm/limits.js';
import { ENGINES, perTestDatabases } from '../support/databases.js';
import { sideBySide } from '../support/lock-order.js';

describe.skipIf(!ENGINES.includes('postgres'))(
  'reservation rows deleted by a settlement and the sweep at once (postgres)',
  () => {
    const dbs = perTestDatabases();

    it('are locked in one order: neither deadlocks the other, and each row is released once', async () => {
      const now = new Date();
      const day = now.toISOString().slice(0, 10);
      const limit: ApplicableLimit = {
        name: 'shared',
        spec: { scope: { initiative: 'x' }, period: 'day', amountUsd: 1e6, enforce: 'block' } as ApplicableLimit['spec'],
        periodStart: day,
        amountMicro: 1e12,
      };
      // Both calls expired, `b` first: the sweep reads b then a by its index, the settlement a then b.
      const req = (id: string, expiredMs: number) => ({
        id,
        agent: 'agent',
        limits: [limit],
        costMicro: 100,
        tokens: 1,
        now,
        expiresAt: new Date(now.getTime() - expiredMs),
      });
      const settle = (id: string) => ({
        id,
        agent: 'agent',
        limits: [limit],
        costMicro: 7,
        minute: null,
        tokenDelta: 0,
        at: now,
      });
      const { outcomes, db } = await sideBySide(
        dbs,
        'llm_reservations',
        [(db) => settleBatch(db, [settle('call-a'), settle('call-b')]), (db) => sweepExpired(db, now)],
        {
          on: 'delete',
          before: async (db) => {
            await reserveBatch(db, [req('call-a', 1_000), req('call-b', 60_000)]);
            // Index scans, as on a table of many calls in flight (a two-row table is read whole).
            const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(db);
            await sql`alter database ${sql.id(rows[0]?.name as string)} set enable_seqscan = off`.execute(db);
            await sql`alter database ${sql.id(rows[0]?.name as string)} set enable_bitmapscan = off`.execute(db);
          },
        },
      );
      expect(outcomes).toEqual(['committed', 'committed']);
      const usage = await db.selectFrom('spend_limit_usage').select(['reserved_micro', 'spent_micro']).executeTakeFirstOrThrow();
      // Whichever deleted a row released it, once: nothing stays reserved; the settlement's spend counts.
      expect([Number(usage.reserved_micro), Number(usage.spent_micro)]).toEqual([0, 14]);
      expect(await db.selectFrom('llm_reservations').select('id').execute()).toEqual([]);
    }, 30_000);
  },
);
