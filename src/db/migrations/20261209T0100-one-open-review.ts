// At most one open review per initiative, enforced by the database: two promotions at once (two
// requests, two nodes) both looked for an open review, found none, and both opened one. Reviews left
// open twice by that race before this version are settled first: the earliest stays open (the one
// the rule would have kept), the later ones close as rejected, without a sign-off (docs/governance.md).
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const now = new Date().toISOString();
    await sql`UPDATE reviews SET status = 'rejected', closed_at = ${now}
      WHERE status = 'open' AND EXISTS (
        SELECT 1 FROM reviews earlier
        WHERE earlier.initiative = reviews.initiative AND earlier.status = 'open'
          AND (earlier.opened_at < reviews.opened_at OR (earlier.opened_at = reviews.opened_at AND earlier.id < reviews.id))
      )`.execute(db);
    await sql`CREATE UNIQUE INDEX reviews_one_open_per_initiative ON reviews (initiative) WHERE status = 'open'`.execute(db);
  };
}
