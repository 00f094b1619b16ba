// Sign-in sessions are tied to the IdP they were made through (src/auth/console-sessions.ts): without
// single sign-on none is accepted, and after a move to another issuer the old one's are over. Sessions
// made before this release do not say which issuer made them, and some may belong to a Person deleted
// or an email moved since (they would have worked again once the Person or the email came back): they
// are ended, and people sign in once more.
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.deleteFrom('console_sessions' as never).execute();
    await db.schema
      .alterTable('console_sessions')
      .addColumn('issuer', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
  };
}
