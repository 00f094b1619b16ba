// Where a call and a task were counted in the daily rollups: in "(other unregistered)" (1) or in their
// model's own row (0), so a later correction is taken from that row even when the name has a row of
// its own by then (registered in the middle of the day). NULL: counted before this was kept, and the
// name's present row decides, as it did (docs/evidence.md "Model names in the rollups").
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('spans').addColumn('folded', 'integer').execute();
    await db.schema.alterTable('task_traces').addColumn('folded', 'integer').execute();
  };
}
