// Human approvals bound to one exact call. Every state change is a single conditional UPDATE, so
// it is atomic across nodes: an approval is decided once and used once.
import { type Kysely, sql } from 'kysely';
import { databaseNow } from '../db/clock.js';
import type { ApprovalTable, Database } from '../db/schema.js';
import type { Reason } from './decide.js';

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'used' | 'revoked';

export interface Approval {
  id: string;
  decisionId: string;
  agent: string;
  tool: string;
  arguments: unknown;
  dataDomains: string[];
  reasons: Reason[];
  status: ApprovalStatus;
  createdAt: string;
  expiresAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
  usedAt: string | null;
  usedDecisionId: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
  /** Who may not decide it (separation of duties): the agent's owner when the call asked. */
  agentOwner: string | null;
  /** Who may not decide it either: the Person who issued the key the call came with. */
  keyIssuer: string | null;
  /** The OAuth client whose access token the call came with (null for an agent key). */
  oauthClient: string | null;
  /** Who may not decide it either: everyone who bound that client to the agent. */
  clientBinders: string[];
}

export function toApproval(r: ApprovalTable, now = new Date().toISOString(), clientBinders: string[] = []): Approval {
  const expired = r.status === 'pending' || r.status === 'approved' ? r.expires_at <= now : false;
  return {
    id: r.id,
    decisionId: r.decision_id,
    agent: r.agent,
    tool: r.tool,
    arguments: JSON.parse(r.arguments),
    dataDomains: JSON.parse(r.data_domains),
    reasons: JSON.parse(r.reasons),
    status: expired ? 'expired' : r.status,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    comment: r.comment,
    usedAt: r.used_at,
    usedDecisionId: r.used_decision_id,
    revokedAt: r.revoked_at,
    revokedReason: r.revoked_reason,
    agentOwner: r.agent_owner,
    keyIssuer: r.key_issuer,
    oauthClient: r.oauth_client,
    clientBinders,
  };
}

/** Who bound each of `rows`' OAuth clients to its agent, by `agent\u0000client`. */
async function bindersOf(db: Kysely<Database>, rows: readonly ApprovalTable[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const clients = [...new Set(rows.flatMap((r) => (r.oauth_client === null ? [] : [r.oauth_client])))];
  if (clients.length === 0) return out;
  const found = await db
    .selectFrom('agent_client_binders')
    .select(['agent', 'client_id', 'person'])
    .where('client_id', 'in', clients)
    .orderBy('person')
    .execute();
  for (const b of found) {
    const key = `${b.agent}\u0000${b.client_id}`;
    out.set(key, [...(out.get(key) ?? []), b.person]);
  }
  return out;
}

const binderKey = (r: ApprovalTable) => `${r.agent}\u0000${r.oauth_client}`;

/**
 * Names one call (agent, tool, canonical arguments) while its approval is open: the same call joins
 * that approval instead of opening another. (Frozen in migration 20261202T0100: change both or neither.)
 */
export function openKey(agent: string, tool: string, argumentsHash: string): string {
  return `${agent}\n${tool}\n${argumentsHash}`;
}

/** Why approvals end revoked: a suspension ended them, */
export const AGENT_SUSPENDED = 'agent suspended';
/** or the resume did, as they were opened after the suspension's revocation ran (see setSuspended), */
export const OPENED_WHILE_SUSPENDED = 'opened while the agent was suspended';
/**
 * or a registry write deleted the agent: one registered later under the same name is another agent,
 * and neither spends nor joins what was asked for or granted to the one deleted,
 */
export const AGENT_REMOVED = 'agent removed from the registry';
/** or a registry write set its descriptor's `status` to `suspended` or `retired` (as the kill switch), */
export const statusChanged = (status: string) => `agent ${status} (its descriptor's status)`;
/** or one put it in, or moved its initiative to, a stage whose agents may do nothing. */
export const initiativeStopped = (initiative: string, stage: string) => `its initiative ${initiative} is at stage ${stage}`;
/** or one removed the Tool called: one registered later under the name may be another system, another effect. */
export const toolRemoved = (tool: string) => `tool ${tool} removed from the registry`;
/** or one took the Tool from what the agent may call (its archetype's tools, its extraTools). */
export const toolWithdrawn = (tool: string) => `tool ${tool} no longer among the agent's tools`;
/** or one changed what an approver was shown of the Tool: its effect, its system, its arguments' schema. */
export const toolChanged = (tool: string, what: string) => `tool ${tool} changed (${what})`;

/** An approval a registry write revoked, for the audit act the write records once it commits. */
export interface RevokedApproval {
  id: string;
  agent: string;
  tool: string;
  dataDomains: string[];
  reason: string;
}

/**
 * Revokes every approval of `agent` still pending, or approved and unspent, in the suspending
 * transaction: a grant made before the suspension does not let the call through after the resume
 * (whatever the suspension was for may have been that very call), and nobody can grant a request
 * made before it. The same call asks a person again after the resume. Returns those revoked. The
 * resuming transaction runs it too, for those opened after the suspension's ran; and a registry
 * write that deletes the agent or stops it (its status, its initiative's stage) runs it in its own.
 */
export async function revokeApprovalsOf(
  db: Kysely<Database>,
  agent: string,
  now: string,
  reason: string,
): Promise<Array<Pick<ApprovalTable, 'id' | 'tool' | 'data_domains'>>> {
  // One conditional UPDATE, as every state change: a decision or a spend racing it (another node) is
  // ordered before or after it by the row's lock, never half of each.
  return db
    .updateTable('approvals')
    .set({ status: 'revoked', revoked_at: now, revoked_reason: reason, open_key: null })
    .where('agent', '=', agent)
    .where('status', 'in', ['pending', 'approved'])
    .where('expires_at', '>', now)
    .returning(['id', 'tool', 'data_domains'])
    .execute();
}

/**
 * Revokes every approval of a call to `tool` still pending, or approved and unspent, in the registry
 * write that removes the Tool (whichever agent asked), or takes it from `agent`'s tools: nobody grants a
 * call the registry no longer allows, and a grant does not let it through once it is allowed again (or
 * another Tool is registered under the name). Returns those revoked.
 */
export async function revokeApprovalsForTool(
  db: Kysely<Database>,
  tool: string,
  now: string,
  reason: string,
  agent?: string,
): Promise<Array<Pick<ApprovalTable, 'id' | 'agent' | 'tool' | 'data_domains'>>> {
  let q = db.updateTable('approvals').set({ status: 'revoked', revoked_at: now, revoked_reason: reason, open_key: null });
  if (agent !== undefined) q = q.where('agent', '=', agent);
  return q
    .where('tool', '=', tool)
    .where('status', 'in', ['pending', 'approved'])
    .where('expires_at', '>', now)
    .returning(['id', 'agent', 'tool', 'data_domains'])
    .execute();
}

/**
 * Marks every approval of `agent` as its deleted registration's, in the deleting transaction: an agent
 * registered again under the name reads none of them (they hold the calls' arguments), and presents
 * none (they were revoked with the deletion).
 */
export async function markAgentRemoved(db: Kysely<Database>, agent: string, now: string): Promise<void> {
  await db
    .updateTable('approvals')
    .set({ agent_removed_at: now })
    .where('agent', '=', agent)
    .where('agent_removed_at', 'is', null)
    .execute();
}

/** The count of `agent`'s approvals waiting for a person at `now`, read through approvals_pending_agent. */
export function pendingCount(db: Kysely<Database>, agent: string, now: string) {
  return (
    db
      .selectFrom('approvals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      // A literal, not a parameter: the planner uses the partial index only when it can see that the
      // query asks for what the index holds.
      .where('status', '=', sql.lit('pending'))
      .where('agent', '=', agent)
      .where('expires_at', '>', now)
  );
}

export function createApprovalStore(db: Kysely<Database>) {
  return {
    async insert(row: ApprovalTable): Promise<void> {
      await db.insertInto('approvals').values(row).execute();
    },

    /** `now`: the time its status is told at (expired or not); the database's clock unless given.
     *  `registered`: only one whose agent was not deleted since (what an agent may read). */
    async get(id: string, now?: string, registered = false): Promise<Approval | undefined> {
      let q = db.selectFrom('approvals').selectAll().where('id', '=', id);
      if (registered) q = q.where('agent_removed_at', 'is', null);
      const row = await q.executeTakeFirst();
      if (!row) return undefined;
      const binders = await bindersOf(db, [row]);
      return toApproval(row, now ?? (await databaseNow(db)).toISOString(), binders.get(binderKey(row)));
    },

    /** `registered`: only those whose agent was not deleted since (what an agent may read). */
    async list(opts: { status?: ApprovalStatus; agent?: string; registered?: boolean; limit: number }): Promise<Approval[]> {
      // Expired or not by the database's clock, as approvals are opened, decided and spent.
      const now = (await databaseNow(db)).toISOString();
      let q = db.selectFrom('approvals').selectAll().orderBy('created_at', 'desc').limit(opts.limit);
      if (opts.agent) q = q.where('agent', '=', opts.agent);
      if (opts.registered) q = q.where('agent_removed_at', 'is', null);
      if (opts.status === 'expired') q = q.where('status', 'in', ['pending', 'approved']).where('expires_at', '<=', now);
      else if (opts.status === 'pending' || opts.status === 'approved')
        q = q.where('status', '=', opts.status).where('expires_at', '>', now);
      else if (opts.status) q = q.where('status', '=', opts.status);
      const rows = await q.execute();
      const binders = await bindersOf(db, rows);
      return rows.map((r) => toApproval(r, now, binders.get(binderKey(r))));
    },

    /** How many of `agent`'s approvals wait for a person at `now` (pending, unexpired). */
    async pendingOf(agent: string, now: string): Promise<number> {
      return Number((await pendingCount(db, agent, now).executeTakeFirstOrThrow()).n);
    },

    /** pending → approved|denied, only while pending and unexpired. */
    async decide(id: string, to: 'approved' | 'denied', by: string, comment: string | null, now: string): Promise<boolean> {
      let update = db
        .updateTable('approvals')
        .set({ status: to, decided_by: by, decided_at: now, comment })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('expires_at', '>', now);
      // Not granted while its agent is suspended: a suspension revokes the agent's open approvals, but one
      // opened by a group commit on another node that read the registry just before the suspension
      // committed is written after the revocation ran. In the same statement, so a suspension committed
      // first is seen (denying it stays possible).
      if (to === 'approved')
        update = update.where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('agent_controls')
                .select('agent_controls.agent')
                .whereRef('agent_controls.agent', '=', 'approvals.agent'),
            ),
          ),
        );
      const r = await update.executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** approved → used, only for the same agent, tool and arguments, before expiry. */
    async use(u: {
      id: string;
      agent: string;
      tool: string;
      argumentsHash: string;
      decisionId: string;
      now: string;
    }): Promise<boolean> {
      const r = await db
        .updateTable('approvals')
        .set({ status: 'used', used_at: u.now, used_decision_id: u.decisionId, open_key: null })
        .where('id', '=', u.id)
        .where('status', '=', 'approved')
        .where('agent', '=', u.agent)
        .where('tool', '=', u.tool)
        .where('arguments_hash', '=', u.argumentsHash)
        .where('expires_at', '>', u.now)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** The approval open for a call (see openKey), if any; an expired one is closed and not returned. */
    async open(key: string, now: string): Promise<ApprovalTable | undefined> {
      const row = await db.selectFrom('approvals').selectAll().where('open_key', '=', key).executeTakeFirst();
      if (!row || row.expires_at > now) return row;
      await db.updateTable('approvals').set({ open_key: null }).where('id', '=', row.id).where('open_key', '=', key).execute();
      return undefined;
    },

    /** Inserts an approval open for its call; false when another (another node's, just now) is open for it. */
    async insertOpen(row: ApprovalTable): Promise<boolean> {
      const inserted = await db
        .insertInto('approvals')
        .values(row)
        .onConflict((oc) => oc.column('open_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async row(id: string): Promise<ApprovalTable | undefined> {
      return db.selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Whether `person` ever bound OAuth client `client` to Agent `agent` (its `spec.oauthClientId`). */
    async boundClient(person: string, agent: string, client: string): Promise<boolean> {
      const row = await db
        .selectFrom('agent_client_binders')
        .select('person')
        .where('agent', '=', agent)
        .where('client_id', '=', client)
        .where('person', '=', person)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** The Person who issued agent key `keyId` (its `created_by`), or null: the admin token, no key (an OAuth access token). */
    async keyIssuer(keyId: string): Promise<string | null> {
      if (keyId === '') return null;
      const row = await db.selectFrom('credentials').select('created_by').where('id', '=', keyId).executeTakeFirst();
      return row?.created_by.startsWith('person:') ? row.created_by.slice('person:'.length) : null;
    },
  };
}
