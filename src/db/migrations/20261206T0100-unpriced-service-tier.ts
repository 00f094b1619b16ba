// A model call the provider billed at a service tier above the Model's price (OpenAI's priority or
// scale, Anthropic's priority, reported in the answer) is unpriced for that reason, counted per day
// like the others (docs/evidence.md "Unpriced model calls", docs/llm-gateway.md).
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .alterTable('evidence_daily')
      .addColumn('unpriced_service_tier', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  };
}
