// The LLM gateway (issue 17, docs/llm-gateway.md):
// - spend per SpendLimit and period, and what calls in flight hold against it, in integer micro-USD
//   (a call is admitted by a conditional UPDATE per limit: the database is the arbiter for every node);
// - each call's reservation per limit, so a node that dies mid-call releases what it held once it expires;
// - settled spend per limit and hour, for the burn-down;
// - requests and tokens per agent and minute (an agent's rateLimits, shared by every node);
// - spans.response_id: one inference per agent and provider response id, so a client's own
//   OpenTelemetry span of a gateway call is not counted twice (whichever arrives second is skipped).
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('spend_limit_usage')
      .addColumn('limit_name', 'text', (c) => c.notNull())
      .addColumn('period_start', 'text', (c) => c.notNull())
      .addColumn('spent_micro', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('reserved_micro', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('calls', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('alerted_at', 'text')
      .addPrimaryKeyConstraint('spend_limit_usage_pk', ['limit_name', 'period_start'])
      .execute();
    await db.schema
      .createTable('spend_limit_hours')
      .addColumn('limit_name', 'text', (c) => c.notNull())
      .addColumn('hour', 'text', (c) => c.notNull())
      .addColumn('spent_micro', 'bigint', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('spend_limit_hours_pk', ['limit_name', 'hour'])
      .execute();
    await db.schema
      .createTable('llm_reservations')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('limit_name', 'text', (c) => c.notNull())
      .addColumn('period_start', 'text', (c) => c.notNull())
      .addColumn('amount_micro', 'bigint', (c) => c.notNull())
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('llm_reservations_pk', ['id', 'limit_name'])
      .execute();
    await db.schema.createIndex('llm_reservations_expires').on('llm_reservations').column('expires_at').execute();
    await db.schema
      .createTable('llm_rate_windows')
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('minute', 'text', (c) => c.notNull())
      .addColumn('requests', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('tokens', 'bigint', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('llm_rate_windows_pk', ['agent', 'minute'])
      .execute();
    await db.schema.alterTable('spans').addColumn('response_id', 'text').execute();
    await sql`CREATE UNIQUE INDEX spans_response ON spans (agent, response_id) WHERE response_id IS NOT NULL`.execute(db);
  };
}
