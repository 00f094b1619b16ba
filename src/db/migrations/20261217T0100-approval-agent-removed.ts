// Approvals were keyed by their agent's name only, and an agent registered under a deleted agent's
// name read the deleted one's approvals (GET /v1/approvals, the arguments of its calls among them).
// Deleting an Agent now marks its approvals with when; an agent reads only those not marked. Those
// of agents deleted before this migration are marked by the registry's record of the deletion: each
// made before the name's last deletion belonged to the agent deleted then.
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('approvals').addColumn('agent_removed_at', 'text').execute();
    // The deletion marks an agent's approvals under the registry's lock, and an agent lists its own
    // newest first: both by agent, which no index led with (a scan of every approval).
    await db.schema.createIndex('approvals_agent').on('approvals').columns(['agent', 'created_at']).execute();
    await sql`
      UPDATE approvals SET agent_removed_at = (
        SELECT max(c.at) FROM registry_changes c
        WHERE c.kind = 'Agent' AND c.name = approvals.agent AND c.action = 'deleted'
      )
      WHERE created_at < (
        SELECT max(c.at) FROM registry_changes c
        WHERE c.kind = 'Agent' AND c.name = approvals.agent AND c.action = 'deleted'
      )`.execute(db);
  };
}
