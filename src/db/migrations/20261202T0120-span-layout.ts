// Spans in a layout that appends (issue 18): a sequence primary key instead of (trace_id, span_id),
// whose random ids made every insert land on a random page of the key's index (42% of ingest time).
// A re-send is still stored once, by a unique index that starts with the span's start time, so
// new spans go to its end; it also serves the reads by time (retention, monitors). The (day, agent)
// index goes: no query reads spans by it (costs and outcomes read the rollups). Two partial indexes, on MCP tool calls only, find the two records of one
// call (the gateway's and the client's span); unpriced model calls keep their reason, and the
// rollups count them by reason.
//
// Expand and contract in one step, data preserved: the new table is created and filled from the old
// one (in start order), then takes its name. A node of the previous build inserts with
// ON CONFLICT (trace_id, span_id), which the new table cannot answer: stop those nodes before
// starting this build (serve migrates at start, under the migrator's lock).
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

const COLUMNS = [
  'trace_id',
  'span_id',
  'parent_span_id',
  'agent',
  'registered',
  'name',
  'operation',
  'start_at',
  'day',
  'duration_ms',
  'model_reported',
  'model',
  'provider',
  'input_tokens',
  'output_tokens',
  'cached_tokens',
  'cost_usd',
  'tool',
  'error_type',
  'task_outcome',
  'received_at',
  'claimed_agent',
  'sent_by',
];
const INFERENCE = `(operation IN ('chat', 'text_completion', 'generate_content', 'embeddings') OR (operation IS NULL AND model_reported IS NOT NULL))`;

export function up(adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('spans_next')
      .addColumn('seq', adapter.autoIncrementType, (c) => adapter.autoIncrement(c))
      .addColumn('trace_id', 'text', (c) => c.notNull())
      .addColumn('span_id', 'text', (c) => c.notNull())
      .addColumn('parent_span_id', 'text')
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('registered', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('operation', 'text')
      .addColumn('start_at', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('duration_ms', 'double precision', (c) => c.notNull())
      .addColumn('model_reported', 'text')
      .addColumn('model', 'text')
      .addColumn('provider', 'text')
      .addColumn('input_tokens', 'integer')
      .addColumn('output_tokens', 'integer')
      .addColumn('cached_tokens', 'integer')
      .addColumn('cost_usd', 'double precision')
      .addColumn('tool', 'text')
      .addColumn('error_type', 'text')
      .addColumn('task_outcome', 'text')
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('claimed_agent', 'text')
      .addColumn('sent_by', 'text')
      // Why a model call has no cost: unknown_model, no_price, no_usage (null: priced, or no model call).
      .addColumn('unpriced_reason', 'text')
      // Who recorded it: otlp (telemetry), mcp (the MCP gateway), llm (the LLM gateway); null before.
      .addColumn('source', 'text')
      // One MCP tool call, two records: gateway (the MCP gateway's own), client (a client's tool span
      // for a Tool an McpServer serves, which may be the same call); null for every other span.
      .addColumn('mcp_call', 'text')
      // 1: the second record of one tool call (the gateway's and the client's span); kept, not counted.
      .addColumn('duplicate', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    const cols = sql.join(COLUMNS.map((c) => sql.ref(c)));
    // Spans stored before reasons were kept: a model call without cost had an unknown model or no USD price.
    await sql`INSERT INTO spans_next (${cols}, unpriced_reason)
      SELECT ${cols}, CASE WHEN cost_usd IS NULL AND ${sql.raw(INFERENCE)}
        THEN CASE WHEN model IS NULL THEN 'unknown_model' ELSE 'no_price' END END
      FROM spans ORDER BY start_at`.execute(db);
    await db.schema.dropTable('spans').execute();
    await db.schema.alterTable('spans_next').renameTo('spans').execute();

    await sql`CREATE UNIQUE INDEX spans_once ON spans (start_at, trace_id, span_id)`.execute(db);
    await sql`CREATE INDEX spans_claimed ON spans (day) WHERE claimed_agent IS NOT NULL`.execute(db);
    await sql`CREATE INDEX spans_mcp_gateway ON spans (trace_id, parent_span_id) WHERE mcp_call = 'gateway'`.execute(db);
    await sql`CREATE INDEX spans_mcp_client ON spans (trace_id, span_id) WHERE mcp_call = 'client'`.execute(db);

    for (const reason of ['unknown_model', 'no_price', 'no_usage'])
      await db.schema
        .alterTable('evidence_daily')
        .addColumn(`unpriced_${reason}`, 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    // What the kept spans say of the rollups' unpriced calls (spans past retention are gone: their
    // calls stay in unpriced_calls without a reason). One pass over the spans, one update per group.
    const groups = await sql<{ day: string; agent: string; model: string; reason: string; n: number | string }>`
      SELECT day, agent, COALESCE(model, model_reported, '') AS model, unpriced_reason AS reason, COUNT(*) AS n
      FROM spans WHERE unpriced_reason IS NOT NULL GROUP BY day, agent, COALESCE(model, model_reported, ''), unpriced_reason`.execute(
      db,
    );
    for (const g of groups.rows)
      await sql`UPDATE evidence_daily SET ${sql.ref(`unpriced_${g.reason}`)} = ${Number(g.n)}
        WHERE day = ${g.day} AND agent = ${g.agent} AND model = ${g.model}`.execute(db);
  };
}
