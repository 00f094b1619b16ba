// Shadow sightings written by several nodes on one PostgreSQL: each node upserts the identities it saw
// in one transaction. Two nodes that saw the same identities in another order locked their rows in
// another order, and PostgreSQL ended one batch as a deadlock: every sighting of that node's second
// was lost (a failed batch is reported, not written again). Nodes share PostgreSQL only (SQLite is one
// process per data directory).
import { afterEach, describe, expect, it } from 'vitest';
import { createShadowStore, MAX_ROWS_PER_SOURCE } from '../../src/guard/shadow-store.js';
import { createTestDatabase, ENGINES } from '../support/databases.js';

describe.runIf(ENGINES.includes('postgres'))('shadow sightings from two nodes on postgres', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  /** Two nodes' connections to one new database, each with its shadow store (flushed by the test only). */
  async function twoNodes(onError: (err: unknown) => void) {
    const database = await createTestDatabase('postgres');
    const a = database.open();
    const b = database.open();
    cleanup.push(
      () => database.drop(),
      () => a.destroy(),
      () => b.destroy(),
    );
    const nodeA = createShadowStore(a.db, { flushMs: 60_000, onError });
    const nodeB = createShadowStore(b.db, { flushMs: 60_000, onError });
    cleanup.push(
      () => nodeA.close(),
      () => nodeB.close(),
    );
    return { a, nodeA, nodeB };
  }

  it('counts every sighting when both nodes saw the same identities in opposite orders', async () => {
    const reported: unknown[] = [];
    const { a, nodeA, nodeB } = await twoNodes((err) => reported.push(err));
    const names = Array.from({ length: 300 }, (_, i) => `telemetry:ghost-${String(i).padStart(3, '0')}`);
    // Rows exist first, so both batches only update (and lock) rows the other also updates.
    for (const n of names) nodeA.record(n, 'telemetry', 'seen');
    await nodeA.flush();
    for (const n of names) nodeA.record(n, 'telemetry', 'seen');
    for (const n of [...names].reverse()) nodeB.record(n, 'telemetry', 'seen');
    await Promise.allSettled([nodeA.flush(), nodeB.flush()]);
    expect(reported.map(String)).toEqual([]);
    const rows = await a.db.selectFrom('shadow_agents').select(['identity', 'count']).execute();
    expect(rows).toHaveLength(names.length);
    expect(rows.filter((r) => Number(r.count) !== 3)).toEqual([]);
  });

  it('keeps a source at its row cap when two nodes write new identities at once', async () => {
    const { a, nodeA, nodeB } = await twoNodes((err) => expect.fail(String(err)));
    // Each node saw 900 identities the other did not: together past the cap, each alone under it.
    const seen = 900;
    for (let i = 0; i < seen; i++) {
      nodeA.record(`telemetry:a-${i}`, 'telemetry', 'seen on a');
      nodeB.record(`telemetry:b-${i}`, 'telemetry', 'seen on b');
    }
    await Promise.all([nodeA.flush(), nodeB.flush()]);
    const rows = await a.db.selectFrom('shadow_agents').select(['identity', 'count']).where('source', '=', 'telemetry').execute();
    expect(rows).toHaveLength(MAX_ROWS_PER_SOURCE);
    // Nothing lost: the identities past the cap are counted in the source's "other" row.
    expect(rows.reduce((n, r) => n + Number(r.count), 0)).toBe(2 * seen);
    const other = rows.find((r) => r.identity === 'telemetry:other');
    expect(Number(other?.count)).toBe(2 * seen - (MAX_ROWS_PER_SOURCE - 1));
  });

  it('keeps the first and last sightings of either node, whichever node writes last', async () => {
    const { nodeA, nodeB } = await twoNodes((err) => expect.fail(String(err)));
    // Node A saw the identity from 10:00:05 to 10:00:09 and writes first; node B saw it from 10:00:01
    // to 10:00:03 (or its clock runs behind) and writes its batch after.
    nodeA.record('telemetry:ghost', 'telemetry', 'seen on a', '2026-12-07T10:00:05.000Z');
    nodeA.record('telemetry:ghost', 'telemetry', 'seen on a', '2026-12-07T10:00:09.000Z');
    nodeB.record('telemetry:ghost', 'telemetry', 'seen on b', '2026-12-07T10:00:01.000Z');
    nodeB.record('telemetry:ghost', 'telemetry', 'seen on b', '2026-12-07T10:00:03.000Z');
    await nodeA.flush();
    await nodeB.flush();
    const { items } = await nodeA.list({ limit: 10 });
    expect(items).toEqual([
      {
        identity: 'telemetry:ghost',
        source: 'telemetry',
        detail: 'seen on a',
        firstSeen: '2026-12-07T10:00:01.000Z',
        lastSeen: '2026-12-07T10:00:09.000Z',
        count: 4,
      },
    ]);
  });
});
