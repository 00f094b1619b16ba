// A client's model-call span that reports usage but names no response id (a provider that answers no
// `id`) is paired with the LLM gateway's record of the same call in the caller's trace, by model, time
// and usage (src/evidence/evidence-store.ts, `usageWithoutId`). A gateway record stored second looks
// for such spans by agent and its trace: this partial index holds only those spans, by agent, trace and
// start; its WHERE is spelt as the query (usageSpans) spells its own, so that SQLite's planner can use it.
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await sql`CREATE INDEX spans_usage_without_id ON spans (agent, trace_id, start_at)
      WHERE response_id IS NULL AND (source IS NULL OR source <> 'llm')
        AND (input_tokens IS NOT NULL OR output_tokens IS NOT NULL)`.execute(db);
  };
}
