// A SQLite commit made while other requests are in flight has its fsync off the event loop
// (src/db/adapter.ts, DeferredSync): nobody hears of it before the WAL is synced, the connection
// never stays at synchronous=NORMAL, and one call at a time keeps the whole commit on the loop.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import type http from 'node:http';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../src/config.js';
import { type DatabaseHandle, deferredSyncOf } from '../../src/db/adapter.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { AuditWriter } from '../../src/guard/audit.js';
import { trackRequest } from '../../src/http/quiet.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startMini } from '../support/server.js';
import { holdSyncs, stateOf } from '../support/syncs.js';

const synchronous = async (h: DatabaseHandle) =>
  (await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(h.db)).rows[0]?.synchronous;

describe('DeferredSync (SQLite)', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  afterEach(async () => {
    vi.restoreAllMocks();
    await handle?.destroy();
    await database?.drop();
  });

  async function open() {
    database = await createTestDatabase('sqlite');
    handle = database.open();
    await migrateToLatest(handle);
    return deferredSyncOf(handle.db) as NonNullable<ReturnType<typeof deferredSyncOf>>;
  }

  it('commits at NORMAL, is back at FULL at once, and is durable once the WAL is synced', async () => {
    const deferred = await open();
    expect(await synchronous(handle)).toBe(2);
    const { held } = holdSyncs();
    const { value, durable } = await deferred.run(async (db) => {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('registry_changes').values(change(1)).execute();
      });
      return (await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db)).rows[0]?.synchronous;
    });
    expect(value).toBe(1);
    expect(await synchronous(handle)).toBe(2);
    expect(await stateOf(durable)).toBe('pending');
    // The descriptor synced is the WAL's.
    expect(held).toHaveLength(1);
    expect(fs.fstatSync(held[0]?.fd as number).ino).toBe(fs.statSync(`${database.dir}/fulcrum.db-wal`).ino);
    held[0]?.release();
    await durable;
  });

  it('holds the connection: a statement sent meanwhile runs after it, at FULL', async () => {
    const deferred = await open();
    let go!: () => void;
    const gate = new Promise<void>((r) => (go = r));
    const running = deferred.run(async () => gate);
    const meanwhile = synchronous(handle);
    expect(await stateOf(meanwhile)).toBe('pending');
    go();
    await (await running).durable;
    expect(await meanwhile).toBe(2);
  });

  it('goes back to FULL after a failure, a transaction left open included', async () => {
    const deferred = await open();
    await expect(
      deferred.run(async (db) => {
        await sql`BEGIN`.execute(db);
        await sql`INSERT INTO registry_changes (revision, kind, name, action, actor, at) VALUES (1, 'Agent', 'a', 'created', 'x', 'now')`.execute(
          db,
        );
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await synchronous(handle)).toBe(2);
    // The open transaction was undone, not committed by a later statement.
    const rows = await handle.db.selectFrom('registry_changes').selectAll().execute();
    expect(rows).toHaveLength(0);
  });

  it("rejects `durable` with the sync's error", async () => {
    const deferred = await open();
    const { held } = holdSyncs();
    const { durable } = await deferred.run(async (db) => {
      await db.insertInto('registry_changes').values(change(1)).execute();
    });
    held[0]?.release(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await expect(durable).rejects.toThrow(/could not be synced to disk \(EIO: i\/o error, fdatasync\)/);
    // Linux may report the next fsync a success over pages the failed one lost: nothing more is
    // committed this way, and the rows stay as they were.
    await expect(deferred.run(async (db) => db.insertInto('registry_changes').values(change(2)).execute())).rejects.toThrow(
      /refuses decisions and every other write until it is restarted/,
    );
    expect(await handle.db.selectFrom('registry_changes').select('revision').execute()).toEqual([{ revision: 1 }]);
    expect(held).toHaveLength(1);
  });

  it('runs one sync at a time: commits made meanwhile wait for the next, which covers them all', async () => {
    const deferred = await open();
    const { held } = holdSyncs();
    // `{ durable }`, not the promise itself: an async function returning it would wait for it.
    const commit = async (n: number) => ({
      durable: (await deferred.run(async (db) => db.insertInto('registry_changes').values(change(n)).execute())).durable,
    });
    const { durable: first } = await commit(1);
    const { durable: second } = await commit(2);
    const { durable: third } = await commit(3);
    expect(held).toHaveLength(1);
    held[0]?.release();
    await first;
    // The second and third were committed after the first sync began: one more sync, for both.
    await vi.waitFor(() => expect(held).toHaveLength(2));
    expect(await stateOf(second)).toBe('pending');
    held[1]?.release();
    await Promise.all([second, third]);
    expect(held).toHaveLength(2);
  });

  it("the audit writer answers a batch only once its sync is done, and fails it with the sync's error", async () => {
    const deferred = await open();
    const writer = await AuditWriter.start<{ n: number }>(handle.db, {
      record: ({ n }) => ({
        id: `act_${n}`,
        kind: 'agent.suspended',
        at: new Date().toISOString(),
        actor: 'test',
        agent: null,
        action: 'agent.suspend',
        target: `t${n}`,
        decision: null,
        reasons: [],
        monitor: [],
        policyVersion: 0,
        argumentsHash: null,
        arguments: null,
        dataDomains: [],
        taskId: null,
        approvalId: null,
        detail: {},
      }),
      deferSync: () => deferred,
    });
    const { held } = holdSyncs();
    const first = writer.append({ n: 1 });
    await vi.waitFor(() => expect(held).toHaveLength(1));
    // Committed (this connection reads it), not answered.
    expect(await handle.db.selectFrom('audit_entries').select('target').where('target', '=', 't1').execute()).toHaveLength(1);
    expect(await stateOf(first)).toBe('pending');
    held[0]?.release();
    await first;
    const second = writer.append({ n: 2 });
    await vi.waitFor(() => expect(held).toHaveLength(2));
    held[1]?.release(new Error('EIO: i/o error, fdatasync'));
    await expect(second).rejects.toThrow('EIO');
    // Found by review: after a failed sync, a later batch answered "durable" could sit behind WAL
    // frames that never reached the disk. The writer takes nothing more: refused at once, unwritten.
    await expect(writer.append({ n: 3 })).rejects.toThrow(/refuses decisions and every other write until it is restarted/);
    expect(held).toHaveLength(2);
    expect(await handle.db.selectFrom('audit_entries').select('target').where('target', '=', 't3').execute()).toEqual([]);
    await writer.close();
  });
});

function change(revision: number) {
  return { revision, kind: 'Agent', name: 'a', action: 'created' as const, actor: 'x', at: new Date().toISOString() };
}

describe('decisions on a SQLite node (real HTTP: each request counts while in flight)', () => {
  afterEach(() => vi.restoreAllMocks());

  /** The mini enterprise on a listening node; `decide` sends one decision over a real socket. */
  async function node(overrides: Partial<Config> = {}) {
    const { t, key } = await startMini('sqlite', overrides);
    const url = await t.server.listen({ port: 0, host: '127.0.0.1' });
    const decide = async () => {
      const res = await fetch(`${url}/v1/decisions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c-1' } }),
      });
      return { status: res.status, body: (await res.json()) as { decision: string } };
    };
    return { t, decide };
  }

  it('one call at a time: the commit and its fsync stay on the event loop (no sync after it)', async () => {
    const { t, decide } = await node();
    try {
      const { spy } = holdSyncs();
      expect(await decide()).toMatchObject({ status: 200, body: { decision: 'allow' } });
      expect(spy).not.toHaveBeenCalled();
    } finally {
      await t.close();
    }
  });

  it('with another request in flight: the decision is answered only after its WAL sync', async () => {
    const { t, decide } = await node();
    const other = new EventEmitter() as unknown as http.ServerResponse;
    try {
      const { held } = holdSyncs();
      trackRequest(other); // a request still in flight: the loop has other work than this decision
      const answer = decide();
      await vi.waitFor(() => expect(held.length).toBeGreaterThan(0));
      expect(await stateOf(answer)).toBe('pending');
      for (const h of held) h.release();
      expect(await answer).toMatchObject({ status: 200, body: { decision: 'allow' } });
    } finally {
      (other as unknown as EventEmitter).emit('close');
      await t.close();
    }
  });

  it("a background writer's failed sync refuses every later decision, on a quiet node too", async () => {
    const { t, decide } = await node();
    try {
      const { held } = holdSyncs();
      // A batch of spans or settlements (src/db/adapter.ts, backgroundCommit): committed, its sync fails.
      const spans = t.app.backgroundCommit((c) => c.insertInto('settings').values({ key: 'bg', value: '1' }).execute());
      await vi.waitFor(() => expect(held).toHaveLength(1));
      held[0]?.release(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
      await expect(spans).rejects.toThrow(/could not be synced to disk/);
      // Found by review: the WAL is suspect from here on, yet with no other request in flight the
      // decision committed at FULL on the loop and was answered as durable.
      const after = await decide();
      expect(after.status).toBe(503);
      expect(held).toHaveLength(1);
      // Nor does any other writer answer a write as durable: a registry write is refused, nothing written;
      // reads go on.
      const put = await t.request({ method: 'PUT', url: '/v1/people/eio', payload: { spec: { displayName: 'E' } } });
      expect(put.statusCode, put.body).toBe(503);
      expect(put.json().error.message).toMatch(/^the database takes no writes on this node: after a failed sync to disk/);
      expect((await t.request({ method: 'GET', url: '/v1/people/eio' })).statusCode).toBe(404);
      await expect(t.app.database.db.insertInto('settings').values({ key: 'raw', value: '1' }).execute()).rejects.toMatchObject({
        code: 'SQLITE_READONLY',
      });
    } finally {
      await t.close();
    }
  });

  it('signs no audit checkpoint after a failed sync: the head it would sign may not survive a power loss', async () => {
    const { t, decide } = await node();
    try {
      expect((await decide()).status).toBe(200); // the chain moved since the last checkpoint
      const signed = () => t.app.database.db.selectFrom('audit_signed_checkpoints').selectAll().execute();
      const before = await signed();
      const { held } = holdSyncs();
      const spans = t.app.backgroundCommit((c) => c.insertInto('settings').values({ key: 'bg', value: '1' }).execute());
      await vi.waitFor(() => expect(held).toHaveLength(1));
      held[0]?.release(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
      await expect(spans).rejects.toThrow(/could not be synced to disk/);
      // Found by review: it read the committed head (frames that may never reach the disk) and signed it:
      // after a restart SQLite recovers to the hole, and the signed head is past the chain's.
      await expect(t.app.checkpoints.checkpointNow()).rejects.toThrow(/could not be synced to disk/);
      expect(await signed()).toEqual(before);
    } finally {
      await t.close();
    }
  });

  it('FULCRUM_SQLITE_SYNC_OFF_LOOP=0 keeps every commit on the loop', async () => {
    const { t, decide } = await node({ sqliteSyncOffLoop: false });
    const other = new EventEmitter() as unknown as http.ServerResponse;
    try {
      const { spy } = holdSyncs();
      trackRequest(other);
      expect(await decide()).toMatchObject({ status: 200, body: { decision: 'allow' } });
      expect(spy).not.toHaveBeenCalled();
    } finally {
      (other as unknown as EventEmitter).emit('close');
      await t.close();
    }
  });
});
