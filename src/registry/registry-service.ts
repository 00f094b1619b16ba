// The registry: read descriptors, write one (PUT), delete one, or apply a whole bundle in one
// transaction. Every write validates the whole next registry before anything is written.

import { isDeepStrictEqual } from 'node:util';
import type { Kysely, Transaction } from 'kysely';
import { endSessionsOf } from '../auth/console-sessions.js';
import { createCredentialStore, type SubjectKind } from '../auth/credential-store.js';
import { actorName, assertCan, type Principal } from '../auth/principal.js';
import { databaseNow } from '../db/clock.js';
import { retryOnConflict } from '../db/conflict.js';
import type { Database } from '../db/schema.js';
import { ConflictError, NotAllowedError, NotFoundError, type Problem, ValidationError } from '../errors.js';
import { linkAgentsLeaving, recordDepartures } from '../governance/incident-links.js';
import {
  AGENT_REMOVED,
  initiativeStopped,
  markAgentRemoved,
  type RevokedApproval,
  revokeApprovalsForTool,
  revokeApprovalsOf,
  statusChanged,
  toolChanged,
  toolRemoved,
  toolWithdrawn,
} from '../guard/approval-store.js';
import type { ActRecord, ChangeWithActs } from '../guard/audit.js';
import { servingWarnings } from '../mcp/serving.js';
import { exportFiles, type ParsedDocument, parseFilesSliced, type SourceFile } from './descriptors.js';
import type { Kind } from './kinds.js';
import { type Desired, keyOf, type RegistryObject, RegistrySnapshot, sameDesired } from './model.js';
import { checkPrivilege, clientBindersWritten, initiativesToCheck, stewardsWritten } from './privilege.js';
import { type Change, createRegistryStore } from './registry-store.js';
import { nextTurn, slicer } from './slices.js';
import {
  checkCrossRules,
  checkPolicies,
  checkPoliciesAhead,
  checkReferences,
  policyProblems,
  type RegistryVerdicts,
  referrersOf,
  validateDescriptor,
} from './validate.js';

export interface ApplyOptions {
  dryRun?: boolean;
  /** Delete registry objects the bundle does not contain. */
  prune?: boolean;
}

export interface ApplyResult {
  dryRun: boolean;
  revision: number;
  created: string[];
  updated: string[];
  unchanged: string[];
  deleted: string[];
  /** What the write did that it was not refused for but should not do unsaid (a Tool no longer served). */
  warnings: Problem[];
}

export type PutResult = {
  result: 'created' | 'updated' | 'unchanged';
  object: RegistryObject;
  /** As an apply's (ApplyResult.warnings): a Tool the write stopped an McpServer serving, say. */
  warnings: Problem[];
};

export type RegistryService = ReturnType<typeof createRegistryService>;

/** Thrown inside a transaction to roll it back on purpose (dry runs, no-op applies). */
class Rollback {
  constructor(readonly result: ApplyResult) {}
}

/** Thrown inside a transaction when the policy verdicts computed ahead do not cover what it read. */
class Stale {}

/** How many times a write checks its policies again when concurrent writes keep changing them. */
const COMMIT_ATTEMPTS = 3;

interface CommitOptions {
  remove?: Array<{ kind: Kind; name: string }>;
  prune?: boolean;
  dryRun?: boolean;
  actor: Principal;
  /** What to write, worked out from the registry the write is checked against (again under the lock
   *  when another write came in): a change of one field never writes back what another write changed. */
  derive?: (current: RegistrySnapshot) => Desired[];
  /** Runs in the write's transaction after the descriptors are written; throwing rolls the write back.
   *  The entries it answers commit with the write (a review approved), which is then made in the audit
   *  writer's transaction. */
  inTransaction?: (trx: Transaction<Database>) => Promise<ActRecord[]>;
}

/** What a write puts, in the registry it is checked against. */
const toPut = (current: RegistrySnapshot, put: Desired[], opts: CommitOptions) => (opts.derive ? opts.derive(current) : put);

/** What a write removes and the registry it leaves, from the registry it starts from. */
function plan(current: RegistrySnapshot, put: Desired[], opts: CommitOptions) {
  const wanted = new Set(put.map(keyOf));
  const remove = opts.prune ? [...current.all()].filter((o) => !wanted.has(keyOf(o))) : (opts.remove ?? []);
  return { remove, next: current.with(put, remove) };
}

export interface RegistryOptions {
  db: Kysely<Database>;
  /** Rules from the operator's settings for each descriptor written (e.g. which stdio commands may run). */
  operatorChecks?: (o: Desired) => Problem[];
}

/** Told, after a write commits, of the approvals it revoked (and recorded with it): the guard wakes the calls waiting on them. */
type RevokedListener = (revoked: RevokedApproval[]) => void;

export function createRegistryService({ db, operatorChecks }: RegistryOptions) {
  const store = createRegistryStore(db);
  const listeners: Array<() => void> = [];
  let onRevoked: RevokedListener | undefined;
  /** The audit writer's transaction, for a write that changes credentials (recordWith). */
  let withActs: ChangeWithActs | undefined;

  async function snapshot(): Promise<RegistrySnapshot> {
    return new RegistrySnapshot(await store.loadAll(), await store.revision());
  }

  /**
   * The registry at one revision, for a write to be worked out against: the revision is read before
   * and after the objects, so a write committed in between (every registry write moves the revision
   * in its own transaction) is seen; then it is read again. After three tries the snapshot says it
   * is not at any one revision (NaN), and the write is worked out under the lock.
   */
  async function snapshotAtOneRevision(): Promise<RegistrySnapshot> {
    for (let attempt = 1; ; attempt++) {
      const before = await store.revision();
      const objects = await store.loadAll();
      const after = await store.revision();
      if (before === after || attempt >= 3) return new RegistrySnapshot(objects, before === after ? after : Number.NaN);
    }
  }

  /**
   * Writes `put` (and removes `remove`, or with prune everything not in `put`) in one transaction,
   * after checking the whole next registry. `locate` turns a problem into a file position.
   *
   * Checking Cedar policies is the slow part (a round trip to the Cedar worker, milliseconds per
   * policy), so it runs before the transaction, off the event loop, against the next registry built
   * from a snapshot: neither decisions nor the database's write lock wait for it. The rest of the
   * checks, and what to write, are worked out before the transaction too, from the same snapshot
   * (a registry of thousands of descriptors takes tens of ms to load and check, and a transaction
   * holds the database for every other request of the node). The transaction then takes the
   * registry's write lock (the revision) and, if the registry is still at the snapshot's revision,
   * only writes. If another write came in between, it reads and checks the registry again under
   * the lock, taking its policy problems from the verdicts computed ahead: they are keyed by generated
   * schema and policy text, so whenever they cover the next registry they are its exact answer; when
   * they do not (that write changed a Tool or a Policy), the transaction rolls back and the check
   * runs again, at most COMMIT_ATTEMPTS times, then the write is refused with a conflict and nothing
   * is written.
   */
  async function commit(put: Desired[], opts: CommitOptions, locate: (p: Problem) => Problem = (p) => p): Promise<ApplyResult> {
    for (let attempt = 1; ; attempt++) {
      // Each step below is one piece on the event loop (on SQLite a query answers at once, so the
      // awaits alone do not let anything else run): reading the registry, building the next one,
      // generating its Cedar schema. With thousands of objects each takes ms to tens of ms.
      await nextTurn();
      const current = await snapshotAtOneRevision();
      await nextTurn();
      const putNow = toPut(current, put, opts);
      const planned = plan(current, putNow, opts);
      await nextTurn();
      const verdicts = await checkPoliciesAhead(planned.next);
      // Worked out ahead only when it would write: problems are found again under the lock, against
      // the registry as it is then, and reported from there.
      const ahead = Number.isNaN(current.revision)
        ? undefined
        : await prepare(current, putNow, opts, locate, verdicts, slicer(), planned);
      // The transaction runs in one piece (its statements answer at once on SQLite): it starts afresh.
      await nextTurn();
      try {
        return await write(put, opts, locate, verdicts, ahead && 'changes' in ahead ? ahead : undefined);
      } catch (err) {
        if (!(err instanceof Stale)) throw err;
        if (attempt >= COMMIT_ATTEMPTS)
          throw new ConflictError('the registry kept changing while this write was checked; nothing was written, try again');
      }
    }
  }

  /**
   * A Budget's currency is its imported spend lines' (they carry none of their own), so it does not
   * change while it has any (found by review: re-applied in EUR, an invoice imported as $1,000 read
   * as EUR 1,000). Counted under the registry lock with the write; an import holds that lock shared
   * while it books lines (insight/spend.ts), so neither lands beside the other.
   */
  async function currencyChanges(current: RegistrySnapshot, put: Desired[], reader: typeof store): Promise<Problem[]> {
    const changed = new Map<string, { from: string; to: string }>();
    for (const o of put) {
      if (o.kind !== 'Budget') continue;
      const before = current.get('Budget', o.name)?.spec.currency;
      const after = (o as Desired<'Budget'>).spec.currency;
      if (before !== undefined && before !== after) changed.set(o.name, { from: before, to: after });
    }
    if (changed.size === 0) return [];
    const lines = await reader.importedSpendLines([...changed.keys()]);
    return [...changed].flatMap(([name, { from, to }]) => {
      const n = lines.get(name) ?? 0;
      return n === 0
        ? []
        : [
            {
              kind: 'Budget',
              name,
              path: '/spec/currency',
              message: `${name} has ${n} imported spend line(s) in ${from}, which would read as ${to} (Fulcrum converts no currency): withdraw its imports first (GET /v1/budgets/${name}/spend lists them), or make a new Budget in ${to}`,
            },
          ];
    });
  }

  interface Prepared {
    /** The revision the write was worked out against. */
    base: number;
    result: ApplyResult;
    changes: Change[];
    next: RegistrySnapshot;
    /** The registry it was worked out against. */
    current: RegistrySnapshot;
  }

  /**
   * What a write does to `current`: its changes, or the error that refuses it (thrown). Long for a
   * large registry (building the next registry, checking every reference): in pieces, when called
   * outside a transaction (`pause`).
   */
  async function prepare(
    current: RegistrySnapshot,
    put: Desired[],
    opts: CommitOptions,
    locate: (p: Problem) => Problem,
    verdicts: RegistryVerdicts | undefined,
    pause: () => Promise<void> | undefined = slicer(),
    planned = plan(current, put, opts),
    /** Where the initiatives' stewards are read: the write's transaction when checked under its lock. */
    reader: typeof store = store,
  ): Promise<Prepared | { refused: unknown }> {
    try {
      const { remove, next } = planned;
      await pause();
      // Who holds power is an admin's decision, never one's own: refused whole, before any other check.
      const stewards = await reader.stewardsOf(initiativesToCheck(current, put));
      const privilege = checkPrivilege(opts.actor, current, put, remove, stewards).map(locate);
      if (privilege.length > 0) throw new NotAllowedError(summary(privilege), sorted(privilege));

      const policies = policyProblems(next, verdicts);
      if (policies === undefined) throw new Stale();
      await pause();
      const problems = [
        ...put.flatMap((o) => operatorChecks?.(o) ?? []),
        ...checkReferences(next),
        ...checkCrossRules(next),
        ...policies,
        ...(await currencyChanges(current, put, reader)),
      ].map(locate);
      if (problems.length > 0) throw new ValidationError(summary(problems), sorted(problems));
      await pause();

      const warnings = sorted(servingWarnings(current, next, put).map(locate));
      await pause();

      const revision = current.revision + 1;
      const result: ApplyResult = {
        dryRun: !!opts.dryRun,
        revision,
        created: [],
        updated: [],
        unchanged: [],
        deleted: [],
        warnings,
      };
      const changes: Change[] = [];
      for (const o of put) {
        await pause();
        const before = current.get(o.kind, o.name);
        const action = !before ? 'created' : sameDesired(before, o) ? 'unchanged' : 'updated';
        result[action].push(keyOf(o));
        if (action !== 'unchanged') changes.push({ kind: o.kind, name: o.name, action });
      }
      for (const r of remove) {
        if (!current.has(r.kind, r.name)) continue;
        result.deleted.push(keyOf(r));
        changes.push({ kind: r.kind, name: r.name, action: 'deleted' });
      }
      return { base: current.revision, result, changes, next, current };
    } catch (err) {
      return { refused: err };
    }
  }

  async function write(
    put: Desired[],
    opts: CommitOptions,
    locate: (p: Problem) => Problem,
    verdicts: RegistryVerdicts | undefined,
    ahead: Prepared | undefined,
  ): Promise<ApplyResult> {
    try {
      // Tried again when PostgreSQL ends it as a conflict (a deadlock with a decision's commit or an
      // approval): each try reads the registry under its own lock, and writes only to the database.
      // A write that changes an agent's or a person's credentials (a client bound or unbound, keys
      // revoked by a deletion), or that stops an agent or removes a Tool (and so revokes open approvals), is made in
      // the audit writer's transaction, with the entries recording it: made first and recorded after, a
      // failed entry left the credentials changed, or the approvals revoked, with nothing in the log.
      // Only those: a batch of the writer holds the node's decisions until it commits, and a large
      // apply that touches neither need not. Worked out ahead; when another write came in and the
      // write, checked again under the lock, is one of those after all, it is tried again (Stale).
      const logged = withActs !== undefined && (ahead === undefined || !!opts.inTransaction || recordedWithActs(ahead));
      const run = async (
        body: (
          trx: Transaction<Database>,
        ) => Promise<{ value: { result: ApplyResult; revoked: RevokedApproval[] }; acts: ActRecord[] }>,
      ) => (logged && withActs ? withActs(body) : (await retryOnConflict(() => db.transaction().execute(body))).value);
      const { result, revoked } = await run(async (trx) => {
        const tx = createRegistryStore(trx);
        const revision = await tx.bumpRevision();
        let prepared = ahead?.base === revision - 1 ? ahead : undefined;
        if (!prepared) {
          // Another write came in since the snapshot: everything is checked again under the lock.
          const locked = new RegistrySnapshot(await tx.loadAll(), revision - 1);
          const again = await prepare(locked, toPut(locked, put, opts), opts, locate, verdicts, () => undefined, undefined, tx);
          if ('refused' in again) throw again.refused;
          prepared = again;
          if (!logged && withActs && recordedWithActs(prepared)) throw new Stale();
        }
        if (prepared === ahead) {
          // Spend imports move no revision: a Budget whose currency changes has its lines counted
          // again under the lock, as imports committed since the write was worked out are among them.
          const recounted = (await currencyChanges(prepared.current, toPut(prepared.current, put, opts), tx)).map(locate);
          if (recounted.length > 0) throw new ValidationError(summary(recounted), sorted(recounted));
        }
        const { result, changes, next } = prepared;
        if (opts.dryRun || changes.length === 0) throw new Rollback({ ...result, revision: revision - 1 });

        const now = new Date().toISOString();
        const credentials = createCredentialStore(trx);
        const written: Desired[] = [];
        const revoked: RevokedApproval[] = [];
        const acts = credentialActs(prepared, actorName(opts.actor));
        // An agent deleted, or stopped by the write (its status, its initiative's stage), ends its open
        // approvals as the kill switch does: nobody grants a call it asked before, and a grant made before does not let the
        // call through once it is active again (or registered again under the name). By the
        // database's clock, as approvals are opened and spent; under the revision's lock, which a
        // group commit that opens approvals holds shared (guard-service.ts), so none it opens
        // outlives this write.
        const revokeFor = async (agent: string, reason: string) => {
          const rows = await revokeApprovalsOf(trx, agent, (await databaseNow(trx)).toISOString(), reason);
          for (const r of rows) revoked.push({ id: r.id, agent, tool: r.tool, dataDomains: JSON.parse(r.data_domains), reason });
        };
        // A Tool removed ends the approvals of calls to it, whoever asked, the same way; a Tool taken
        // from an agent's tools, that agent's.
        const revokeCallsTo = async (tool: string, agent?: string, changed?: string) => {
          const reason =
            changed !== undefined ? toolChanged(tool, changed) : agent === undefined ? toolRemoved(tool) : toolWithdrawn(tool);
          const rows = await revokeApprovalsForTool(trx, tool, (await databaseNow(trx)).toISOString(), reason, agent);
          for (const r of rows)
            revoked.push({ id: r.id, agent: r.agent, tool: r.tool, dataDomains: JSON.parse(r.data_domains), reason });
        };
        for (const c of changes) {
          if (c.action === 'deleted') {
            await tx.remove(c.kind, c.name);
            if (c.kind === 'Person' || c.kind === 'Agent' || c.kind === 'TelemetryCollector') {
              const gone = await credentials.revokeAllFor(c.kind, c.name, now, actorName(opts.actor));
              acts.push(...gone.map((k) => revokedAct(prepared, c.kind as SubjectKind, c.name, k, actorName(opts.actor))));
            }
            if (c.kind === 'Person') await endSessionsOf(trx, c.name, null);
            if (c.kind === 'Agent') {
              await revokeFor(c.name, AGENT_REMOVED);
              await markAgentRemoved(trx, c.name, now);
            }
            if (c.kind === 'Tool') await revokeCallsTo(c.name);
          } else {
            const object = next.get(c.kind, c.name) as Desired;
            written.push(object);
            // Sign-in sessions made with an email the Person no longer has end with the change.
            if (c.kind === 'Person')
              await endSessionsOf(trx, object.name, (next.get('Person', c.name) as Desired<'Person'>).spec.email ?? null);
          }
        }
        // Only where the write stops an agent that could act: a large apply that rewrites a proposed
        // initiative of thousands of agents makes no statement for each.
        for (const [agent, why] of agentsStopped(prepared)) await revokeFor(agent, why);
        for (const [agent, tool] of toolsWithdrawn(prepared)) await revokeCallsTo(tool, agent);
        // A Tool whose effect, system or arguments changed is not the one its approvers judged: a grant
        // made when it was "financial" does not let a call through once it is "destructive".
        for (const [tool, what] of toolsChanged(prepared)) await revokeCallsTo(tool, undefined, what);
        // Each approval revoked is an entry committed with the write, as the kill switch's are.
        for (const a of revoked)
          acts.push({
            kind: 'approval.revoked',
            actor: actorName(opts.actor),
            agent: a.agent,
            action: 'tool.call',
            target: a.tool,
            dataDomains: a.dataDomains,
            approvalId: a.id,
            detail: { reason: a.reason },
          });
        // Agents leaving an initiative stay linked to its open incidents, and what they did there
        // keeps the initiative's retention floor (their data stays held).
        const leaving = changes.flatMap((c) => {
          const was = c.kind === 'Agent' ? (prepared.current.get('Agent', c.name) as Desired<'Agent'> | undefined) : undefined;
          const to = c.action === 'deleted' ? null : (next.get('Agent', c.name) as Desired<'Agent'> | undefined)?.spec.initiative;
          return was && to !== was.spec.initiative ? [{ agent: c.name, initiative: was.spec.initiative, to: to ?? null }] : [];
        });
        await linkAgentsLeaving(trx, leaving, actorName(opts.actor), now);
        await recordDepartures(trx, leaving, (i) => prepared.current.get('Initiative', i)?.spec.riskTier, now);
        await tx.upsertAll(written, now);
        await tx.recordChanges(changes, revision, actorName(opts.actor), now);
        await tx.recordStewards(stewardsWritten(prepared.current, written, opts.actor), now);
        await tx.recordClientBinders(clientBindersWritten(prepared.current, written, opts.actor), now);
        acts.push(...((await opts.inTransaction?.(trx)) ?? []));
        return { value: { result, revoked }, acts };
      });
      for (const l of listeners) l();
      if (revoked.length > 0) onRevoked?.(revoked);
      return result;
    } catch (err) {
      if (err instanceof Rollback) return err.result;
      throw err;
    }
  }

  return {
    snapshot,
    revision: () => store.revision(),
    /** Called after every committed change (caches on this node refresh at once). */
    onChange(listener: () => void): void {
      listeners.push(listener);
    },
    /** Sets the audit writer's transaction, in which a write that changes credentials is made with its entries. */
    recordWith(changeWithActs: ChangeWithActs): void {
      withActs = changeWithActs;
    },
    /** Sets who is told of the approvals a write revoked (an Agent deleted or stopped by its status), once it committed. */
    onApprovalsRevoked(listener: RevokedListener): void {
      onRevoked = listener;
    },

    async list(actor: Principal, kind: Kind): Promise<RegistryObject[]> {
      assertCan(actor, 'registry.read');
      return store.list(kind);
    },

    async get(actor: Principal, kind: Kind, name: string): Promise<RegistryObject> {
      assertCan(actor, 'registry.read');
      const o = await store.get(kind, name);
      if (!o) throw new NotFoundError(`no ${kind} named "${name}"`);
      return o;
    },

    /** Creates or replaces one descriptor. */
    async put(actor: Principal, raw: unknown): Promise<PutResult> {
      assertCan(actor, 'registry.write');
      const checked = validateDescriptor(raw);
      if (!checked.ok) throw new ValidationError(summary(checked.problems), checked.problems);
      const { kind, name } = checked.desired;
      const result = await commit([checked.desired], { actor });
      const object = (await store.get(kind, name)) as RegistryObject;
      return {
        result: result.created.length ? 'created' : result.updated.length ? 'updated' : 'unchanged',
        object,
        warnings: result.warnings,
      };
    },

    /**
     * Writes descriptors worked out from the registry as the write finds it (under its lock when
     * another write came in meanwhile), with `inTransaction` in the same transaction: a promotion
     * review moves an initiative's stage and closes itself at once, and writes back no field another
     * write changed meanwhile. `derive` may throw to refuse; nothing is written then.
     */
    async update(
      actor: Principal,
      derive: (current: RegistrySnapshot) => Desired[],
      inTransaction?: (trx: Transaction<Database>) => Promise<ActRecord[]>,
    ): Promise<ApplyResult> {
      assertCan(actor, 'registry.write');
      return commit([], { actor, derive, ...(inTransaction ? { inTransaction } : {}) });
    },

    /** Deletes one descriptor; refused while anything references it. */
    async remove(actor: Principal, kind: Kind, name: string): Promise<void> {
      assertCan(actor, 'registry.write');
      const current = await snapshot();
      if (!current.has(kind, name)) throw new NotFoundError(`no ${kind} named "${name}"`);
      const referrers = referrersOf(current, kind, name);
      if (referrers.length > 0) {
        const list = referrers.map((r) => `${r.kind}/${r.name} (${r.path.slice(1).replaceAll('/', '.')})`).join(', ');
        throw new ConflictError(`${kind} "${name}" is still referenced by ${list}`, { referencedBy: referrers });
      }
      let done: ApplyResult;
      try {
        done = await commit([], { remove: [{ kind, name }], actor });
      } catch (err) {
        // A Policy that names it (e.g. a tool as a Cedar action) would no longer validate.
        if (err instanceof ValidationError)
          throw new ConflictError(`${kind} "${name}" is still used: ${err.message}`, { problems: err.problems });
        throw err;
      }
      // Deleted meanwhile by another write (two deletions racing on two nodes): checked again under the
      // registry's lock, this one deleted nothing, and says so as a deletion made after that one would,
      // rather than 204 to both callers with one deletion in the registry's history and the log.
      if (done.deleted.length === 0) throw new NotFoundError(`no ${kind} named "${name}"`);
    },

    /** Validates a whole bundle, then applies it in one transaction, or applies nothing. */
    async apply(actor: Principal, files: SourceFile[], opts: ApplyOptions = {}): Promise<ApplyResult> {
      assertCan(actor, 'registry.write');
      // Parsed and checked in pieces of at most SLICE_MS, letting the event loop run between them
      // (slices.ts): a bundle of 4,000 Tools (900 KB) held it 0.7 s in one piece, then longer.
      const { documents, problems } = await parseFilesSliced(files);
      const desired: Desired[] = [];
      const origin = new Map<string, ParsedDocument>();
      const broken = new Set<string>();
      const pause = slicer();
      for (const doc of documents) {
        await pause();
        const checked = validateDescriptor(doc.value);
        if (!checked.ok) {
          problems.push(...checked.problems.map((p) => at(doc, p)));
          if (checked.kind && checked.name) broken.add(`${checked.kind}/${checked.name}`);
          continue;
        }
        const key = keyOf(checked.desired);
        const first = origin.get(key);
        if (first) {
          const pos = first.locate('/metadata/name');
          problems.push(
            at(doc, {
              path: '/metadata/name',
              message: `duplicate ${key} (first defined at ${first.file}:${pos.line}:${pos.col})`,
            }),
          );
          continue;
        }
        origin.set(key, doc);
        desired.push(checked.desired);
      }
      const locate = (p: Problem): Problem => {
        const doc = p.kind && p.name ? origin.get(`${p.kind}/${p.name}`) : undefined;
        return doc ? at(doc, p) : p;
      };
      if (problems.length > 0) {
        // Report dangling references too, so one run shows every error; names whose descriptors
        // failed their own checks count as existing, so they are not reported twice.
        const next = (await snapshot()).with(desired);
        problems.push(...checkReferences(next, broken).map(locate));
        // Policies are checked too unless a broken Tool would make the Cedar schema misleading.
        if (![...broken].some((k) => k.startsWith('Tool/'))) problems.push(...(await checkPolicies(next)).map(locate));
        throw new ValidationError(summary(problems), sorted(problems));
      }
      return commit(desired, { ...opts, actor }, locate);
    },

    async export(actor: Principal): Promise<SourceFile[]> {
      assertCan(actor, 'registry.read');
      return exportFiles(await snapshot());
    },

    async changes(actor: Principal, limit: number) {
      assertCan(actor, 'registry.read');
      return store.changes(limit);
    },
  };
}

/** Why a deletion revoked a credential, as its `credential.revoked` entry says. */
const DELETED: Record<SubjectKind, string> = {
  Agent: 'agent-deleted',
  Person: 'person-deleted',
  TelemetryCollector: 'collector-deleted',
};

/** An Agent's OAuth client before and after a change (none when it has none, or is deleted). */
function clientsOf(p: { current: RegistrySnapshot; next: RegistrySnapshot }, c: Change) {
  if (c.kind !== 'Agent') return { before: undefined, after: undefined };
  const before = p.current.get('Agent', c.name)?.spec.oauthClientId;
  const after = c.action === 'deleted' ? undefined : p.next.get('Agent', c.name)?.spec.oauthClientId;
  return { before, after };
}

/** A Person's roles and sign-in email before and after a change (none, and no roles, when absent). */
function accessOf(p: { current: RegistrySnapshot; next: RegistrySnapshot }, c: Change) {
  const was = c.kind === 'Person' ? p.current.get('Person', c.name) : undefined;
  const now = c.kind === 'Person' && c.action !== 'deleted' ? p.next.get('Person', c.name) : undefined;
  const roles = (o: typeof was) => [...(o?.spec.roles ?? [])].sort();
  return {
    roles: { before: roles(was), after: roles(now) },
    email: { before: was?.spec.email ?? null, after: now?.spec.email ?? null },
  };
}

/** Whether a Person's roles differ (as sets) before and after a change. */
const rolesMoved = (r: { before: string[]; after: string[] }) => r.before.join(',') !== r.after.join(',');

/**
 * Whether a write changes credentials or who holds power: deletes what holds credentials, binds or
 * unbinds an Agent's OAuth client, or gives or takes a Person's roles or sign-in email.
 */
function changesCredentials(p: { changes: Change[]; current: RegistrySnapshot; next: RegistrySnapshot }): boolean {
  return p.changes.some((c) => {
    if (c.action === 'deleted' && (c.kind === 'Person' || c.kind === 'Agent' || c.kind === 'TelemetryCollector')) return true;
    if (c.kind === 'Person') {
      const { roles, email } = accessOf(p, c);
      return rolesMoved(roles) || email.before !== email.after;
    }
    const { before, after } = clientsOf(p, c);
    return before !== after;
  });
}

/** The initiative an entry about `agent` names: where the write leaves it, or where it was when deleted. */
function initiativeOf(p: { current: RegistrySnapshot; next: RegistrySnapshot }, agent: string): Record<string, string> {
  const initiative = (p.next.get('Agent', agent) ?? p.current.get('Agent', agent))?.spec.initiative;
  return initiative === undefined ? {} : { initiative };
}

/**
 * The entries of the OAuth clients a write binds to its Agents or takes off them (a change of client is
 * both), as credentials' entries read: who, the agent, the client's id (Fulcrum holds no secret of it).
 */
function credentialActs(p: { changes: Change[]; current: RegistrySnapshot; next: RegistrySnapshot }, actor: string) {
  const acts: ActRecord[] = [];
  for (const c of p.changes) {
    if (c.kind === 'Person') {
      // Who may do what (a role given: admin, platform, approver…) and who signs in as whom (the email
      // single sign-on matches): the registry's history said only that the Person was written, and by
      // whom (found by review: an admin could make anyone an admin through an apply, unlogged).
      const { roles, email } = accessOf(p, c);
      const reason = c.action === 'deleted' ? { reason: DELETED.Person } : {};
      const about = { subjectKind: 'Person', subject: c.name };
      if (rolesMoved(roles))
        acts.push({
          kind: 'person.roles-changed',
          actor,
          agent: null,
          detail: {
            ...about,
            before: roles.before,
            after: roles.after,
            granted: roles.after.filter((r) => !roles.before.includes(r)),
            withdrawn: roles.before.filter((r) => !roles.after.includes(r)),
            ...reason,
          },
        });
      if (email.before !== email.after && c.action !== 'deleted')
        acts.push({
          kind: 'person.email-changed',
          actor,
          agent: null,
          detail: { ...about, before: email.before, after: email.after },
        });
      continue;
    }
    const { before, after } = clientsOf(p, c);
    if (before === after) continue;
    const about = { subjectKind: 'Agent', subject: c.name, ...initiativeOf(p, c.name) };
    const reason = c.action === 'deleted' ? { reason: DELETED.Agent } : {};
    if (before !== undefined)
      acts.push({ kind: 'credential.unbound', actor, agent: c.name, detail: { ...about, client: before, ...reason } });
    if (after !== undefined) acts.push({ kind: 'credential.bound', actor, agent: c.name, detail: { ...about, client: after } });
  }
  return acts;
}

/** The entry of a key or token revoked because what held it was deleted: as one revoked by hand, and why. */
function revokedAct(
  p: { current: RegistrySnapshot; next: RegistrySnapshot },
  kind: SubjectKind,
  subject: string,
  k: { id: string; prefix: string },
  actor: string,
): ActRecord {
  const agent = kind === 'Agent' ? subject : null;
  return {
    kind: 'credential.revoked',
    actor,
    agent,
    detail: {
      subjectKind: kind,
      subject,
      ...(agent === null ? {} : initiativeOf(p, agent)),
      credential: k.id,
      prefix: k.prefix,
      reason: DELETED[kind],
    },
  };
}

/**
 * Whether a write is made in the audit writer's transaction, with the entries that record it: it
 * changes credentials, or may revoke approvals (it deletes an Agent or a Tool, stops an Agent that could
 * act, takes a Tool from one's tools, or changes a Tool's effect, system or arguments).
 */
function recordedWithActs(p: { changes: Change[]; current: RegistrySnapshot; next: RegistrySnapshot }): boolean {
  return (
    changesCredentials(p) ||
    p.changes.some((c) => c.action === 'deleted' && (c.kind === 'Agent' || c.kind === 'Tool')) ||
    agentsStopped(p).length > 0 ||
    toolsWithdrawn(p).length > 0 ||
    toolsChanged(p).length > 0
  );
}

/** The Agents a write stops (by their status, or their initiative's stage) that could act before it, and why. */
function agentsStopped(p: {
  changes: readonly Change[];
  current: RegistrySnapshot;
  next: RegistrySnapshot;
}): Array<[string, string]> {
  return [...agentsWritten(p.changes, p.next)].flatMap((agent): Array<[string, string]> => {
    const why = stoppedBy(p.next, agent);
    return why && p.current.has('Agent', agent) && !stoppedBy(p.current, agent) ? [[agent, why]] : [];
  });
}

/**
 * The Tools a write takes from what an Agent may call (its archetype's tools and its extraTools,
 * builtin/archetype-tools, builtin/extra-tools), as [agent, tool]: only of Agents it neither deletes nor
 * stops (those end all their approvals) and of Tools it keeps (a Tool deleted ends its calls' anyway).
 */
function toolsWithdrawn(p: {
  changes: readonly Change[];
  current: RegistrySnapshot;
  next: RegistrySnapshot;
}): Array<[string, string]> {
  const archetypes = new Set(p.changes.flatMap((c) => (c.kind === 'Archetype' && c.action !== 'deleted' ? [c.name] : [])));
  const agents = new Set(p.changes.flatMap((c) => (c.kind === 'Agent' && c.action !== 'deleted' ? [c.name] : [])));
  if (archetypes.size === 0 && agents.size === 0) return [];
  for (const a of p.next.list('Agent')) if (a.spec.archetype && archetypes.has(a.spec.archetype)) agents.add(a.name);
  const toolsOf = (r: RegistrySnapshot, agent: string) => {
    const spec = r.get('Agent', agent)?.spec;
    const archetype = spec?.archetype ? r.get('Archetype', spec.archetype)?.spec.tools : undefined;
    return new Set([...(archetype ?? []), ...(spec?.extraTools ?? [])]);
  };
  return [...agents].flatMap((agent): Array<[string, string]> => {
    if (!p.current.has('Agent', agent) || stoppedBy(p.current, agent) || stoppedBy(p.next, agent)) return [];
    const after = toolsOf(p.next, agent);
    return [...toolsOf(p.current, agent)]
      .filter((tool) => !after.has(tool) && p.next.has('Tool', tool))
      .map((tool): [string, string] => [agent, tool]);
  });
}

/** The Tools a write keeps but changes in what an approver of a call to one judged, and what changed. */
function toolsChanged(p: {
  changes: readonly Change[];
  current: RegistrySnapshot;
  next: RegistrySnapshot;
}): Array<[string, string]> {
  return p.changes.flatMap((c): Array<[string, string]> => {
    if (c.kind !== 'Tool' || c.action !== 'updated') return [];
    const was = p.current.get('Tool', c.name)?.spec;
    const now = p.next.get('Tool', c.name)?.spec;
    if (!was || !now) return [];
    const what = [
      ...(was.effect !== now.effect ? [`its effect from ${was.effect} to ${now.effect}`] : []),
      ...(was.system !== now.system ? [`its system from ${was.system} to ${now.system}`] : []),
      ...(!isDeepStrictEqual(was.arguments, now.arguments) ? ['its arguments'] : []),
    ];
    return what.length > 0 ? [[c.name, what.join(', ')]] : [];
  });
}

/** The Agents a write's changes bear on: those written, and those of the Initiatives written. */
function agentsWritten(changes: readonly Change[], next: RegistrySnapshot): Set<string> {
  const agents = new Set<string>();
  const initiatives = new Set<string>();
  for (const c of changes) {
    if (c.action === 'deleted') continue;
    if (c.kind === 'Agent') agents.add(c.name);
    if (c.kind === 'Initiative') initiatives.add(c.name);
  }
  if (initiatives.size > 0) for (const a of next.list('Agent')) if (initiatives.has(a.spec.initiative)) agents.add(a.name);
  return agents;
}

/** Why the registry lets `agent` do nothing (builtin/agent-status, builtin/initiative-stage), if it does not. */
function stoppedBy(registry: RegistrySnapshot, agent: string): string | undefined {
  const spec = registry.get('Agent', agent)?.spec;
  if (!spec) return undefined;
  const status = spec.status ?? 'active';
  if (status !== 'active') return statusChanged(status);
  const stage = registry.get('Initiative', spec.initiative)?.spec.stage;
  return stage === 'proposed' || stage === 'retired' ? initiativeStopped(spec.initiative, stage) : undefined;
}

function at(doc: ParsedDocument, p: Problem): Problem {
  const { line, col } = doc.locate(p.path ?? '', p.offset);
  return { ...p, file: doc.file, line, col };
}

/** Problems in reading order: by file, line and column; those without a file last. */
function sorted(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      (a.file ?? '\uffff').localeCompare(b.file ?? '\uffff') || (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0),
  );
}

function summary(problems: Problem[]): string {
  return problems.length === 1 ? (problems[0] as Problem).message : `${problems.length} problems; nothing was written`;
}
