// The pairing of a client's span without response id (a streamed call's, an embeddings span) with the
// LLM gateway's record of the call (evidence-store.ts, `unidentified`) at an agent's volume: each look
// reads the records still free (a record is marked paired once held) and the nearest spans not paired,
// a bounded number of each, so an agent with thousands of such calls in ten minutes still pairs each
// call's two records, in either order; and on PostgreSQL two exports whose spans hold one record, side
// by side, pair it once (the other span counts as a call of its own, as it did before either).
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { SpanTable } from '../../src/db/schema.js';
import { createEvidenceStore } from '../../src/evidence/evidence-store.js';
import { ENGINES, perTestDatabases } from '../support/databases.js';
import { gatewaySpan } from '../support/gateway-span.js';
import { sideBySide } from '../support/lock-order.js';

const CALLS = 2_000;
const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
/** The gateway's record of call `i` of `agent`: 50 ms, one every 200 ms (closer than the clocks' skew). */
const record = (agent: string, i: number, at = now - 540_000 + i * 200): SpanTable =>
  gatewaySpan(agent, {
    trace_id: `${agent}-g-${i}`.padEnd(32, 'x'),
    span_id: `g${i}`.padEnd(16, 'x'),
    start_at: iso(at),
    day: iso(at).slice(0, 10),
    duration_ms: 50,
    received_at: iso(now),
  });
/** OpenInference's span of the same streamed call: around the record, no id, no usage. */
const client = (agent: string, i: number, at = now - 540_000 + i * 200): SpanTable =>
  gatewaySpan(agent, {
    trace_id: `${agent}-c-${i}`.padEnd(32, 'x'),
    span_id: `c${i}`.padEnd(16, 'x'),
    name: 'OpenAI Chat Completions',
    start_at: iso(at - 5),
    day: iso(at - 5).slice(0, 10),
    duration_ms: 60,
    input_tokens: null,
    output_tokens: null,
    cached_tokens: null,
    cost_usd: null,
    unpriced_reason: 'no_usage',
    received_at: iso(now),
    source: 'otlp',
    sent_by: `agent:${agent}`,
  });
/** Spans as an export brings them, each a model call. */
const sentSpans = (rows: SpanTable[]) => rows.map((row) => ({ row: { ...row }, inference: true }));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe.each(ENGINES)('streamed calls without id at an agent’s volume (%s)', (engine) => {
  const dbs = perTestDatabases();

  it(`pairs each of ${CALLS} calls in ten minutes, whichever record arrives first`, async () => {
    const handle = dbs.open(await dbs.create(engine));
    await migrateToLatest(handle);
    const db = handle.db;
    const store = createEvidenceStore(db);
    const inBatches = async (rows: SpanTable[]) => {
      for (let i = 0; i < rows.length; i += 200) await store.ingest([], sentSpans(rows.slice(i, i + 200)));
    };
    // agent-a: the gateway's records first; agent-b: the clients' spans first.
    await inBatches(range(CALLS).map((i) => record('agent-a', i)));
    await inBatches(range(CALLS).map((i) => client('agent-a', i)));
    await inBatches(range(CALLS).map((i) => client('agent-b', i)));
    await inBatches(range(CALLS).map((i) => record('agent-b', i)));
    // One more call of each agent, and a direct call (a span no record lies in).
    await store.ingest([], sentSpans([record('agent-a', CALLS), client('agent-b', CALLS)]));
    await store.ingest([], sentSpans([client('agent-a', CALLS), record('agent-b', CALLS)]));
    await store.ingest([], sentSpans([client('agent-a', CALLS + 100)]));
    const rows = await db
      .selectFrom('spans')
      .select(['agent', 'source', 'trace_id', 'duplicate', 'paired'])
      .orderBy('agent')
      .orderBy('trace_id')
      .execute();
    for (const agent of ['agent-a', 'agent-b']) {
      const mine = rows.filter((r) => r.agent === agent);
      // Each call's client span is the duplicate of its own call's record: the one it holds.
      expect(mine.filter((r) => r.source === 'llm' && r.paired !== 1)).toEqual([]);
      const dup = mine.filter((r) => r.source === 'otlp' && r.duplicate === 1).map((r) => r.trace_id.split('-')[3]);
      expect(dup).toHaveLength(CALLS + 1);
      expect(new Set(dup).size).toBe(CALLS + 1);
    }
    const direct = rows.find((r) => r.trace_id.startsWith(`agent-a-c-${CALLS + 100}x`));
    expect(direct?.duplicate).toBe(0);
    const totals = await db
      .selectFrom('evidence_daily')
      .select([
        'agent',
        (e) => e.fn.sum<number>('model_calls').as('calls'),
        (e) => e.fn.sum<number>('unpriced_calls').as('unpriced'),
      ])
      .groupBy('agent')
      .orderBy('agent')
      .execute();
    expect(totals.map((t) => [t.agent, Number(t.calls), Number(t.unpriced)])).toEqual([
      ['agent-a', CALLS + 2, 1],
      ['agent-b', CALLS + 1, 0],
    ]);
  }, 300_000);
});

describe.skipIf(!ENGINES.includes('postgres'))('two exports whose spans hold one gateway record (postgres)', () => {
  const dbs = perTestDatabases();

  it('pair it once; the other span counts as a call of its own', async () => {
    const one = record('agent-a', 0, now);
    // Each export: a span that holds the record, and a later span of another agent, so that each has
    // chosen its record (before its insert) when it waits at its second row.
    const first = client('agent-a', 1, now);
    const second = client('agent-a', 2, now + 10);
    const filler = (i: number) => record('agent-z', i, now + 60_000);
    const { outcomes, db } = await sideBySide(
      dbs,
      'spans',
      [
        (db) => createEvidenceStore(db).ingest([], sentSpans([first, filler(1)])),
        (db) => createEvidenceStore(db).ingest([], sentSpans([second, filler(2)])),
      ],
      { before: (db) => createEvidenceStore(db).ingest([], sentSpans([one])) },
    );
    expect(outcomes).toEqual(['committed', 'committed']);
    const clients = await db.selectFrom('spans').select(['duplicate']).where('source', '=', 'otlp').execute();
    expect(clients.map((c) => c.duplicate).sort()).toEqual([0, 1]);
    const row = await db
      .selectFrom('evidence_daily')
      .select(['model_calls', 'unpriced_calls'])
      .where('agent', '=', 'agent-a')
      .executeTakeFirstOrThrow();
    expect([Number(row.model_calls), Number(row.unpriced_calls)]).toEqual([2, 1]);
  }, 60_000);
});

describe.skipIf(!ENGINES.includes('postgres'))('a gateway flush and a client export of one call side by side (postgres)', () => {
  const dbs = perTestDatabases();

  it('count the call once: the second waits for the first’s commit and pairs with it', async () => {
    // Each transaction reads for its partner before its insert, and waits at its second row (a span
    // of another agent that no pairing reads): without the agent's pairing lock both read before
    // either committed, found nothing, and both counted.
    const other = (i: number): SpanTable =>
      gatewaySpan('agent-z', {
        trace_id: `z${i}`.padEnd(32, 'x'),
        span_id: `z${i}`.padEnd(16, 'x'),
        name: 'invoke_agent',
        operation: 'invoke_agent',
        model: null,
        model_reported: null,
        input_tokens: null,
        output_tokens: null,
        cached_tokens: null,
        cost_usd: null,
        source: 'otlp',
        start_at: iso(now + 60_000),
        day: iso(now + 60_000).slice(0, 10),
      });
    const { outcomes, db } = await sideBySide(dbs, 'spans', [
      (db) => createEvidenceStore(db).ingest([], sentSpans([record('agent-a', 0, now), other(1)])),
      (db) => createEvidenceStore(db).ingest([], sentSpans([client('agent-a', 0, now), other(2)])),
    ]);
    expect(outcomes).toEqual(['committed', 'committed']);
    const row = await db
      .selectFrom('evidence_daily')
      .select(['model_calls', 'unpriced_calls'])
      .where('agent', '=', 'agent-a')
      .executeTakeFirstOrThrow();
    expect([Number(row.model_calls), Number(row.unpriced_calls)]).toEqual([1, 0]);
  }, 60_000);
});
