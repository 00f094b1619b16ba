// Reservations expire by the database's clock, not the clock of whichever node sweeps: a node whose
// clock ran 5 minutes ahead released the calls another node still held (their worst case gone from
// the limit while they ran, so a limit could be overshot), and a node whose clock ran behind held
// its calls for less than it meant to. Both engines (on SQLite the skew is set on the nodes' clocks).
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/adapter.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { limitHours, limitUsage, reserveBatch, settleBatch } from '../../src/llm/ledger.js';
import { type ApplicableLimit, periodOf } from '../../src/llm/limits.js';
import { createReservations, type Reservations } from '../../src/llm/reservations.js';
import { ENGINES, perTestDatabases, type TestDatabase } from '../support/databases.js';
import { adminPool } from '../support/postgres.js';
import { until } from '../support/wait.js';

const MINUTE = 60_000;

/** A node's reservations on `handle`, its clock `skew()` off this host's, swept by the test, not the timer. */
function reservationsOn(handle: DatabaseHandle, skew: () => number, errors: string[]): Reservations {
  return createReservations(handle.db, {
    waitMs: 0,
    sweepMs: 3_600_000,
    settleDelayMs: 1,
    clock: () => Date.now() + skew(),
    onError: (what, err) => errors.push(`${what}: ${(err as Error).message}`),
  });
}

describe.each(ENGINES)('reservation expiry across nodes whose clocks differ, on %s', (engine) => {
  const dbs = perTestDatabases();
  let db: TestDatabase | undefined;
  const nodes: Reservations[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close();
  });

  /** A node on the shared database whose clock is `skewMs` off (or as `skew()` says when it is read). */
  function node(skewMs: number | (() => number), errors: string[]) {
    const handle = dbs.open(db as TestDatabase);
    const r = reservationsOn(handle, () => (typeof skewMs === 'number' ? skewMs : skewMs()), errors);
    nodes.push(r);
    return { r, db: handle.db };
  }

  it('a node whose clock is ahead does not release what a node whose clock is behind still holds', async () => {
    db = await dbs.create(engine);
    const first = dbs.open(db);
    await migrateToLatest(first);
    const errors: string[] = [];
    const behind = node(-5 * MINUTE, errors);
    const ahead = node(5 * MINUTE, errors);
    await behind.r.clockRead();
    await ahead.r.clockRead();
    const today = new Date().toISOString().slice(0, 10);
    const limit: ApplicableLimit = {
      name: 'team',
      spec: { scope: { agent: 'bot' }, period: 'day', amountUsd: 10, enforce: 'block' } as ApplicableLimit['spec'],
      periodStart: today,
      amountMicro: 10_000_000,
    };
    const call = (id: string, holdMs: number) => ({
      id,
      agent: 'bot',
      limits: [limit],
      costMicro: 1_000_000,
      tokens: 100,
      expiresAt: behind.r.expiresIn(holdMs),
    });
    // A call held for 2 minutes (its timeout and the grace), and one whose hold has already run out.
    expect(await behind.r.reserve(call('running', 2 * MINUTE))).toMatchObject({ ok: true });
    expect(await behind.r.reserve(call('lapsed', -1000))).toMatchObject({ ok: true });
    expect((await limitUsage(first.db, 'team', today)).reserved).toBe(2_000_000);

    // The sweep on the node whose clock is ahead (by 10 minutes of the other's) releases the lapsed call only.
    expect(await ahead.r.sweep()).toBe(1);
    expect((await limitUsage(first.db, 'team', today)).reserved).toBe(1_000_000);
    const left = await first.db.selectFrom('llm_reservations').select('id').execute();
    expect(left).toEqual([{ id: 'running' }]);
    expect(errors).toEqual([]);
  });

  it("a step of the node's clock after it read the database's (NTP, a VM resumed) moves none of its expiries", async () => {
    db = await dbs.create(engine);
    const first = dbs.open(db);
    await migrateToLatest(first);
    const errors: string[] = [];
    let skew = 5 * MINUTE;
    const stepped = node(() => skew, errors);
    await stepped.r.clockRead();
    skew = 0; // stepped back by NTP
    const before = Date.now();
    const expiry = stepped.r.expiresIn(2 * MINUTE).getTime() - before;
    expect(expiry).toBeGreaterThan(2 * MINUTE - 5_000);
    expect(expiry).toBeLessThan(2 * MINUTE + 5_000);
    expect(errors).toEqual([]);
  });
});

describe.runIf(process.env.FULCRUM_TEST_DATABASE_URL)('a first read of the database clock that fails (postgres)', () => {
  const dbs = perTestDatabases();
  const nodes: Reservations[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close();
  });

  it("is tried again until it succeeds: admissions never go by the node's own clock", async () => {
    const db = await dbs.create('postgres');
    const name = new URL(db.url as string).pathname.slice(1);
    const admin = adminPool(process.env.FULCRUM_TEST_DATABASE_URL as string);
    try {
      const errors: string[] = [];
      // The database refuses new connections for a moment (a failover) while a node 5 minutes slow starts.
      await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
      const handle = dbs.open(db);
      const behind = reservationsOn(handle, () => -5 * MINUTE, errors);
      nodes.push(behind);
      await until(async () => errors.length > 0, 'the first read to fail');
      expect(behind.clockRead()).toBeInstanceOf(Promise); // still waiting
      await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
      await behind.clockRead();
      expect(errors[0]).toMatch(/reading the database's clock/);
      const expiry = behind.expiresIn(2 * MINUTE).getTime() - Date.now();
      expect(expiry).toBeGreaterThan(2 * MINUTE - 5_000);
    } finally {
      await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
      await admin.end();
    }
  });
});

describe.each(ENGINES)('a call that settles after its period ended, on %s', (engine) => {
  const dbs = perTestDatabases();

  it('is in the burn-down of the period whose spend counts it', async () => {
    const h = dbs.open(await dbs.create(engine));
    await migrateToLatest(h);
    const admitted = new Date('2026-12-04T23:59:50Z');
    const settled = new Date('2026-12-05T00:00:10Z');
    const spec = { scope: { agent: 'bot' }, period: 'day', amountUsd: 10, enforce: 'block' } as ApplicableLimit['spec'];
    const limit: ApplicableLimit = { name: 'team', spec, periodStart: periodOf('day', admitted).start, amountMicro: 10_000_000 };
    const call = { id: 'c1', agent: 'bot', limits: [limit], costMicro: 2_000_000, tokens: 10 };
    expect(await reserveBatch(h.db, [{ ...call, now: admitted, expiresAt: new Date(admitted.getTime() + 120_000) }])).toEqual([
      expect.objectContaining({ ok: true }),
    ]);
    await settleBatch(h.db, [{ ...call, costMicro: 1_500_000, minute: null, tokenDelta: 0, at: settled }]);
    // What GET /v1/spend-limits/team/status reads for each day: the period's spend, and its burn-down by hour.
    const totals = [];
    for (const day of [admitted, settled]) {
      const p = periodOf('day', day);
      const spent = (await limitUsage(h.db, 'team', p.start)).spent;
      const burnDown = (await limitHours(h.db, 'team', p.from.slice(0, 13), p.to.slice(0, 13))).reduce((a, x) => a + x.micro, 0);
      totals.push({ period: p.start, spent, burnDown });
    }
    expect(totals).toEqual([
      { period: '2026-12-04', spent: 1_500_000, burnDown: 1_500_000 },
      { period: '2026-12-05', spent: 0, burnDown: 0 },
    ]);
  });
});
