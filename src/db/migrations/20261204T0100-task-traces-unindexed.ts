// task_traces loses its index on day (issue 18). Trace ids are random, so that index, ordered by
// (day, trace_id, agent), took every new trace on a random page of its own, as the table's key does:
// two random writes per trace at ingest, where the key's one is unavoidable (exports are looked up by
// trace id). With one span per trace it cut stored spans/s by about a sixth (bench/README.md, "OTLP
// ingest"). Retention, its only reader, now walks the table in key order in short slices instead
// (src/governance/retention.ts): a daily job's scan instead of a write on every trace.
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.dropIndex('task_traces_day').ifExists().execute();
  };
}
