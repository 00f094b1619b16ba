// The LLM gateway's record of a call that a client's span without response id holds (a streamed
// call's span, an embeddings span: src/evidence/evidence-store.ts, `unidentified`) is marked paired
// (1; NULL: not paired), so that a later span finds the records still free in one look at them. Until
// now it read every span of the agent already paired in the ten minutes before it to tell which
// records those held, a look that grew with the agent's own rate of streamed calls. spans_llm_free_at
// holds the records not paired, by agent and start (in place of spans_llm_at, migration
// 20261219T0510); its WHERE is spelt as the queries spell theirs, so that SQLite's planner can use it.
// Records stored before this count as free: a span of a call made just before the upgrade, sent after
// it, may pair with a record another span held already (a direct call then counted as that one).
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('spans').addColumn('paired', 'integer').execute();
    await sql`DROP INDEX spans_llm_at`.execute(db);
    await sql`CREATE INDEX spans_llm_free_at ON spans (agent, start_at) WHERE source = 'llm' AND paired IS NULL`.execute(db);
  };
}
