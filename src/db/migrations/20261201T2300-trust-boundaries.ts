// Trust boundaries (issue 13), in the database:
// - a decision's outcome is reported once: the first report claims the decision here (the primary
//   key decides between two nodes reporting at the same instant), later ones are refused with 409;
// - separation of duties remembers who owned what when it was asked: the agent's owner when an
//   approval was requested, the initiative's owner when a review opened (moving ownership while
//   one is pending does not let its owner decide it).
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('decision_outcomes')
      .addColumn('decision_id', 'text', (c) => c.primaryKey())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.alterTable('approvals').addColumn('agent_owner', 'text').execute();
    await db.schema.alterTable('reviews').addColumn('owner', 'text').execute();
  };
}
