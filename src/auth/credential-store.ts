// Person API tokens, agent keys and telemetry-collector keys, stored hashed.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export type SubjectKind = 'Person' | 'Agent' | 'TelemetryCollector';
export type CredentialStore = ReturnType<typeof createCredentialStore>;

export interface CredentialInfo {
  id: string;
  prefix: string;
  description: string | null;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  /** Who revoked it; null while live, and for credentials revoked before this was recorded. */
  revokedBy: string | null;
}

const COLUMN = { Person: 'person', Agent: 'agent', TelemetryCollector: 'collector' } as const;
const kindColumn = (k: SubjectKind) => COLUMN[k];

export function createCredentialStore(db: Kysely<Database>) {
  return {
    async insert(row: {
      id: string;
      kind: SubjectKind;
      subject: string;
      hash: string;
      prefix: string;
      description: string | null;
      createdBy: string;
      now: string;
    }): Promise<void> {
      await db
        .insertInto('credentials')
        .values({
          id: row.id,
          subject_kind: kindColumn(row.kind),
          subject: row.subject,
          token_hash: row.hash,
          prefix: row.prefix,
          description: row.description,
          created_at: row.now,
          created_by: row.createdBy,
          revoked_at: null,
          revoked_by: null,
        })
        .execute();
    },

    async list(kind: SubjectKind, subject: string): Promise<CredentialInfo[]> {
      const rows = await db
        .selectFrom('credentials')
        .selectAll()
        .where('subject_kind', '=', kindColumn(kind))
        .where('subject', '=', subject)
        .orderBy('created_at')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        prefix: r.prefix,
        description: r.description,
        createdAt: r.created_at,
        createdBy: r.created_by,
        revokedAt: r.revoked_at,
        revokedBy: r.revoked_by,
      }));
    },

    /** The subject's live credentials, and how many it was issued since `since`. */
    async counts(kind: SubjectKind, subject: string, since: string): Promise<{ live: number; issuedSince: number }> {
      const rows = await db
        .selectFrom('credentials')
        .select(['created_at', 'revoked_at'])
        .where('subject_kind', '=', kindColumn(kind))
        .where('subject', '=', subject)
        .where((eb) => eb.or([eb('revoked_at', 'is', null), eb('created_at', '>=', since)]))
        .execute();
      return {
        live: rows.filter((r) => r.revoked_at === null).length,
        issuedSince: rows.filter((r) => r.created_at >= since).length,
      };
    },

    /** Revokes one credential, by `by` (actorName); its prefix, or undefined when there is no such live credential. */
    async revoke(
      kind: SubjectKind,
      subject: string,
      id: string,
      now: string,
      by: string,
    ): Promise<{ prefix: string } | undefined> {
      return db
        .updateTable('credentials')
        .set({ revoked_at: now, revoked_by: by })
        .where('id', '=', id)
        .where('subject_kind', '=', kindColumn(kind))
        .where('subject', '=', subject)
        .where('revoked_at', 'is', null)
        .returning('prefix')
        .executeTakeFirst();
    },

    /** Revokes every live credential of `subject`, by `by`: the ids and prefixes of those it revoked. */
    async revokeAllFor(
      kind: SubjectKind,
      subject: string,
      now: string,
      by: string,
    ): Promise<Array<{ id: string; prefix: string }>> {
      const rows = await db
        .updateTable('credentials')
        .set({ revoked_at: now, revoked_by: by })
        .where('subject_kind', '=', kindColumn(kind))
        .where('subject', '=', subject)
        .where('revoked_at', 'is', null)
        .returning(['id', 'prefix'])
        .execute();
      // By id: the log lists them in one order on both engines (RETURNING promises none).
      return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },

    async findByHash(hash: string) {
      return db.selectFrom('credentials').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    },
  };
}
