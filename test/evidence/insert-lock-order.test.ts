// Two collectors re-sending the same spans and task events on PostgreSQL, each in its own order: an
// insert that meets a row another transaction inserted and has not committed waits for it (ON CONFLICT
// DO NOTHING has to know whether it commits). The rows went in the order each export listed them, so
// one export holding row a and reaching for row z, while the other held z and reached for a,
// deadlocked and PostgreSQL failed one of them. Every insert of an export takes its rows in key order.
import { describe, expect, it } from 'vitest';
import type { SpanTable } from '../../src/db/schema.js';
import { createEvidenceStore } from '../../src/evidence/evidence-store.js';
import { ENGINES, perTestDatabases } from '../support/databases.js';
import { gatewaySpan, sentSpans, toolCallSpan } from '../support/gateway-span.js';
import { sideBySide } from '../support/lock-order.js';
import { taskEvent } from '../support/task-event.js';

const now = new Date().toISOString();
const day = now.slice(0, 10);
const event = (agent: string, task: string) => taskEvent(agent, task, { ended_at: now, received_at: now, day });
const span = (agent: string, id: string): SpanTable =>
  gatewaySpan(agent, { trace_id: id.repeat(32), span_id: id.repeat(16), start_at: now, received_at: now, day });

describe.skipIf(!ENGINES.includes('postgres'))('the same rows inserted by two exports at once (postgres)', () => {
  const dbs = perTestDatabases();

  it('task events: neither export deadlocks the other', async () => {
    const { outcomes, db } = await sideBySide(dbs, 'task_events', [
      (db) => createEvidenceStore(db).ingest([event('agent-a', 't'), event('agent-z', 't')], []),
      (db) => createEvidenceStore(db).ingest([event('agent-z', 't'), event('agent-a', 't')], []),
    ]);
    expect(outcomes).toEqual(['committed', 'committed']);
    const rows = await db.selectFrom('evidence_daily').select(['agent', 'tasks_resolved']).orderBy('agent').execute();
    expect(rows.map((r) => [r.agent, Number(r.tasks_resolved)])).toEqual([
      ['agent-a', 1],
      ['agent-z', 1],
    ]);
  }, 30_000);

  it('spans: neither export deadlocks the other', async () => {
    const a = span('agent-a', 'a');
    const z = span('agent-a', 'f');
    const { outcomes, db } = await sideBySide(dbs, 'spans', [
      (db) =>
        createEvidenceStore(db).ingest(
          [],
          [a, z].map((row) => ({ row: { ...row }, inference: true })),
        ),
      (db) =>
        createEvidenceStore(db).ingest(
          [],
          [z, a].map((row) => ({ row: { ...row }, inference: true })),
        ),
    ]);
    expect(outcomes).toEqual(['committed', 'committed']);
    const rows = await db.selectFrom('evidence_daily').select(['agent', 'model_calls', 'spans']).execute();
    expect(rows.map((r) => [r.agent, Number(r.model_calls), Number(r.spans)])).toEqual([['agent-a', 2, 2]]);
  }, 30_000);

  it('stored spans a re-sent export pairs with: neither export deadlocks the other', async () => {
    // Two MCP tool calls the client recorded, then the gateway's records of them, re-sent by two
    // collectors in opposite orders: each export marks the client spans paired before it stores its own.
    const client = (id: string) =>
      toolCallSpan('client', 'agent-a', id, now, { trace_id: 'c'.repeat(32), duration_ms: 1, received_at: now });
    const record = (of: SpanTable, id: string) => ({
      ...of,
      span_id: id.repeat(16),
      parent_span_id: of.span_id,
      source: 'mcp',
      mcp_call: 'gateway',
    });
    const [c1, c2] = [client('1'), client('2')] as [SpanTable, SpanTable];
    const [g1, g2] = [record(c1, '3'), record(c2, '4')];
    const sent = sentSpans;
    const { outcomes, db } = await sideBySide(
      dbs,
      'spans',
      [(db) => createEvidenceStore(db).ingest([], sent([g1, g2])), (db) => createEvidenceStore(db).ingest([], sent([g2, g1]))],
      { on: 'update', before: (db) => createEvidenceStore(db).ingest([], sent([c1, c2])) },
    );
    expect(outcomes).toEqual(['committed', 'committed']);
    const rows = await db.selectFrom('evidence_daily').select(['tool_calls', 'spans']).execute();
    expect(rows.map((r) => [Number(r.tool_calls), Number(r.spans)])).toEqual([[2, 4]]);
  }, 30_000);

  it('stored gateway records two exports pair with by time, each in its own order: neither export deadlocks the other', async () => {
    // Two untraced MCP tool calls the gateway recorded a minute apart; two instrumentations of the
    // client (each its own span ids) send their spans of both calls through two collectors, in
    // opposite orders. Each export pairs its spans with the stored records by time, one by one.
    const at = (ms: number) => new Date(Date.parse(now) + ms).toISOString();
    const call = (kind: 'client' | 'gateway', id: string, start: string) =>
      toolCallSpan(kind, 'agent-a', id, start, { received_at: now });
    const sent = sentSpans;
    const [g1, g2] = [call('gateway', '1', at(0)), call('gateway', '2', at(60_000))];
    const [a1, a2] = [call('client', '3', at(-100)), call('client', '4', at(59_900))];
    const [b1, b2] = [call('client', '5', at(-200)), call('client', '6', at(59_800))];
    const { outcomes } = await sideBySide(
      dbs,
      'spans',
      [(db) => createEvidenceStore(db).ingest([], sent([a1, a2])), (db) => createEvidenceStore(db).ingest([], sent([b2, b1]))],
      { on: 'update', before: (db) => createEvidenceStore(db).ingest([], sent([g1, g2])) },
    );
    expect(outcomes).toEqual(['committed', 'committed']);
  }, 30_000);
});
