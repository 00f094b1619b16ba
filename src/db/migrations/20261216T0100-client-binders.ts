// Separation of duties on approvals for agents that call with OAuth access tokens (found by review): an
// admin pointed an Agent's `oauthClientId` at a client of their own, called with its tokens, and
// approved the call themself. An access token has no key and so no issuer; who bound the client to the
// agent stands behind its calls as a key's issuer does. Rows are only added or re-dated, never removed
// (whoever bound a client once may still hold its secret). History starts here: who bound the clients
// bound before this migration was never kept. Approvals now remember the client their call came with.
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('agent_client_binders')
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('person', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('agent_client_binders_pk', ['agent', 'client_id', 'person'])
      .execute();
    await db.schema.alterTable('approvals').addColumn('oauth_client', 'text').execute();
  };
}
