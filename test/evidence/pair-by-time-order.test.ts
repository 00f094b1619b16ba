// Records of MCP tool calls without trace context are paired by agent, Tool and time
// (evidence-store.ts, pairUntracedToolCalls). The stored records an export pairs with are marked in
// key order, after every partner is chosen (test/evidence/insert-lock-order.test.ts: two exports each
// in its own order deadlocked): a record of the export still pairs only with one no earlier record of
// it took, as when each was marked as soon as it was chosen.
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createEvidenceStore } from '../../src/evidence/evidence-store.js';
import { ENGINES, perTestDatabases } from '../support/databases.js';
import { sentSpans, toolCallSpan } from '../support/gateway-span.js';

const now = new Date().toISOString();
const at = (ms: number) => new Date(Date.parse(now) + ms).toISOString();
const call = (kind: 'client' | 'gateway', id: string, start: string, duration_ms = 1_000, agent = 'agent-a') =>
  toolCallSpan(kind, agent, id, start, { duration_ms, received_at: now });
const sent = sentSpans;

describe.each(ENGINES)('records of one export paired by time (%s)', (engine) => {
  const dbs = perTestDatabases();

  it('each pairs with a record no earlier one of the export took; the others stay unpaired', async () => {
    const handle = dbs.open(await dbs.create(engine));
    await migrateToLatest(handle);
    const db = handle.db;
    const store = createEvidenceStore(db);
    // Two gateway records, then three client spans of the export that each cover both: the first two
    // take one each, earliest first; the third finds none left.
    await store.ingest([], sent([call('gateway', '1', at(0)), call('gateway', '2', at(300))]));
    await store.ingest([], sent([call('client', '3', at(-100)), call('client', '4', at(-50)), call('client', '5', at(-20))]));
    // And a gateway record whose two candidate client spans, both stored, one is taken by the first.
    await store.ingest([], sent([call('client', '6', at(10_000), 5_000), call('client', '7', at(11_000), 5_000)]));
    await store.ingest([], sent([call('gateway', '8', at(12_000)), call('gateway', '9', at(12_500))]));
    // Another agent: a client span of the export pairs with a stored record, and the export's own
    // untraced gateway record in its window finds it taken (a duplicate now), as it found none.
    await store.ingest([], sent([call('gateway', 'a', at(0), 1, 'agent-b')]));
    await store.ingest([], sent([call('client', 'b', at(-100), 1_000, 'agent-b'), call('gateway', 'c', at(200), 1, 'agent-b')]));
    const rows = await db.selectFrom('spans').select(['span_id', 'mcp_call', 'duplicate']).orderBy('span_id').execute();
    expect(rows.map((r) => [r.span_id[0], r.mcp_call, Number(r.duplicate)])).toEqual([
      ['1', 'gateway_paired', 0],
      ['2', 'gateway_paired', 0],
      ['3', 'client', 1],
      ['4', 'client', 1],
      ['5', 'client', 0],
      ['6', 'client_paired', 0],
      ['7', 'client_paired', 0],
      ['8', 'gateway', 1],
      ['9', 'gateway', 1],
      ['a', 'gateway_paired', 0],
      ['b', 'client', 1],
      ['c', 'gateway', 0],
    ]);
    const totals = await db
      .selectFrom('evidence_daily')
      .select((e) => e.fn.sum<number>('tool_calls').as('n'))
      .executeTakeFirst();
    expect(Number(totals?.n)).toBe(7);
  });
});
