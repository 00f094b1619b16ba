// A group commit whose check needs slow work done first (the guard reloading a large registry that
// moved, which waits on the Cedar worker) gives its transaction up, does that work holding no
// database connection, and tries again: on SQLite's single connection, a transaction held open
// across that wait stopped every other request of the node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/adapter.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { type AuditRecord, AuditWriter, RetryBatch } from '../../src/guard/audit.js';
import { verifyAudit } from '../../src/guard/audit-verify.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';

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
    const writer = await AuditWriter.start<AuditRecord>(handle.db, {
      record: (r) => r,
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
});
