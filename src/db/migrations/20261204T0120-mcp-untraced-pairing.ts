// One tool call, one count without trace context (issue 18): a client span of an MCP tool call and
// the gateway's own record of it are paired by agent, Tool and time when the client sent no
// traceparent (src/evidence/evidence-store.ts, pairUntracedToolCalls). These partial indexes find
// the records still waiting for a partner, by agent and start; a paired record leaves them (its
// mcp_call becomes 'client_paired' or 'gateway_paired').
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await sql`CREATE INDEX spans_mcp_client_at ON spans (agent, start_at) WHERE mcp_call = 'client'`.execute(db);
    await sql`CREATE INDEX spans_mcp_gateway_at ON spans (agent, start_at) WHERE mcp_call = 'gateway' AND parent_span_id IS NULL`.execute(
      db,
    );
  };
}
