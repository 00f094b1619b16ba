// Retired audit chains (docs/audit.md, "Retired chains"): every process start opens a chain, and a
// checkpoint listed every chain ever started, so each one (rewritten every minute, the newest 100
// kept) grew with every restart for good. A chain that holds nothing (never written to, or purged
// whole) now leaves the checkpoints once it is a day old, without weakening what a witness's older
// checkpoint proves. Both engines.
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { type AuditRecord, AuditWriter, entryHash, toRow } from '../../src/guard/audit.js';
import { createCheckpointer, latestCheckpoint, type SignedCheckpoint, startMessage } from '../../src/guard/audit-checkpoint.js';
import { type AuditSigner, loadOrCreateAuditKey } from '../../src/guard/audit-key.js';
import { verifyAudit } from '../../src/guard/audit-verify.js';
import { decisionRecord } from '../support/audit.js';
import { ENGINES, perTestDatabases, type TestDatabase } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { gate, pauseQuery } from '../support/pause.js';
import { startCluster, type TestCluster } from '../support/server.js';

type Db = Kysely<Database>;

const record = decisionRecord;

async function append(w: AuditWriter<AuditRecord>, from: number, n: number, at?: string) {
  await Promise.all(Array.from({ length: n }, (_, i) => w.append(record(from + i, at))));
}

/** A purge as retention does it: entries up to `seq` go, the start is recorded and signed. */
async function purge(db: Db, key: AuditSigner, chain: string, seq: number) {
  const row = await db
    .selectFrom('audit_entries')
    .select('hash')
    .where('chain_id', '=', chain)
    .where('seq', '=', seq)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('audit_checkpoints')
    .values({
      chain_id: chain,
      seq,
      hash: row.hash,
      at: new Date().toISOString(),
      signature: key.sign(startMessage(chain, seq, row.hash)),
      legacy: 0,
    })
    .execute();
  await db.deleteFrom('audit_entries').where('chain_id', '=', chain).where('seq', '<=', seq).execute();
}

const listed = async (db: Db, key: AuditSigner) => (await latestCheckpoint(db, key))?.body.chains.map((c) => c.id) ?? [];
const rowsOf = async (db: Db) => (await db.selectFrom('audit_chains').select('id').execute()).map((r) => r.id).sort();

describe.each(ENGINES)('retired audit chains on %s', (engine) => {
  const dbs = perTestDatabases();
  let db: TestDatabase | undefined;

  async function open() {
    db = await dbs.create(engine);
    const handle = dbs.open(db);
    await migrateToLatest(handle);
    const key = loadOrCreateAuditKey(path.join(db.dir, 'audit-signing-key.pem'));
    const problems: string[] = [];
    const checkpointer = (signer = key, opts: { retireAfterMs?: number; rotateKey?: boolean; on?: Db } = {}) =>
      createCheckpointer({
        db: opts.on ?? handle.db,
        signer,
        node: 't',
        retireAfterMs: opts.retireAfterMs ?? 0,
        rotateKey: opts.rotateKey ?? false,
        onProblem: (m) => problems.push(m),
      });
    return { handle, key, problems, checkpointer };
  }

  it('checkpoints list the chains that hold something, not every process that ever started', async () => {
    const { handle, key, problems, checkpointer } = await open();
    // Twenty restarts of a node that wrote nothing, a dead node's chain purged whole, and a live chain.
    const restarts: string[] = [];
    for (let i = 0; i < 20; i++) {
      const w = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
      restarts.push(w.chainId);
      await w.close();
    }
    const dead = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
    await append(dead, 1, 5, '2020-01-01T00:00:00.000Z');
    await dead.close();
    const live = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
    await append(live, 1, 3);
    const cp = checkpointer();
    await cp.checkpointNow();
    expect(await listed(handle.db, key)).toHaveLength(22);
    const witness = (await latestCheckpoint(handle.db, key))?.checkpoint as SignedCheckpoint;
    await purge(handle.db, key, dead.chainId, 5);
    await cp.checkpointNow(); // retires the twenty, and signs the dead chain holding nothing
    const signed = (await latestCheckpoint(handle.db, key))?.body.chains.map((c) => [c.id, c.entries, c.head.seq]);
    expect(signed?.sort()).toEqual(
      [
        [dead.chainId, 0, 5],
        [live.chainId, 3, 3],
      ].sort(),
    );
    expect(cp.stats.retired).toBe(20);
    await append(live, 4, 1);
    await cp.checkpointNow();
    expect(await listed(handle.db, key)).toEqual([live.chainId]);
    expect(await rowsOf(handle.db)).toEqual([live.chainId]);
    expect(cp.stats.retired).toBe(21);
    expect(problems).toEqual([]);
    // The witness's checkpoint, which listed all 22, still holds: the purged chain ends where its signed start says.
    const report = await verifyAudit(handle.db, { verifier: key, checkpoint: witness });
    expect(report, JSON.stringify(report.findings)).toMatchObject({ ok: true, entries: 4, chains: 1, findings: [] });
    // Nothing moved: no new checkpoint, and nothing more retired.
    expect(await cp.checkpointNow()).toBeUndefined();
    await live.close();
  });

  it('keeps a chain listed until it is a day old (a node that just started and has not written yet)', async () => {
    const { handle, key, checkpointer } = await open();
    const w = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
    const cp = checkpointer(key, { retireAfterMs: 24 * 3600_000 });
    await cp.checkpointNow();
    await append(w, 1, 1);
    await cp.checkpointNow();
    await w.close();
    const idle = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
    await cp.checkpointNow();
    await cp.checkpointNow();
    expect((await listed(handle.db, key)).sort()).toEqual([w.chainId, idle.chainId].sort());
    expect(cp.stats.retired).toBe(0);
    await idle.close();
  });

  it('never retires a chain an earlier release opened (its writer would go on writing into it, in a rolling upgrade)', async () => {
    const { handle, key, checkpointer } = await open();
    const w = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
    // As the earlier release's writer inserts its row: without the column, which defaults to 0.
    await handle.db.updateTable('audit_chains').set({ retirable: 0 }).where('id', '=', w.chainId).execute();
    const cp = checkpointer();
    await cp.checkpointNow();
    await cp.checkpointNow();
    expect(cp.stats.retired).toBe(0);
    expect(await listed(handle.db, key)).toEqual([w.chainId]);
    await w.close();
  });

  it('a writer whose chain was retired goes on in a new chain, and nothing is lost', async () => {
    const { handle, key, checkpointer } = await open();
    const w = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
    const first = w.chainId;
    const cp = checkpointer();
    await cp.checkpointNow();
    await cp.checkpointNow();
    expect(await rowsOf(handle.db)).toEqual([]);
    await append(w, 1, 3);
    expect(w.chainId).not.toBe(first);
    const entries = await handle.db.selectFrom('audit_entries').select(['chain_id', 'seq']).orderBy('seq').execute();
    expect(entries).toEqual([1, 2, 3].map((seq) => ({ chain_id: w.chainId, seq })));
    await cp.checkpointNow();
    expect(await listed(handle.db, key)).toEqual([w.chainId]);
    expect(await verifyAudit(handle.db, { verifier: key })).toMatchObject({ ok: true, entries: 3, findings: [] });
    await w.close();
  });

  it('leaves a chain that moved while it was being retired', async () => {
    const { handle, key, checkpointer } = await open();
    const w = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
    const chain = w.chainId;
    await checkpointer().checkpointNow();
    // The retirement, on another connection (another node), holds after reading the chain (head 0,
    // idle): the writer appends meanwhile.
    const other = dbs.open(db as TestDatabase);
    const pause = pauseQuery({ row: (r) => r.id === chain && 'head_hash' in r });
    const retiring = checkpointer(key, { on: other.db.withPlugin(pause.plugin) }).checkpointNow();
    await pause.paused;
    await append(w, 1, 2);
    pause.release();
    await retiring;
    expect(w.chainId).toBe(chain);
    expect(await rowsOf(handle.db)).toEqual([chain]);
    expect(await listed(handle.db, key)).toEqual([chain]);
    expect(await verifyAudit(handle.db, { verifier: key })).toMatchObject({ ok: true, entries: 2, findings: [] });
    await w.close();
  });

  it('never takes a chain deleted with its row for a retired one', async () => {
    const { handle, key, problems, checkpointer } = await open();
    const w = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
    await append(w, 1, 4);
    await w.close();
    const cp = checkpointer();
    await cp.checkpointNow();
    const witness = (await latestCheckpoint(handle.db, key))?.checkpoint as SignedCheckpoint;
    // As a purge whole would leave it, but the start's signature is not this key's.
    const h = (await handle.db.selectFrom('audit_entries').select('hash').where('seq', '=', 4).executeTakeFirstOrThrow()).hash;
    const other = loadOrCreateAuditKey(path.join((db as TestDatabase).dir, 'other.pem'));
    await sql`INSERT INTO audit_checkpoints (chain_id, seq, hash, at, signature)
      VALUES (${w.chainId}, 4, ${h}, ${new Date().toISOString()}, ${other.sign(startMessage(w.chainId, 4, h))})`.execute(
      handle.db,
    );
    await sql`DELETE FROM audit_entries`.execute(handle.db);
    await sql`DELETE FROM audit_chains`.execute(handle.db);
    await cp.checkpointNow();
    await cp.checkpointNow();
    expect(cp.stats.retired).toBe(0);
    expect(await listed(handle.db, key)).toEqual([w.chainId]);
    expect(problems.join('\n')).toMatch(/retention start \(entry 4\) is not signed/);
    for (const report of [
      await verifyAudit(handle.db, { verifier: key }),
      await verifyAudit(handle.db, { verifier: key, checkpoint: witness }),
    ])
      expect(report.findings).toEqual([expect.objectContaining({ chainId: w.chainId, seq: 4, kind: 'start-forged' })]);
  });

  it('a chain retired before a key rotation still verifies with the new key', async () => {
    const { handle, key, problems, checkpointer } = await open();
    const dead = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
    await append(dead, 1, 3, '2020-01-01T00:00:00.000Z');
    await dead.close();
    const cp = checkpointer();
    await cp.checkpointNow();
    await purge(handle.db, key, dead.chainId, 3);
    await cp.checkpointNow();
    await cp.checkpointNow();
    expect(cp.stats.retired).toBe(1);
    const live = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
    await append(live, 1, 2);
    await live.close();
    await handle.db.deleteFrom('audit_signed_checkpoints').execute(); // pruned in time: only the new key's remain
    const next = loadOrCreateAuditKey(path.join((db as TestDatabase).dir, 'next.pem'));
    expect((await checkpointer(next, { rotateKey: true }).checkpointNow())?.keyId).toBe(next.keyId);
    expect(problems).toEqual([]);
    const report = await verifyAudit(handle.db, { verifier: next });
    expect(report, JSON.stringify(report.findings)).toMatchObject({ ok: true, entries: 2, findings: [] });
  });

  // On SQLite the server's one connection runs one transaction at a time: a retirement cannot land inside a batch's.
  it.runIf(engine === 'postgres')('a batch begun before its chain was retired goes to a new chain: nothing is lost', async () => {
    const { handle, key, checkpointer } = await open();
    const cp = checkpointer();
    const g = gate();
    let calls = 0;
    const w = await AuditWriter.start<AuditRecord>(handle.db, {
      record: (r) => r,
      beforeWrite: async () => {
        if (calls++ === 0) await g.stop(); // inside the batch's transaction, before its insert and head update
      },
    });
    const first = w.chainId;
    await cp.checkpointNow();
    const appending = append(w, 1, 2);
    await g.reached;
    await cp.checkpointNow(); // retires the chain (the batch holds no lock on its row yet)
    expect(cp.stats.retired).toBe(1);
    g.release();
    await appending;
    expect(w.chainId).not.toBe(first);
    expect(calls).toBe(2); // decided again, on the new chain
    await cp.checkpointNow();
    expect(await verifyAudit(handle.db, { verifier: key })).toMatchObject({ ok: true, entries: 2, findings: [] });
    expect(await handle.db.selectFrom('audit_entries').select('id').where('chain_id', '=', first).execute()).toEqual([]);
    await w.close();
  });

  it('a start this key did not sign (taken on first use) keeps its chain listed: entries deleted behind it stay named', async () => {
    const { handle, key, problems, checkpointer } = await open();
    const server = () => checkpointer(key, { retireAfterMs: 24 * 3600_000 });
    // Whole: chain X's 5 entries deleted behind an unsigned start marked legacy, the signed checkpoints
    // deleted so that the next one takes the start on first use. Prefix: chain Y's entries 1-5 likewise,
    // 6-10 put back once Y could have been retired.
    const x = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
    await append(x, 1, 5);
    await x.close();
    const y = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
    await append(y, 1, 10);
    await y.close();
    await server().checkpointNow();
    const witness = (await latestCheckpoint(handle.db, key))?.checkpoint as SignedCheckpoint;
    const hashAt = async (chain: string, seq: number) =>
      (
        await handle.db
          .selectFrom('audit_entries')
          .select('hash')
          .where('chain_id', '=', chain)
          .where('seq', '=', seq)
          .executeTakeFirstOrThrow()
      ).hash;
    const kept = await handle.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('chain_id', '=', y.chainId)
      .where('seq', '>', 5)
      .execute();
    for (const chain of [x.chainId, y.chainId]) {
      const h5 = await hashAt(chain, 5);
      await sql`INSERT INTO audit_checkpoints (chain_id, seq, hash, at, signature, legacy)
        VALUES (${chain}, 5, ${h5}, '2026-01-01T00:00:00.000Z', NULL, 1)`.execute(handle.db);
      await sql`DELETE FROM audit_entries WHERE chain_id = ${chain}`.execute(handle.db);
      await sql`UPDATE audit_chains SET head_seq = 5, head_hash = ${h5}, started_at = '2020-01-01T00:00:00.000Z'
        WHERE id = ${chain}`.execute(handle.db);
    }
    await sql`DELETE FROM audit_signed_checkpoints`.execute(handle.db);
    const cp = server();
    await cp.checkpointNow(); // takes the legacy starts: both chains at 5, holding nothing
    await cp.checkpointNow();
    await cp.checkpointNow();
    expect(cp.stats.retired).toBe(0);
    expect((await listed(handle.db, key)).sort()).toEqual([x.chainId, y.chainId].sort());
    await handle.db.insertInto('audit_entries').values(kept).execute();
    const report = await verifyAudit(handle.db, { verifier: key, checkpoint: witness });
    expect(report.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ chainId: x.chainId, seq: 5, kind: 'start-forged' }),
        expect.objectContaining({ chainId: y.chainId, seq: 5, kind: 'start-forged' }),
      ]),
    );
    expect(problems).toEqual([]);
  });

  it('names entries forged after a retired chain’s signed end, as before it was retired', async () => {
    const { handle, key, checkpointer } = await open();
    const cp = checkpointer();
    const dead = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
    await append(dead, 1, 5, '2020-01-01T00:00:00.000Z');
    await dead.close();
    await cp.checkpointNow();
    const witness = (await latestCheckpoint(handle.db, key))?.checkpoint as SignedCheckpoint;
    await purge(handle.db, key, dead.chainId, 5);
    const h5 = (await handle.db.selectFrom('audit_checkpoints').select('hash').executeTakeFirstOrThrow()).hash;
    // Entry 6 continuing the dead chain, its hash recomputed (the algorithm is public), written around the writer.
    const forge = async () => {
      const row = toRow(record(6), dead.chainId, 6, h5);
      await handle.db
        .insertInto('audit_entries')
        .values({ ...row, hash: entryHash(row) })
        .execute();
    };
    await forge();
    const named = [expect.objectContaining({ chainId: dead.chainId, seq: 6, kind: 'appended' })];
    expect((await verifyAudit(handle.db, { verifier: key, checkpoint: witness })).findings).toEqual(named);
    await handle.db.deleteFrom('audit_entries').where('chain_id', '=', dead.chainId).execute();
    await cp.checkpointNow(); // signs it holding nothing
    await cp.checkpointNow(); // retires it
    expect(cp.stats.retired).toBe(1);
    await forge();
    expect((await verifyAudit(handle.db, { verifier: key, checkpoint: witness })).findings).toEqual(named);
  });

  it('a rotation takes no start whose signature no key made, of a chain whose row is gone', async () => {
    const { handle, key, problems, checkpointer } = await open();
    const a = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
    await append(a, 1, 8);
    await a.close();
    await checkpointer().checkpointNow();
    expect(await verifyAudit(handle.db, { verifier: key })).toMatchObject({ ok: true, entries: 8 });
    // Between the operator's check with the old key and the rotation: entries 1-5 deleted behind a
    // start with junk for a signature, the chain's row and the old key's checkpoints deleted.
    const h5 = (await handle.db.selectFrom('audit_entries').select('hash').where('seq', '=', 5).executeTakeFirstOrThrow()).hash;
    await sql`INSERT INTO audit_checkpoints (chain_id, seq, hash, at, signature, legacy)
      VALUES (${a.chainId}, 5, ${h5}, ${new Date().toISOString()}, 'AAAA', 0)`.execute(handle.db);
    await sql`DELETE FROM audit_entries WHERE chain_id = ${a.chainId} AND seq <= 5`.execute(handle.db);
    await sql`DELETE FROM audit_chains WHERE id = ${a.chainId}`.execute(handle.db);
    await sql`DELETE FROM audit_signed_checkpoints`.execute(handle.db);
    const next = loadOrCreateAuditKey(path.join((db as TestDatabase).dir, 'next.pem'));
    await checkpointer(next, { rotateKey: true }).checkpointNow();
    expect(problems).toEqual([]);
    expect((await verifyAudit(handle.db, { verifier: next })).findings).toEqual([
      expect.objectContaining({ chainId: a.chainId, seq: 5, kind: 'start-forged' }),
    ]);
  });
});

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.each(ENGINES)('an approval spent by the first batch after its node’s chain was retired, on %s', (engine) => {
  let c: TestCluster | undefined;
  afterEach(async () => {
    await c?.close();
    c = undefined;
  });

  it('is used once only (the batch is decided again on the new chain, not taken as decided)', async () => {
    c = await startCluster(engine, [{}, {}]);
    const cl = c;
    expect((await cl.request(0, { method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(
      200,
    );
    await cl.request(0, {
      method: 'PUT',
      url: '/v1/people/alex.approver',
      payload: { spec: { displayName: 'Alex', roles: ['approver'] } },
    });
    const key = (await cl.request(0, { method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
    const approver = (await cl.request(0, { method: 'POST', url: '/v1/people/alex.approver/tokens' })).json().token;
    const refund = (node: number, extra: object = {}) =>
      cl.request(node, {
        method: 'POST',
        url: '/v1/decisions',
        token: key,
        payload: {
          action: 'tool.call',
          tool: 'crm.refund',
          arguments: { amount: 250, orderId: 'o-1' },
          dataDomains: ['customer-records'],
          ...extra,
        },
      });
    const { approvalId } = (await refund(0)).json();
    expect(
      (await cl.request(0, { method: 'POST', url: `/v1/approvals/${approvalId}/approve`, token: approver, payload: {} }))
        .statusCode,
    ).toBe(200);
    // Node 1 has written nothing for a day: its own checkpoints retire its chain.
    const node1 = cl.nodes[1]?.app;
    if (!node1) throw new Error('no node 1');
    const db1 = node1.database.db;
    const chain = node1.guard.chainId;
    await sql`UPDATE audit_chains SET started_at = '2020-01-01T00:00:00.000Z' WHERE id = ${chain}`.execute(db1);
    await node1.checkpoints.checkpointNow();
    await node1.checkpoints.checkpointNow();
    expect(node1.checkpoints.stats.retired).toBe(1);
    expect((await refund(1, { approvalId })).json()).toMatchObject({ decision: 'allow', approvalId });
    expect(node1.guard.chainId).not.toBe(chain);
    const row = await db1.selectFrom('approvals').select(['status']).where('id', '=', approvalId).executeTakeFirst();
    expect(row?.status).toBe('used');
    const again = await refund(1, { approvalId });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/already used/);
  });
});
