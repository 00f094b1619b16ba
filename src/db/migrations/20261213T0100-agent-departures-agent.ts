// Retention asks, for each row it may purge, whether its agent left a high-risk initiative after it
// (one correlated NOT EXISTS, whatever the number of departures: found by review, binding each
// departure passed the engines' bound-variable limits). This index answers that lookup by agent.
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.createIndex('agent_departures_agent').on('agent_departures').columns(['agent', 'left_at']).execute();
  };
}
