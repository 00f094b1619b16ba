// Which audit chains a checkpoint may retire (docs/audit.md "Retired chains"): those opened by a writer
// that moves to a new chain when its row is gone. A node of an earlier release, still running during
// a rolling upgrade, would go on writing into a retired chain's entries with no row and no checkpoint
// covering them: its chains (and every chain opened before this release) keep the default, 0.
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .alterTable('audit_chains')
      .addColumn('retirable', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  };
}
