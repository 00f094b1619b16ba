// Registry persistence: descriptors as rows, the revision counter and the change log.
import { type Kysely, sql } from 'kysely';
import { adapterOf } from '../db/adapter.js';
import { bulkInserter } from '../db/bulk-insert.js';
import type { Database } from '../db/schema.js';
import type { Kind } from './kinds.js';
import type { Desired, RegistryObject } from './model.js';
import type { Stewards } from './privilege.js';

export type RegistryStore = ReturnType<typeof createRegistryStore>;

export interface Change {
  kind: Kind;
  name: string;
  action: 'created' | 'updated' | 'deleted';
}

export function createRegistryStore(db: Kysely<Database>) {
  const toObject = (r: Database['registry_objects']): RegistryObject => ({
    kind: r.kind as Kind,
    name: r.name,
    labels: JSON.parse(r.labels),
    spec: JSON.parse(r.spec),
    generation: r.generation,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });

  return {
    async loadAll(): Promise<RegistryObject[]> {
      const rows = await db.selectFrom('registry_objects').selectAll().orderBy('kind').orderBy('name').execute();
      return rows.map(toObject);
    },

    async list(kind: Kind): Promise<RegistryObject[]> {
      const rows = await db.selectFrom('registry_objects').selectAll().where('kind', '=', kind).orderBy('name').execute();
      return rows.map(toObject);
    },

    async get<K extends Kind>(kind: K, name: string): Promise<RegistryObject<K> | undefined> {
      const row = await db
        .selectFrom('registry_objects')
        .selectAll()
        .where('kind', '=', kind)
        .where('name', '=', name)
        .executeTakeFirst();
      return row && (toObject(row) as RegistryObject<K>);
    },

    async revision(): Promise<number> {
      const row = await db.selectFrom('registry_state').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
      return row.revision;
    },

    /**
     * Increments the revision. Called first in a writing transaction, it also serialises
     * concurrent writers on every engine (a row lock on PostgreSQL, the write lock on SQLite).
     */
    async bumpRevision(): Promise<number> {
      await lockRevision(db, 'exclusive');
      const row = await db
        .updateTable('registry_state')
        .set((eb) => ({ revision: eb('revision', '+', 1) }))
        .where('id', '=', 1)
        .returning('revision')
        .executeTakeFirstOrThrow();
      return row.revision;
    },

    /**
     * Holds the lock registry writes take (bumpRevision) until the transaction ends, without moving the
     * revision: what is read after it stays as read until then. SQLite's transactions already run one
     * at a time on the node's one writing connection.
     */
    async lock(): Promise<void> {
      if (!adapterOf(db).rowLocks) return;
      await lockRevision(db, 'exclusive');
      await db.selectFrom('registry_state').select('revision').where('id', '=', 1).forUpdate().execute();
    },

    async insert(o: Desired, now: string): Promise<void> {
      await db.insertInto('registry_objects').values(objectRow(o, now)).execute();
    },

    /**
     * Writes descriptors new and changed, many rows a statement (an apply of thousands held the
     * database, and the event loop, for one statement each): a new one is inserted, a changed one's
     * labels and spec replaced, its generation counted up.
     */
    async upsertAll(objects: Desired[], now: string): Promise<void> {
      if (objects.length > 0)
        await upsertObjects(
          db,
          objects.map((o) => objectRow(o, now)),
        );
    },

    async update(o: Desired, now: string): Promise<void> {
      await db
        .updateTable('registry_objects')
        .set((eb) => ({
          labels: JSON.stringify(o.labels),
          spec: JSON.stringify(o.spec),
          generation: eb('generation', '+', 1),
          updated_at: now,
        }))
        .where('kind', '=', o.kind)
        .where('name', '=', o.name)
        .execute();
    },

    async remove(kind: Kind, name: string): Promise<void> {
      await db.deleteFrom('registry_objects').where('kind', '=', kind).where('name', '=', name).execute();
    },

    async recordChanges(changes: Change[], revision: number, actor: string, now: string): Promise<void> {
      if (changes.length === 0) return;
      await insertChanges(
        db,
        changes.map((c) => ({ revision, kind: c.kind, name: c.name, action: c.action, actor, at: now })),
      );
    },

    /** How many spend lines each of `budgets` has imported (in its currency: they carry none of their own). */
    async importedSpendLines(budgets: readonly string[]): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      if (budgets.length === 0) return out;
      const rows = await db
        .selectFrom('spend_lines')
        .select((eb) => ['budget', eb.fn.countAll<number>().as('lines')])
        .where('budget', 'in', [...new Set(budgets)])
        .groupBy('budget')
        .execute();
      for (const r of rows) out.set(r.budget, Number(r.lines));
      return out;
    },

    /**
     * Everyone who has owned each of `initiatives`, and who set the risk tier in force: the latest
     * risk assessment's assessor, else whoever last changed the descriptor's `riskTier`.
     */
    async stewardsOf(initiatives: readonly string[]): Promise<Map<string, Stewards>> {
      const out = new Map<string, Stewards>();
      if (initiatives.length === 0) return out;
      const names = [...new Set(initiatives)];
      for (const n of names) out.set(n, { owners: new Set() });
      const rows = await db
        .selectFrom('initiative_stewards')
        .select(['initiative', 'role', 'person', 'at'])
        .where('initiative', 'in', names)
        .orderBy('at', 'asc')
        .execute();
      for (const r of rows) {
        const s = out.get(r.initiative) as Stewards;
        if (r.role === 'owner') (s.owners as Set<string>).add(r.person);
        else s.tierSetter = { person: r.person, by: 'registry' }; // ascending: the last one stays
      }
      const assessed = await db
        .selectFrom('risk_assessments')
        .select(['initiative', 'assessed_by', 'version'])
        .where('initiative', 'in', names)
        .orderBy('version', 'asc')
        .execute();
      for (const a of assessed)
        (out.get(a.initiative) as Stewards).tierSetter = {
          // As stewardName records it: a Person by name, the admin token or Fulcrum in parentheses.
          person: a.assessed_by.startsWith('person:') ? a.assessed_by.slice('person:'.length) : `(${a.assessed_by})`,
          by: 'assessment',
        };
      return out;
    },

    /** Records a new owner, or who set a tier (re-dated when they already are on record). */
    async recordStewards(rows: ReadonlyArray<{ initiative: string; role: 'owner' | 'tier'; person: string }>, now: string) {
      // One statement a few hundred rows (an apply may create thousands of initiatives); a row may
      // appear once per statement (an upsert cannot touch a row twice).
      const unique = [...new Map(rows.map((r) => [`${r.initiative}\u0000${r.role}\u0000${r.person}`, r])).values()];
      for (let i = 0; i < unique.length; i += 500)
        await db
          .insertInto('initiative_stewards')
          .values(unique.slice(i, i + 500).map((r) => ({ ...r, at: now })))
          .onConflict((oc) => oc.columns(['initiative', 'role', 'person']).doUpdateSet({ at: now }))
          .execute();
    },

    /** Records who bound an OAuth client to an Agent (re-dated when they already are on record). */
    async recordClientBinders(rows: ReadonlyArray<{ agent: string; client_id: string; person: string }>, now: string) {
      const unique = [...new Map(rows.map((r) => [`${r.agent}\u0000${r.client_id}\u0000${r.person}`, r])).values()];
      for (let i = 0; i < unique.length; i += 500)
        await db
          .insertInto('agent_client_binders')
          .values(unique.slice(i, i + 500).map((r) => ({ ...r, at: now })))
          .onConflict((oc) => oc.columns(['agent', 'client_id', 'person']).doUpdateSet({ at: now }))
          .execute();
    },

    async changes(limit: number) {
      return db.selectFrom('registry_changes').selectAll().orderBy('id', 'desc').limit(limit).execute();
    },
  };
}

const objectRow = (o: Desired, now: string) => ({
  kind: o.kind,
  name: o.name,
  labels: JSON.stringify(o.labels),
  spec: JSON.stringify(o.spec),
  generation: 1,
  created_at: now,
  updated_at: now,
});
const upsertObjects = bulkInserter(
  'registry_objects',
  ['kind', 'name', 'labels', 'spec', 'generation', 'created_at', 'updated_at'],
  (q) =>
    q.onConflict((oc) =>
      oc.columns(['kind', 'name']).doUpdateSet((eb) => ({
        labels: eb.ref('excluded.labels'),
        spec: eb.ref('excluded.spec'),
        generation: eb('registry_objects.generation', '+', sql.lit(1)),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    ),
);
const insertChanges = bulkInserter('registry_changes', ['revision', 'kind', 'name', 'action', 'actor', 'at']);

/**
 * PostgreSQL: the registry revision's advisory lock, to the transaction's end. Registry writers take
 * it exclusively (bumpRevision, lock), first; a group commit that may open approvals takes it shared,
 * first (guard-service.ts), so a suspension waits for such commits and they wait for it. An advisory
 * lock because PostgreSQL queues a shared request behind an exclusive one already waiting, where a
 * `FOR SHARE` of the revision's row went ahead of a waiting `UPDATE`: commits overlapping on several
 * nodes held a suspension off (eight nodes holding 20 ms each, up to 2.3 s). SQLite: nothing (its
 * transactions run one at a time on the node's one writing connection).
 */
export async function lockRevision(db: Kysely<Database>, mode: 'shared' | 'exclusive'): Promise<void> {
  if (!adapterOf(db).rowLocks) return;
  if (mode === 'shared')
    await sql`select pg_advisory_xact_lock_shared(hashtextextended('fulcrum.registry-revision', 0))`.execute(db);
  else await sql`select pg_advisory_xact_lock(hashtextextended('fulcrum.registry-revision', 0))`.execute(db);
}
