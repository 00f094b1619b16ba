// The guard: hash-chained audit entries, human approvals, shadow agents, kill-switch state.
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('audit_chains')
      .addColumn('id', 'text', (c) => c.primaryKey().notNull())
      .addColumn('node', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('audit_entries')
      .addColumn('chain_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('agent', 'text')
      .addColumn('action', 'text')
      .addColumn('target', 'text')
      .addColumn('decision', 'text')
      .addColumn('reasons', 'text', (c) => c.notNull())
      .addColumn('monitor', 'text', (c) => c.notNull())
      .addColumn('policy_version', 'integer', (c) => c.notNull())
      .addColumn('arguments_hash', 'text')
      .addColumn('arguments', 'text')
      .addColumn('data_domains', 'text', (c) => c.notNull())
      .addColumn('task_id', 'text')
      .addColumn('approval_id', 'text')
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('audit_entries_pk', ['chain_id', 'seq'])
      .execute();
    await db.schema.createIndex('audit_entries_at').on('audit_entries').column('at').execute();
    await db.schema.createIndex('audit_entries_agent_at').on('audit_entries').columns(['agent', 'at']).execute();

    await db.schema
      .createTable('approvals')
      .addColumn('id', 'text', (c) => c.primaryKey().notNull())
      .addColumn('decision_id', 'text', (c) => c.notNull())
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('tool', 'text', (c) => c.notNull())
      .addColumn('arguments', 'text', (c) => c.notNull())
      .addColumn('arguments_hash', 'text', (c) => c.notNull())
      .addColumn('data_domains', 'text', (c) => c.notNull())
      .addColumn('reasons', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('comment', 'text')
      .addColumn('used_at', 'text')
      .addColumn('used_decision_id', 'text')
      .execute();
    await db.schema.createIndex('approvals_status').on('approvals').columns(['status', 'created_at']).execute();

    await db.schema
      .createTable('shadow_agents')
      .addColumn('identity', 'text', (c) => c.primaryKey().notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('first_seen', 'text', (c) => c.notNull())
      .addColumn('last_seen', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('agent_controls')
      .addColumn('agent', 'text', (c) => c.primaryKey().notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
  };
}
