// Authentication (bearer token → principal) and the lifecycle of person tokens, agent keys and
// telemetry-collector keys.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ConflictError, NotAllowedError, NotFoundError } from '../errors.js';
import { type ActRecord, type ChangeWithActs, changeWithoutLog } from '../guard/audit.js';
import { createRegistryStore, type RegistryStore } from '../registry/registry-store.js';
import type { AgentSpec, PersonSpec, TelemetryCollectorSpec } from '../registry/schemas.js';
import { type CredentialInfo, type CredentialStore, createCredentialStore, type SubjectKind } from './credential-store.js';
import { actorName, can, describe, hasRole, type Principal } from './principal.js';
import { displayPrefix, hashToken, newId, newSecret, sameHash, TOKEN_PREFIX } from './tokens.js';

export type AuthService = ReturnType<typeof createAuthService>;

/**
 * Credentials one subject may hold and be issued. Every agent key, revoked or not, is a row each node
 * reads, and an agent's owner (who needs no role) issues and revokes its keys: without a bound, a
 * script issuing keys in a loop grew every node's key table without end. Rotation needs two live.
 */
export const MAX_LIVE_CREDENTIALS = 50;
export const MAX_ISSUED_PER_DAY = 100;
const DAY_MS = 86_400_000;

const SECRET_PREFIX: Record<SubjectKind, string> = {
  Person: TOKEN_PREFIX.person,
  Agent: TOKEN_PREFIX.agent,
  TelemetryCollector: TOKEN_PREFIX.collector,
};

export interface Issued {
  id: string;
  /** The secret: returned once, never stored. */
  token: string;
  prefix: string;
}

/**
 * What a credential's entry says of it: whose it is, its id and the prefix its holder recognises it by.
 * Never the secret nor its hash: who reads the log may neither call with it nor test a guess against it.
 */
function about(kind: SubjectKind, subject: string, id: string, prefix: string): Record<string, unknown> {
  return { subjectKind: kind, subject, credential: id, prefix };
}
const agentOf = (kind: SubjectKind, subject: string): string | null => (kind === 'Agent' ? subject : null);

export function createAuthService(deps: {
  db: Kysely<Database>;
  registryStore: RegistryStore;
  adminTokenHash: string;
  /** Agent keys changed: the guard's in-memory key table must refresh. */
  onAgentKeysChanged?: () => void;
  /** A credential issued or revoked with its audit entry, in one transaction (src/guard/audit.ts). Absent
   *  (a service without an audit log), the change is made alone and its entry dropped. */
  changeWithActs?: ChangeWithActs;
}) {
  const credentials = createCredentialStore(deps.db);
  const { registryStore } = deps;
  const changeWithActs: ChangeWithActs = deps.changeWithActs ?? changeWithoutLog(deps.db);

  /**
   * Writes a credential change, once the caller may make it. The check and the write are one
   * transaction under the registry lock, so a registry write (deleting the Agent or Person, moving its
   * owner) comes wholly before or after: a key whose issue read its Agent before the deletion and was
   * stored after it outlived the deletion, and worked for the next Agent of that name (found by
   * review). Agent keys live in every node's guard snapshot: for them the revision moves too (the
   * lock taken that way), so every node reloads and a decision committed after the change is checked
   * against it. The change commits with its audit entry (`act`), or not at all: who issued a key and who
   * revoked it are in the log, as every other human act is (docs/audit.md).
   */
  async function changeCredentials<T>(
    actor: Principal,
    kind: SubjectKind,
    name: string,
    write: (store: CredentialStore) => Promise<{ value: T; act: ActRecord }>,
  ): Promise<T> {
    const out = await changeWithActs(async (trx) => {
      const registry = createRegistryStore(trx);
      if (kind === 'Agent') await registry.bumpRevision();
      else await registry.lock();
      await assertManages(actor, kind, name, registry);
      const { value, act } = await write(createCredentialStore(trx));
      return { value, acts: [act] };
    });
    if (kind === 'Agent') deps.onAgentKeysChanged?.();
    return out;
  }

  /**
   * Admin, or the person themself, manage a person's tokens; admin, platform or the owner, the keys of
   * an agent or a telemetry collector. A name that names nothing is 404 only to a caller who may read
   * the registry: to others (an agent key, a Person with no role) it is refused as a name that exists
   * is, so the answer does not say which People, Agents and collectors exist (found by review).
   */
  async function assertManages(actor: Principal, kind: SubjectKind, name: string, store = registryStore): Promise<void> {
    const refused = () =>
      new NotAllowedError(`${describe(actor)} may not manage the ${kind === 'Person' ? 'tokens' : 'keys'} of ${kind} "${name}"`);
    const o = await store.get(kind, name);
    if (!o) throw can(actor, 'registry.read') ? new NotFoundError(`no ${kind} named "${name}"`) : refused();
    const spec = o.spec;
    if (actor.type === 'admin' || actor.type === 'system') return;
    if (kind === 'Person' && actor.type === 'person' && actor.id === name) return;
    const owner = kind === 'Person' ? undefined : (spec as AgentSpec | TelemetryCollectorSpec).owner;
    if (kind !== 'Person' && (hasRole(actor, 'platform') || (actor.type === 'person' && owner === actor.id))) return;
    throw refused();
  }

  return {
    async authenticate(token: string): Promise<Principal | undefined> {
      const hash = hashToken(token);
      if (sameHash(hash, deps.adminTokenHash)) return { type: 'admin', id: 'admin' };
      const row = await credentials.findByHash(hash);
      if (!row || row.revoked_at) return undefined;
      if (row.subject_kind === 'agent') {
        const agent = await registryStore.get('Agent', row.subject);
        return agent ? { type: 'agent', id: row.subject, keyId: row.id } : undefined;
      }
      if (row.subject_kind === 'collector') {
        const collector = await registryStore.get('TelemetryCollector', row.subject);
        return collector ? { type: 'collector', id: row.subject, keyId: row.id } : undefined;
      }
      const person = await registryStore.get('Person', row.subject);
      if (!person) return undefined;
      return { type: 'person', id: row.subject, roles: (person.spec as PersonSpec).roles, tokenId: row.id };
    },

    async issue(actor: Principal, kind: SubjectKind, subject: string, description?: string): Promise<Issued> {
      // Checked first without the lock too, so a caller refused never holds it.
      await assertManages(actor, kind, subject);
      const token = newSecret(SECRET_PREFIX[kind]);
      const id = newId(kind === 'Person' ? 'tok_' : 'key_');
      const prefix = displayPrefix(token);
      await changeCredentials(actor, kind, subject, async (store) => {
        const now = new Date();
        const { live, issuedSince } = await store.counts(kind, subject, new Date(now.getTime() - DAY_MS).toISOString());
        const what = kind === 'Person' ? 'API tokens' : 'keys';
        if (live >= MAX_LIVE_CREDENTIALS)
          throw new ConflictError(
            `${kind} "${subject}" holds ${live} live ${what}, the most one may: revoke one it no longer uses first`,
          );
        if (issuedSince >= MAX_ISSUED_PER_DAY)
          throw new ConflictError(
            `${kind} "${subject}" was issued ${issuedSince} ${what} in the last 24 hours, the most one may be: try again later`,
          );
        await store.insert({
          id,
          kind,
          subject,
          hash: hashToken(token),
          prefix,
          description: description ?? null,
          createdBy: actorName(actor),
          now: now.toISOString(),
        });
        const detail = { ...about(kind, subject, id, prefix), ...(description === undefined ? {} : { description }) };
        return {
          value: undefined,
          act: { kind: 'credential.issued', actor: actorName(actor), agent: agentOf(kind, subject), detail },
        };
      });
      return { id, token, prefix };
    },

    async list(actor: Principal, kind: SubjectKind, subject: string): Promise<CredentialInfo[]> {
      await assertManages(actor, kind, subject);
      return credentials.list(kind, subject);
    },

    async revoke(actor: Principal, kind: SubjectKind, subject: string, id: string): Promise<void> {
      await assertManages(actor, kind, subject);
      await changeCredentials(actor, kind, subject, async (store) => {
        const revoked = await store.revoke(kind, subject, id, new Date().toISOString(), actorName(actor));
        if (!revoked) throw new NotFoundError(`${kind} "${subject}" has no live credential "${id}"`);
        const detail = about(kind, subject, id, revoked.prefix);
        return {
          value: undefined,
          act: { kind: 'credential.revoked', actor: actorName(actor), agent: agentOf(kind, subject), detail },
        };
      });
    },
  };
}
