// Writers no request waits on (the LLM gateway's settlements and sweeps, the gateways' spans) commit
// through backgroundCommit (src/db/adapter.ts): on SQLite, with syncs off the loop, at NORMAL with the
// WAL then synced on the thread pool, so their fsync never holds the event loop (one call at a time,
// the next call waited for it). They resolve once durable, as before; off (FULCRUM_SQLITE_SYNC_OFF_LOOP=0),
// they commit at FULL on the loop as they did.
import fs from 'node:fs';
import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backgroundCommit, type DatabaseHandle } from '../../src/db/adapter.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { createSpanBuffer } from '../../src/evidence/span-buffer.js';
import { limitUsage } from '../../src/llm/ledger.js';
import type { ApplicableLimit } from '../../src/llm/limits.js';
import { createReservations } from '../../src/llm/reservations.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { gatewaySpan } from '../support/gateway-span.js';
import { holdSyncs, stateOf } from '../support/syncs.js';

const synchronous = async (db: Kysely<Database>) =>
  (await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db)).rows[0]?.synchronous;

describe('backgroundCommit (SQLite)', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const closing: Array<() => Promise<void>> = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const close of closing.splice(0)) await close();
    await handle?.destroy();
    await database?.drop();
  });

  async function open() {
    database = await createTestDatabase('sqlite');
    handle = database.open();
    await migrateToLatest(handle);
    return handle.db;
  }

  it('commits at NORMAL, is back at FULL at once, and resolves only once the WAL is synced off the loop', async () => {
    const db = await open();
    const { held } = holdSyncs();
    const committed = backgroundCommit(
      db,
      true,
    )(async (c) => {
      const level = await synchronous(c);
      await c.transaction().execute((trx) => trx.insertInto('settings').values({ key: 'bg', value: '1' }).execute());
      return level;
    });
    expect(await stateOf(committed)).toBe('pending');
    // Committed (other statements see it), the connection at FULL again, the WAL's sync on the thread pool.
    expect(await db.selectFrom('settings').select('value').where('key', '=', 'bg').executeTakeFirst()).toEqual({ value: '1' });
    expect(await synchronous(db)).toBe(2);
    expect(held).toHaveLength(1);
    expect(fs.fstatSync(held[0]?.fd as number).ino).toBe(fs.statSync(`${database.dir}/fulcrum.db-wal`).ino);
    held[0]?.release();
    expect(await committed).toBe(1);
  });

  it('off (FULCRUM_SQLITE_SYNC_OFF_LOOP=0): at FULL, with no sync of its own', async () => {
    const db = await open();
    const { held } = holdSyncs();
    const level = await backgroundCommit(db, false)((c) => synchronous(c));
    expect(level).toBe(2);
    expect(held).toHaveLength(0);
  });

  /** The LLM gateway's reservations and a span buffer on `db`, committing through backgroundCommit; one call admitted. */
  async function writers(db: Kysely<Database>) {
    const commit = backgroundCommit(db, true);
    const errors: unknown[] = [];
    const reservations = createReservations(db, {
      waitMs: 0,
      sweepMs: 3_600_000,
      settleDelayMs: 1,
      onError: (_what, err) => errors.push(err),
      commit,
    });
    closing.push(() => reservations.close());
    const spans = createSpanBuffer(db, {
      flushMs: 3_600_000,
      maxBatch: 100,
      inference: true,
      maxHeld: 100,
      onDrop: () => errors.push('dropped'),
      onError: (err) => errors.push(err),
      commit,
    });
    await reservations.clockRead();
    const today = new Date().toISOString().slice(0, 10);
    const limit = {
      name: 'team',
      spec: { scope: { agent: 'bot' }, period: 'day', amountUsd: 10, enforce: 'block' },
      periodStart: today,
      amountMicro: 10_000_000,
    } as ApplicableLimit;
    const call = { id: 'call-1', agent: 'bot', limits: [limit], costMicro: 1_000_000, tokens: 100 };
    // Admitted on its own (the gateway's admissions are in the decision's commit, durable before forwarding).
    expect(await reservations.reserve({ ...call, expiresAt: reservations.expiresIn(60_000) })).toMatchObject({ ok: true });
    const settlement = (costMicro: number) => ({ ...call, costMicro, minute: null, tokenDelta: 0, at: reservations.now() });
    return { reservations, spans, errors, today, settlement };
  }

  it("carries the LLM gateway's settlements and the gateways' spans", async () => {
    const db = await open();
    const { reservations, spans, errors, today, settlement } = await writers(db);
    const { held } = holdSyncs();
    const settled = reservations.settle(settlement(250_000));
    spans.add(gatewaySpan('bot'));
    const flushed = spans.flush();
    await vi.waitUntil(() => held.length > 0);
    expect(await stateOf(settled)).toBe('pending');
    // Both committed and visible while their sync runs: the settlement's spend, the span.
    expect(await limitUsage(db, 'team', today)).toMatchObject({ spent: 250_000, reserved: 0 });
    await vi.waitUntil(async () => (await db.selectFrom('spans').select('agent').execute()).length === 1);
    expect(await stateOf(flushed)).toBe('pending');
    expect(await synchronous(db)).toBe(2);
    // Released, each resolves (one sync at a time: a commit made during one is covered by the next).
    while ((await stateOf(Promise.all([settled, flushed]))) === 'pending') {
      for (const h of held.splice(0)) h.release();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all([settled, flushed]);
    expect(errors).toEqual([]);
  });

  it('a failed sync: what committed is reported stored, not lost, and not written again; nothing more is written', async () => {
    const db = await open();
    const { reservations, spans, errors, today, settlement } = await writers(db);
    const { held } = holdSyncs();
    spans.add(gatewaySpan('bot'));
    spans.add(gatewaySpan('bot'));
    const flushed = spans.flush();
    await vi.waitUntil(() => held.length > 0);
    held[0]?.release(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await flushed;
    // Stored, and said so once: before, each span was written again on its own and all were reported lost.
    expect(await db.selectFrom('spans').select('agent').execute()).toHaveLength(2);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/a batch of 2 spans is stored but may not survive a power loss/);
    expect(spans.failures()).toBe(0);
    // From here on the database takes no writes: a settlement is refused (kept, to be tried again).
    void reservations.settle(settlement(250_000));
    await vi.waitUntil(() => errors.length > 1);
    expect(String(errors[1])).toMatch(/could not be synced to disk/);
    expect(await limitUsage(db, 'team', today)).toMatchObject({ spent: 0, reserved: 1_000_000 });
    // Closing (afterEach) cuts its pause before the next try short (a minute at most, growing): it does not wait it out.
  });
});
