// Reservations expire by the database's clock, not the clock of whichever node sweeps: a node whose
// clock ran 5 minutes ahead released the calls another node still held (their worst case gone from
// the limit while they ran, so a limit could be overshot), and a node whose clock ran behind held
// its calls for less than it meant to. Both engines (on SQLite the skew is set on the nodes' clocks).
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/adapter.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { limitUsage } from '../../src/llm/ledger.js';
import type { ApplicableLimit } from '../../src/llm/limits.js';
import { createReservations, type Reservations } from '../../src/llm/reservations.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';

const MINUTE = 60_000;

describe.each(ENGINES)('reservation expiry across nodes whose clocks differ, on %s', (engine) => {
  let db: TestDatabase | undefined;
  const handles: DatabaseHandle[] = [];
  const nodes: Reservations[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close();
    for (const h of handles.splice(0)) await h.destroy();
    await db?.drop();
    db = undefined;
  });

  /** A node on the shared database whose clock is `skewMs` off. */
  function node(skewMs: number, errors: string[]) {
    const handle = (db as TestDatabase).open();
    handles.push(handle);
    const r = createReservations(handle.db, {
      waitMs: 0,
      sweepMs: 3_600_000, // swept by the test, not the timer
      settleDelayMs: 1,
      clock: () => Date.now() + skewMs,
      onError: (what, err) => errors.push(`${what}: ${(err as Error).message}`),
    });
    nodes.push(r);
    return { r, db: handle.db };
  }

  it('a node whose clock is ahead does not release what a node whose clock is behind still holds', async () => {
    db = await createTestDatabase(engine);
    const first = db.open();
    handles.push(first);
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
});
