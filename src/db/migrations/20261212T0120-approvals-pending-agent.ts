// One agent's approvals waiting for a person, counted when a call would open another (the cap of
// FULCRUM_MAX_PENDING_APPROVALS, in the audit group commit). Expired requests nobody decided stay
// `pending` for good, so the count by `approvals_status (status, created_at)` read every pending row
// ever written: 38–50 ms a new approval with 200,000 of them, holding the node's commits (found by
// review). Partial on `status = 'pending'`: the count reads the agent's unexpired rows alone.
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await sql`CREATE INDEX approvals_pending_agent ON approvals (agent, expires_at) WHERE status = 'pending'`.execute(db);
  };
}
