// A group commit whose check needs slow work done first (the guard reloading a large registry that
// moved, which waits on the Cedar worker) gives its transaction up, does that work holding no
// database connection, and tries again: on SQLite's single connection, a transaction held open
// across that wait stopped every other request of the node.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/adapter.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { type AuditRecord, AuditWriter, RetryBatch } from '../../src/guard/audit.js';
import { verifyAudit } from '../../src/guard/audit-verify.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';
import { gate } from '../support/pause.js';
import { until } from '../support/wait.js';

function record(i: number): AuditRecord {
  return {
    id: `act_retry_${i}_${Math.random().toString(36).slice(2, 10)}`,
    kind: 'call.outcome',
    at: new Date().toISOString(),
    actor: 'agent:support-bot',
    agent: 'support-bot',
    action: null,
    target: null,
    decision: null,
    reasons: [],
    monitor: [],
    policyVersion: 1,
    argumentsHash: null,
    arguments: null,
    dataDomains: [],
    taskId: null,
    approvalId: null,
    detail: { i },
  };
}

describe.each(ENGINES)('an audit batch that asks to be tried again, on %s', (engine) => {
  let db: TestDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    handle = db.open();
    await migrateToLatest(handle);
  });
  afterAll(async () => {
    await handle?.destroy();
    await db?.drop();
  });

  it('does the work outside its transaction (other queries run meanwhile), then commits once', async () => {
    const calls: boolean[] = [];
    let prepared = 0;
    const retries: string[] = [];
    const writer = await AuditWriter.start<AuditRecord>(handle.db, {
      record: (r) => r,
      onRetry: (reason) => retries.push(reason),
      beforeWrite: async (trx, _items, mayRetry) => {
        calls.push(mayRetry);
        // Written before asking: rolled back with the attempt.
        await trx
          .insertInto('agent_controls')
          .values({ agent: 'retry-bot', status: 'suspended', reason: 'r', actor: 'a', at: 'now' })
          .execute();
        if (prepared < 2)
          throw new RetryBatch(async () => {
            prepared++;
            // A query on the same database finishes here: with the transaction still open, SQLite's
            // one connection would wait for it, and this would never return.
            await handle.db.selectFrom('registry_state').select('revision').executeTakeFirstOrThrow();
          });
        await trx.deleteFrom('agent_controls').where('agent', '=', 'retry-bot').execute();
      },
    });
    await Promise.all([1, 2, 3].map((i) => writer.append(record(i))));
    await writer.close();
    expect(prepared).toBe(2);
    // Three tries: the last may not ask again.
    expect(calls).toEqual([true, true, false]);
    expect(retries).toEqual(['prepare', 'prepare']);
    const entries = await handle.db
      .selectFrom('audit_entries')
      .select(['seq'])
      .where('chain_id', '=', writer.chainId)
      .orderBy('seq')
      .execute();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(await handle.db.selectFrom('agent_controls').selectAll().where('agent', '=', 'retry-bot').execute()).toEqual([]);
    const report = await verifyAudit(handle.db);
    expect(report.ok, JSON.stringify(report.findings ?? report)).toBe(true);
  });

  it('fails the batch when the last try asks again anyway, writing nothing', async () => {
    const writer = await AuditWriter.start<AuditRecord>(handle.db, {
      record: (r) => r,
      beforeWrite: async () => {
        throw new RetryBatch(async () => {});
      },
    });
    await expect(writer.append(record(9))).rejects.toThrow(/tried again/);
    await writer.close();
    const n = await handle.db.selectFrom('audit_entries').select('seq').where('chain_id', '=', writer.chainId).execute();
    expect(n).toEqual([]);
  });

  // PostgreSQL refuses a NUL in text (SQLite stores it): one request's value must not fail the
  // others that share its group commit.
  it.skipIf(engine !== 'postgres')('writes the rest of a batch when the database refuses one entry as data', async () => {
    const seen: boolean[] = [];
    const writer = await AuditWriter.start<AuditRecord>(handle.db, {
      record: (r) => r,
      beforeWrite: async (_trx, items) => {
        // Changes beforeWrite makes are undone before the entries are tried one by one.
        for (const item of items) {
          seen.push((item as { touched?: boolean }).touched === true);
          Object.assign(item, { touched: true });
        }
      },
    });
    const records = [1, 2, 3, 4, 5].map(record);
    (records[2] as AuditRecord).taskId = 'task\u0000';
    const settled = await Promise.allSettled(records.map((r) => writer.append(r)));
    await writer.close();
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(String((settled[2] as PromiseRejectedResult).reason)).toMatch(/0x00/);
    expect(seen.every((touched) => !touched)).toBe(true);
    const entries = await handle.db
      .selectFrom('audit_entries')
      .select(['seq', 'id'])
      .where('chain_id', '=', writer.chainId)
      .orderBy('seq')
      .execute();
    expect(entries.map((e) => e.id)).toEqual([0, 1, 3, 4].map((i) => records[i]?.id));
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    const report = await verifyAudit(handle.db);
    expect(report.ok, JSON.stringify(report.findings ?? report)).toBe(true);
  });

  // PostgreSQL ends one transaction of a deadlock (40P01), and under REPEATABLE READ or SERIALIZABLE
  // (an operator's default_transaction_isolation) one that a concurrent commit would make
  // unserialisable (40001); either is rolled back whole, and its own documentation says to try it again.
  // A group commit that spends two approvals of an agent, in the order of their calls, can so meet a
  // suspension of that agent revoking them in the order its UPDATE reads them: this is that, on rows
  // of its own, the other transaction made to wait first.
  describe.skipIf(engine !== 'postgres')('a batch PostgreSQL ends as a conflict', () => {
    const control = (agent: string) => ({ agent, status: 'suspended' as const, reason: 'r', actor: 'a', at: 'now' });
    const touch = (db: typeof handle.db, agent: string, by: string) =>
      db.updateTable('agent_controls').set({ reason: by }).where('agent', '=', agent).execute();
    const entriesOf = async (chain: string) =>
      (await handle.db.selectFrom('audit_entries').select('id').where('chain_id', '=', chain).orderBy('seq').execute()).map(
        (e) => e.id,
      );

    it('is tried again after a deadlock, its items as they were and from the head before the try', async () => {
      await handle.db
        .insertInto('agent_controls')
        .values([control('dl-a'), control('dl-b')])
        .execute();
      const holding = gate();
      let other: Promise<void> | undefined;
      const seen: boolean[] = [];
      let tries = 0;
      const retries: string[] = [];
      const writer = await AuditWriter.start<AuditRecord>(handle.db, {
        record: (r) => r,
        onRetry: (reason) => retries.push(reason),
        beforeWrite: async (trx, items) => {
          if (items.length === 1) return; // the first batch, committed before
          tries++;
          for (const item of items) {
            seen.push((item as { touched?: boolean }).touched === true);
            Object.assign(item, { touched: true });
          }
          // This try closes the cycle, and looks for one 50 ms after it starts to wait: PostgreSQL looks
          // once per wait, and the other transaction, waiting already, looks only after 60 s.
          if (tries === 1) await sql`set local deadlock_timeout = '50ms'`.execute(trx);
          // The writer pauses before it tries again, so that the other transaction takes dl-a first; on a
          // loaded machine it might not have yet, and this try would meet it again (not what is tested
          // here), so the try waits for it to end.
          else await other;
          await touch(trx, 'dl-a', 'writer');
          if (tries === 1) await holding.stop();
          await touch(trx, 'dl-b', 'writer');
        },
      });
      const first = record(0);
      await writer.append(first);
      const records = [1, 2, 3].map(record);
      const settled = Promise.allSettled(records.map((r) => writer.append(r)));
      await holding.reached;
      other = handle.db.transaction().execute(async (trx) => {
        await sql`set local deadlock_timeout = '60s'`.execute(trx);
        await touch(trx, 'dl-b', 'other');
        await touch(trx, 'dl-a', 'other'); // waits for the group commit
      });
      await until(async () => {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where wait_event_type = 'Lock' and datname = current_database()`.execute(handle.db);
        return rows[0]?.n === 1;
      }, 'the other transaction holding dl-b and waiting for dl-a');
      holding.release();
      await other;
      const outcomes = await settled;
      await writer.close();
      expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : o.status))).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
      ]);
      expect(tries).toBe(2);
      expect(retries).toEqual(['conflict']);
      expect(seen).toEqual([false, false, false, false, false, false]);
      expect(await entriesOf(writer.chainId)).toEqual([first, ...records].map((r) => r.id));
      const rows = await handle.db.selectFrom('agent_controls').select('reason').where('agent', 'in', ['dl-a', 'dl-b']).execute();
      expect(rows.map((r) => r.reason)).toEqual(['writer', 'writer']);
      const report = await verifyAudit(handle.db);
      expect(report.ok, JSON.stringify(report.findings ?? report)).toBe(true);
    });

    it('is tried again after a serialization failure', async () => {
      await handle.db.insertInto('agent_controls').values(control('sf-a')).execute();
      const holding = gate();
      let tries = 0;
      const writer = await AuditWriter.start<AuditRecord>(handle.db, {
        record: (r) => r,
        beforeWrite: async (trx) => {
          tries++;
          if (tries === 1) {
            // As under default_transaction_isolation = 'repeatable read': the row is read, another
            // transaction commits a change to it, and this one's update of it cannot be serialised.
            await sql`set transaction isolation level repeatable read`.execute(trx);
            await trx.selectFrom('agent_controls').select('reason').where('agent', '=', 'sf-a').execute();
            await holding.stop();
          }
          await touch(trx, 'sf-a', 'writer');
        },
      });
      const appended = writer.append(record(1));
      await holding.reached;
      await touch(handle.db, 'sf-a', 'other');
      holding.release();
      await appended;
      await writer.close();
      expect(tries).toBe(2);
      expect(await entriesOf(writer.chainId)).toHaveLength(1);
    });

    it('fails after the last try is ended as a conflict too, writing nothing', async () => {
      let tries = 0;
      const retries: string[] = [];
      const writer = await AuditWriter.start<AuditRecord>(handle.db, {
        record: (r) => r,
        onRetry: (reason) => retries.push(reason),
        beforeWrite: async (trx) => {
          tries++;
          await sql`do $$ begin raise exception 'conflict' using errcode = 'serialization_failure'; end $$`.execute(trx);
        },
      });
      await expect(writer.append(record(1))).rejects.toMatchObject({ code: '40001' });
      await writer.close();
      expect(tries).toBe(3);
      expect(retries).toEqual(['conflict', 'conflict']); // the third, failed, is not tried again
      expect(await entriesOf(writer.chainId)).toEqual([]);
    });
  });
});
