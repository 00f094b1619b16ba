// Reading the audit log: the entries, their verification and the latest signed checkpoint. Who may
// read it is decided here, once: people with a role (every role reads), the admin token, Fulcrum
// itself; never an agent or a telemetry collector key.
import type { Kysely } from 'kysely';
import { assertCan, describe, type Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { ConflictError, NotAllowedError, NotFoundError } from '../errors.js';
import { latestCheckpoint } from './audit-checkpoint.js';
import type { AuditVerifier } from './audit-key.js';
import { type AuditQuery, queryAudit } from './audit-query.js';
import { type VerifyReport, verifyAudit } from './audit-verify.js';

export type AuditReader = ReturnType<typeof createAuditReader>;

export function createAuditReader(
  db: Kysely<Database>,
  key: AuditVerifier,
  /** `rotating`: this node was started with FULCRUM_AUDIT_KEY_ROTATE=1, its key the one to sign from now on. */
  opts: { rotating?: boolean } = {},
) {
  let verifying: Promise<VerifyReport> | undefined;
  function assertReader(actor: Principal): void {
    if (actor.type !== 'person' && actor.type !== 'admin' && actor.type !== 'system')
      throw new NotAllowedError(`${describe(actor)} may not read the audit log (agent and collector keys send, people read)`);
    assertCan(actor, 'registry.read');
  }

  return {
    /** Entries, newest first. */
    async query(actor: Principal, q: AuditQuery) {
      assertReader(actor);
      return queryAudit(db, q);
    },

    /** Every chain walked and checked against the signed checkpoints. One walk at a time: a request
     *  while one runs gets its answer (as of when it began), so readers asking at once cannot make the
     *  node walk a large log many times over (each walk reads every entry, docs/audit.md "Cost"). */
    async verify(actor: Principal) {
      assertReader(actor);
      verifying ??= verifyAudit(db, { verifier: key }).finally(() => {
        verifying = undefined;
      });
      return verifying;
    },

    /** The newest signed checkpoint, for an outside witness to keep. */
    async checkpoint(actor: Principal) {
      assertReader(actor);
      const latest = await latestCheckpoint(db, key);
      if (!latest) throw new NotFoundError('no signed audit checkpoint yet: one is written within a minute of the first entry');
      return latest.checkpoint;
    },

    /**
     * Public: the key that checks the checkpoints. A node whose key is not the one the newest checkpoint
     * names does not sign (docs/audit.md "Clusters"); its key would check nothing, and a witness
     * keeping it would learn so only when a verification fails: it answers 409 naming both keys instead.
     */
    async publicKey() {
      const newest = await db
        .selectFrom('audit_signed_checkpoints')
        .select('key_id')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      // A node rotating the key serves the new one before its first checkpoint signed with it has landed.
      if (newest && newest.key_id !== key.keyId && !opts.rotating)
        throw new ConflictError(
          `this node's audit key (${key.keyId}) is not the key the newest checkpoint was signed with (${newest.key_id}), ` +
            'so this node does not sign and its key checks nothing: ask a node that signs, or give every node the same key ' +
            'file (FULCRUM_AUDIT_KEY_FILE, docs/audit.md)',
          { nodeKeyId: key.keyId, signingKeyId: newest.key_id },
        );
      return { algorithm: 'Ed25519' as const, keyId: key.keyId, publicKey: key.publicKeyPem };
    },
  };
}
