// Who revoked a credential (found by review: rows recorded who issued a key or token, never who ended
// it). Credentials revoked before this migration keep NULL: who revoked them was never kept.
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('credentials').addColumn('revoked_by', 'text').execute();
  };
}
