// The LLM gateway's record of a call is the one that counts (an attack found the reverse): an agent
// that sent its own span of a gateway call first, carrying the provider's response id, made that span
// the counted record, and the gateway's priced one was skipped; a provider that reuses response ids
// (a response cache) lost the gateway its own records. Now only telemetry spans are unique per
// (agent, response id); gateway records never conflict, and a telemetry span of a call the gateway
// recorded is stored as a duplicate, counted nowhere (src/evidence/evidence-store.ts).
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await sql`DROP INDEX spans_response`.execute(db);
    await sql`CREATE UNIQUE INDEX spans_response ON spans (agent, response_id) WHERE response_id IS NOT NULL AND (source IS NULL OR source <> 'llm')`.execute(
      db,
    );
    await sql`CREATE INDEX spans_response_llm ON spans (agent, response_id) WHERE response_id IS NOT NULL AND source = 'llm'`.execute(
      db,
    );
  };
}
