// A client's model-call span that names no response id and reports no usage (OpenInference's span of
// a streamed call) is paired with the LLM gateway's record of the same call by agent, model and time
// (src/evidence/evidence-store.ts, markUnidentifiedGatewayInferences and outrankUnidentifiedTelemetry).
// Those looks ran for every gateway record stored and every such client span, by agent and a window
// of up to ten minutes, and found their rows through spans_once (start_at first): every span of every
// agent in the window was read and filtered, so their cost grew with the whole fleet's span rate. These
// partial indexes hold only the rows each look wants, by agent (and for clients' spans whether one is
// paired already: each look wants one or the other) and start; their WHERE clauses are spelt as the
// queries spell theirs, so that SQLite's planner can use them. What is left grows with one agent's own
// streamed calls in the window (docs/llm-gateway.md, "Evidence").
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await sql`CREATE INDEX spans_unidentified_at ON spans (agent, duplicate, start_at)
      WHERE response_id IS NULL AND input_tokens IS NULL AND output_tokens IS NULL AND (source IS NULL OR source <> 'llm')`.execute(
      db,
    );
    await sql`CREATE INDEX spans_llm_at ON spans (agent, start_at) WHERE source = 'llm'`.execute(db);
  };
}
