// Agents leaving an initiative are recorded (found by review: the high-risk retention floor followed
// an agent's initiative at purge, so moving it out of a high-risk initiative released what it did
// there). Retention holds an agent's data from before it left a high-risk initiative to the floor.
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('agent_departures')
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('initiative', 'text', (c) => c.notNull())
      // The initiative's tier in force when the agent left: what it did there was done under it.
      .addColumn('tier', 'text')
      .addColumn('left_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('agent_departures_left_at').on('agent_departures').column('left_at').execute();
  };
}
