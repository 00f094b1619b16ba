// A database fault for one kind of audit entry: a trigger on audit_entries that refuses to insert it
// (SQLite and PostgreSQL), for tests that a change and the entry recording it commit together.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { Engine } from './databases.js';

/** From now on, inserting an audit entry of `kind` fails (the whole statement, and its transaction). */
export async function failAuditKind(db: Kysely<Database>, engine: Engine, kind: string): Promise<void> {
  await clearAuditFault(db, engine);
  if (engine === 'sqlite') {
    await sql`CREATE TRIGGER audit_fault BEFORE INSERT ON audit_entries WHEN NEW.kind = ${sql.lit(kind)}
      BEGIN SELECT RAISE(ABORT, 'audit fault injected by the test'); END`.execute(db);
    return;
  }
  await sql`CREATE FUNCTION audit_fault() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.kind = ${sql.lit(kind)} THEN RAISE EXCEPTION 'audit fault injected by the test'; END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER audit_fault BEFORE INSERT ON audit_entries FOR EACH ROW EXECUTE FUNCTION audit_fault()`.execute(db);
}

export async function clearAuditFault(db: Kysely<Database>, engine: Engine): Promise<void> {
  if (engine === 'sqlite') {
    await sql`DROP TRIGGER IF EXISTS audit_fault`.execute(db);
    return;
  }
  await sql`DROP TRIGGER IF EXISTS audit_fault ON audit_entries`.execute(db);
  await sql`DROP FUNCTION IF EXISTS audit_fault()`.execute(db);
}

/** How many entries of `kind` the log holds (about `approvalId` or `agent`, when given). */
export async function entriesOf(
  db: Kysely<Database>,
  kind: string,
  about: { approvalId?: string; agent?: string } = {},
): Promise<number> {
  let q = db
    .selectFrom('audit_entries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', kind);
  if (about.approvalId) q = q.where('approval_id', '=', about.approvalId);
  if (about.agent) q = q.where('agent', '=', about.agent);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
