// A client's embeddings span of a call through the LLM gateway is paired with the gateway's record by
// agent, model and time, as a streamed call's span without id or usage is (src/evidence/evidence-store.ts,
// `unidentified`): the embeddings API answers no response id, and the client's span carries the call's
// tokens, so spans_unidentified_at (migration 20261219T0510) did not hold it and both records counted.
// The index now holds both kinds; its WHERE is spelt as the query (unidentifiedSpans) spells its own,
// so that SQLite's planner can use it.
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await sql`DROP INDEX spans_unidentified_at`.execute(db);
    await sql`CREATE INDEX spans_unidentified_at ON spans (agent, duplicate, start_at)
      WHERE response_id IS NULL AND (source IS NULL OR source <> 'llm')
        AND ((input_tokens IS NULL AND output_tokens IS NULL) OR operation = 'embeddings')`.execute(db);
  };
}
