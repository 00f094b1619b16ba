// Sessions of people signed in through the IdP: the console's cookie and `fulcrum login`'s bearer
// token are both `fss_` secrets whose SHA-256 is a row of console_sessions (every node sees it). The
// person's roles are read from their Person descriptor at every request, as for API tokens.
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import { databaseNow } from '../db/clock.js';
import type { Database } from '../db/schema.js';
import { ConflictError } from '../errors.js';
import { type ActRecord, type ChangeWithActs, changeWithoutLog } from '../guard/audit.js';
import { sameEmail } from '../registry/email.js';
import { createRegistryStore } from '../registry/registry-store.js';
import type { Principal } from './principal.js';
import { hashToken, newSecret } from './tokens.js';

export const SESSION_PREFIX = 'fss_';
/** `fss_` + 32 random bytes in base64url: anything else is not a session and costs no lookup. */
const SESSION_SHAPE = /^fss_[A-Za-z0-9_-]{43}$/;

export type SessionKind = 'browser' | 'cli';
export type ConsoleSessions = ReturnType<typeof createConsoleSessions>;

/**
 * `issuer`: the IdP people sign in through (FULCRUM_OIDC_ISSUER). A session is tied to the issuer it
 * was made through: without single sign-on no session is accepted, and after a move to another IdP
 * (after a compromise, say) the old one's sessions are over (found by review: both kept working).
 */
export function createConsoleSessions(deps: {
  db: Kysely<Database>;
  ttlSeconds: number;
  issuer: string | undefined;
  /** A session started or ended with its audit entry, in one transaction (src/guard/audit.ts). Absent
   *  (a store without an audit log), the change is made alone and `act` is not recorded. */
  changeWithActs?: ChangeWithActs;
}) {
  const { db, issuer } = deps;
  const changeWithActs: ChangeWithActs = deps.changeWithActs ?? changeWithoutLog(db);

  /**
   * When a session is over: as it was given, or sooner where the session length in force is shorter.
   * The length was only applied when the session was made, so an operator shortening
   * FULCRUM_SESSION_HOURS (from 720, say, after a stolen laptop) left every session already made
   * working for as long as the old setting gave it.
   */
  function endOf(row: { created_at: string; expires_at: string }): string {
    const end = Math.min(Date.parse(row.created_at) + deps.ttlSeconds * 1000, Date.parse(row.expires_at));
    return Number.isFinite(end) ? new Date(end).toISOString() : row.expires_at;
  }

  return {
    /**
     * Starts a session for `person` signed in as `email`; the secret is returned once and only its hash
     * is kept. Undefined when the Person is gone or their email is another by now: the check and the
     * insert are one transaction under the registry lock, so a registry write deleting the Person or
     * moving the email comes wholly before (no session) or after (it deletes this one). A sign-in that
     * found the Person before such a write and stored its session after it outlived the change, and
     * worked again once the Person was registered again (found by review). `act` (the sign-in's entry)
     * is written in the same transaction when the session is made: never a session unrecorded.
     */
    async create(
      person: string,
      email: string,
      kind: SessionKind,
      act?: ActRecord,
    ): Promise<{ token: string; expiresAt: string } | undefined> {
      if (issuer === undefined) throw new Error('no session is made without single sign-on (FULCRUM_OIDC_ISSUER)');
      const token = newSecret(SESSION_PREFIX);
      const hash = hashToken(token);
      let expiresAt = '';
      const made = await changeWithActs(async (trx) => {
        const registry = createRegistryStore(trx);
        await registry.lock();
        // By the database's clock, which every node judges the session by (authenticate).
        const at = await databaseNow(trx);
        expiresAt = new Date(at.getTime() + deps.ttlSeconds * 1000).toISOString();
        const found = await registry.get('Person', person);
        if (!found || !sameEmail(found.spec.email, email)) return { value: false, acts: [] };
        // Ended sessions go as new ones start: the table holds live sessions and a few stale ones.
        await trx.deleteFrom('console_sessions').where('expires_at', '<=', at.toISOString()).execute();
        await trx
          .insertInto('console_sessions')
          .values({
            token_hash: hash,
            person,
            email,
            kind,
            issuer,
            created_at: at.toISOString(),
            expires_at: expiresAt,
          })
          .execute();
        // The entry names the session as GET /v1/people/<name>/sessions does, so a session listed
        // there can be traced to its sign-in (when, and through which flow) before it is ended.
        return { value: true, acts: act ? [{ ...act, detail: { ...act.detail, session: sessionId(hash) } }] : [] };
      });
      return made ? { token, expiresAt } : undefined;
    },

    /**
     * The person a live session belongs to, or undefined: unknown, expired, made through another
     * issuer (or single sign-on is off), the Person deleted, or their email no longer the one they
     * signed in with (moving an email moves who signs in). A Person deleted or whose email moved has
     * their sessions deleted in the same transaction (registry-service.ts), so registering them again,
     * or moving the email back, brings none back.
     *
     * Over by the database's clock, as approvals expire (src/db/clock.ts): judged by this node's, a node
     * whose clock ran behind the others' still took a session every other node held as over, for as
     * long as its clock was off (found by review; test/auth/session-clock.test.ts).
     */
    async authenticate(token: string): Promise<(Principal & { type: 'person' }) | undefined> {
      if (issuer === undefined || !SESSION_SHAPE.test(token)) return undefined;
      const [row, at] = await Promise.all([
        db.selectFrom('console_sessions').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst(),
        databaseNow(db),
      ]);
      if (!row || endOf(row) <= at.toISOString() || row.issuer !== issuer) return undefined;
      // As committed: roles taken away (or the Person deleted) through another node bind at once.
      const person = await createRegistryStore(db).get('Person', row.person);
      if (!person || !sameEmail(person.spec.email, row.email)) return undefined;
      return { type: 'person', id: row.person, roles: person.spec.roles, tokenId: sessionId(row.token_hash) };
    },

    async expiresAt(token: string): Promise<string | undefined> {
      if (issuer === undefined || !SESSION_SHAPE.test(token)) return undefined;
      const row = await db
        .selectFrom('console_sessions')
        .select(['created_at', 'expires_at'])
        .where('token_hash', '=', hashToken(token))
        .executeTakeFirst();
      return row ? endOf(row) : undefined;
    },

    /** Ends a session, with `act(person)` (the sign-out's entry) in the same transaction; its person
     *  when there was one. */
    async end(token: string, act?: (person: string) => ActRecord): Promise<{ person: string } | undefined> {
      if (!SESSION_SHAPE.test(token)) return undefined;
      const hash = hashToken(token);
      return changeWithActs(async (trx) => {
        const row = await trx
          .deleteFrom('console_sessions')
          .where('token_hash', '=', hash)
          .returning('person')
          .executeTakeFirst();
        if (!row) return { value: undefined, acts: [] };
        return { value: { person: row.person }, acts: act ? [act(row.person)] : [] };
      });
    },

    /**
     * A person's live sessions, oldest first, never their secrets: each named by `session:` and the start
     * of its hash, as its `auth.signed-in` and `auth.signed-out` entries name it. Over ones, and those of
     * another issuer, are not listed: they authenticate nothing.
     */
    async listOf(person: string): Promise<{ items: SessionInfo[]; more: boolean }> {
      if (issuer === undefined) return { items: [], more: false };
      const at = (await databaseNow(db)).toISOString();
      const rows = await db
        .selectFrom('console_sessions')
        .select(['token_hash', 'kind', 'created_at', 'expires_at', 'issuer'])
        .where('person', '=', person)
        .where('expires_at', '>', at)
        .orderBy('created_at')
        .orderBy('token_hash')
        .limit(MAX_LISTED + 1)
        .execute();
      const items = rows
        .slice(0, MAX_LISTED)
        .filter((r) => r.issuer === issuer && endOf(r) > at)
        .map((r) => ({
          id: sessionId(r.token_hash),
          kind: r.kind as SessionKind,
          createdAt: r.created_at,
          expiresAt: endOf(r),
        }));
      return { items, more: rows.length > MAX_LISTED };
    },

    /**
     * Ends the sessions of `person` that `which` names (one id, or all of them but `keep`, a session id
     * the caller signs in with), each with `act` in the same transaction: the sessions ended, in the
     * order they started. An id that matches none of the person's live sessions ends nothing.
     */
    async endSessions(
      person: string,
      which: { id: string } | { allBut?: string },
      act: (ended: Array<{ id: string; kind: SessionKind }>) => ActRecord,
    ): Promise<Array<{ id: string; kind: SessionKind }>> {
      return changeWithActs(async (trx) => {
        let q = trx.selectFrom('console_sessions').select(['token_hash', 'kind']).where('person', '=', person);
        if ('id' in which) {
          const prefix = SESSION_ID_SHAPE.exec(which.id)?.[1];
          if (!prefix) return { value: [], acts: [] };
          q = q.where('token_hash', 'like', `${prefix}%`); // hex: nothing in it is a pattern
        }
        const rows = (await q.orderBy('created_at').orderBy('token_hash').execute()).filter(
          (r) => !('allBut' in which) || sessionId(r.token_hash) !== which.allBut,
        );
        // 48 bits of a hash name a session among one person's: two alike would be a 1 in 10^14 chance,
        // and ending both on one id is refused rather than guessed at.
        if ('id' in which && rows.length > 1)
          throw new ConflictError(`${rows.length} sessions of "${person}" have the id ${which.id}: end them all instead`);
        for (let i = 0; i < rows.length; i += 500)
          await trx
            .deleteFrom('console_sessions')
            .where(
              'token_hash',
              'in',
              rows.slice(i, i + 500).map((r) => r.token_hash),
            )
            .execute();
        const ended = rows.map((r) => ({ id: sessionId(r.token_hash), kind: r.kind as SessionKind }));
        return { value: ended, acts: ended.length ? [act(ended)] : [] };
      });
    },
  };
}

/** The most sessions of one person listed: one more is how a caller learns there are more. */
export const MAX_LISTED = 1000;

export interface SessionInfo {
  id: string;
  kind: SessionKind;
  createdAt: string;
  expiresAt: string;
}

/** A session's public name, as its audit entries and the person's principal (`tokenId`) give it. */
export const sessionId = (tokenHash: string): string => `session:${tokenHash.slice(0, 12)}`;
const SESSION_ID_SHAPE = /^session:([0-9a-f]{12})$/;

export const looksLikeSession = (token: string): boolean => SESSION_SHAPE.test(token);

/**
 * The CSRF token of a console session: an HMAC keyed by the session secret, so only who holds the
 * cookie's value (the server, and the console through GET /auth/session, which no other origin can
 * read) can make it, and a database reader (who sees hashes only) cannot.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('fulcrum-csrf').digest('base64url');
}

/**
 * Ends, in `trx` (the registry write's transaction), the sessions a registry change takes away: every
 * session of a Person deleted, and those of a Person whose email moved that were made with another
 * email than the new one. Otherwise a session only looked ended while the Person was gone or the email
 * elsewhere, and worked again once the Person was registered again or the email moved back.
 */
export async function endSessionsOf(trx: Kysely<Database>, person: string, email: string | null | undefined): Promise<void> {
  if (email === null || email === undefined) {
    await trx.deleteFrom('console_sessions').where('person', '=', person).execute();
    return;
  }
  const rows = await trx.selectFrom('console_sessions').select(['token_hash', 'email']).where('person', '=', person).execute();
  const gone = rows.filter((r) => !sameEmail(r.email, email)).map((r) => r.token_hash);
  for (let i = 0; i < gone.length; i += 500)
    await trx
      .deleteFrom('console_sessions')
      .where('token_hash', 'in', gone.slice(i, i + 500))
      .execute();
}
