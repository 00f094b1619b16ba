// Separation of duties on approvals (found by review): a person who may issue keys for an agent they do
// not own (platform, or a person with the admin role) issued one, raised a call that needs a person
// with it, and approved that call themself. The approval now records who issued the key the call came
// with (src/guard/guard-service.ts); that person may not decide it. Approvals opened before have none.
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('approvals').addColumn('key_issuer', 'text').execute();
  };
}
