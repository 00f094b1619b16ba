// The board report counts the incidents opened in its last 90 days and lists the most pressing of
// them in SQL (src/insight/report.ts): this index reads that window, not every incident ever opened.
// Open and mitigated ones are found by incidents_status (status, opened_at).
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.createIndex('incidents_opened').on('incidents').columns(['opened_at']).execute();
  };
}
