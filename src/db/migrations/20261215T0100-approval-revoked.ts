// A suspension ends the agent's open approvals (found by review: one granted before the suspension let
// the call through after the resume). They end as status `revoked`; these say when and why.
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('approvals').addColumn('revoked_at', 'text').execute();
    await db.schema.alterTable('approvals').addColumn('revoked_reason', 'text').execute();
  };
}
