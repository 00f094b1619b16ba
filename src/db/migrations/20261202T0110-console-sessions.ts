// Sign-in sessions (issue 16): a person signed in through the IdP, in the console (a cookie) or with
// `fulcrum login` (a bearer token). In the database so every node of a cluster knows them; only the
// SHA-256 of the session secret is stored, as for API tokens.
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('console_sessions')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('person', 'text', (c) => c.notNull())
      // The verified email it signed in with: a session ends when the Person's email moves.
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('console_sessions_expires').on('console_sessions').column('expires_at').execute();
    await db.schema.createIndex('console_sessions_person').on('console_sessions').column('person').execute();
  };
}
