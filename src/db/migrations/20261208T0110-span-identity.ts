// Which spans are the same (found by review, each losing a real model call from the evidence):
// - A re-send was any span with the same start, trace id and span id, whoever sent it: trace context
//   travels between agents (W3C traceparent, A2A, MCP `_meta`), so an agent that learnt another's ids
//   stored a span first and the other's real one was skipped as its re-send. The agent it is booked
//   to is part of a span's identity now (a re-send of one agent's span is still stored once).
// - Telemetry spans were unique per (agent, provider response id) for the agent's whole history, so
//   a provider that repeats response ids (Ollama's OpenAI API answers `chatcmpl-<0..998>`) had every
//   later call with an id seen before skipped. Two records of one call (two instrumentations of the
//   same call) are now found by the ingest, in the same trace and at the same time
//   (src/evidence/evidence-store.ts), and kept as a duplicate, counted nowhere; the index stays, not
//   unique, with the start time in its key.
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await sql`DROP INDEX spans_once`.execute(db);
    await sql`CREATE UNIQUE INDEX spans_once ON spans (start_at, trace_id, span_id, agent)`.execute(db);
    // Both records of a call are looked for near its time (src/evidence/evidence-store.ts): the start
    // time in the key keeps a provider's repeated ids from bringing back the agent's whole history.
    await sql`DROP INDEX spans_response`.execute(db);
    await sql`CREATE INDEX spans_response ON spans (agent, response_id, start_at) WHERE response_id IS NOT NULL AND (source IS NULL OR source <> 'llm')`.execute(
      db,
    );
    await sql`DROP INDEX spans_response_llm`.execute(db);
    await sql`CREATE INDEX spans_response_llm ON spans (agent, response_id, start_at) WHERE response_id IS NOT NULL AND source = 'llm'`.execute(
      db,
    );
  };
}
