// Who has owned each initiative, and who last set its risk tier in the registry (separation of
// duties, src/registry/privilege.ts): an owner may not set their initiative's tier, and handing the
// ownership to someone else for one write must not make it possible. Rows are only added or
// re-dated, never removed (a deleted initiative's past owners still count if the name comes back).
// History starts here: today's owners are recorded; earlier owners were never kept anywhere.
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('initiative_stewards')
      .addColumn('initiative', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull()) // 'owner' | 'tier'
      .addColumn('person', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('initiative_stewards_pk', ['initiative', 'role', 'person'])
      .execute();
    const rows = await sql<{ name: string; spec: string; updated_at: string }>`
      SELECT name, spec, updated_at FROM registry_objects WHERE kind = 'Initiative'`.execute(db);
    for (const r of rows.rows) {
      const owner = (JSON.parse(r.spec) as { owner?: unknown }).owner;
      if (typeof owner === 'string')
        await sql`INSERT INTO initiative_stewards (initiative, role, person, at) VALUES (${r.name}, 'owner', ${owner}, ${r.updated_at})`.execute(
          db,
        );
    }
  };
}
