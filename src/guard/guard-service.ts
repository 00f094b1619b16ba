// The guard: authenticates agents by key, decides (allow | deny | approval_required) against an
// in-memory snapshot, and records every decision and human act in the audit chain before answering.
import { EventEmitter } from 'node:events';
import type { Kysely, Transaction } from 'kysely';
import { type AgentCaller, actorName, assertCan, describe, hasRole, type Principal } from '../auth/principal.js';
import { hashToken, newId } from '../auth/tokens.js';
import { adapterOf, type DeferredSync, deferredSyncOf, SLOW_SYNC_MS, SLOW_SYNC_PROBE_MS } from '../db/adapter.js';
import { databaseNow } from '../db/clock.js';
import { inSavepoint } from '../db/savepoint.js';
import type { ApprovalTable, Database } from '../db/schema.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError, UnauthenticatedError } from '../errors.js';
import { clientKey } from '../net/addresses.js';
import { type Observability, unobserved } from '../observability.js';
import { createRegistryStore, lockRevision } from '../registry/registry-store.js';
import { unstorable } from '../stored-text.js';
import { MAX_TIMER_MS } from '../timers.js';
import {
  AGENT_SUSPENDED,
  type Approval,
  type ApprovalStatus,
  createApprovalStore,
  OPENED_WHILE_SUSPENDED,
  openKey,
  type RevokedApproval,
  revokeApprovalsOf,
} from './approval-store.js';
import { type ActRecord, type AuditRecord, AuditWriter, type ChangeWithActs, RetryBatch } from './audit.js';
import {
  checkRequest,
  type DecisionRequest,
  decide,
  domainsOf,
  hashArguments,
  type Outcome,
  type Reason,
  refusal,
} from './decide.js';
import { createShadowStore, type ShadowSource } from './shadow-store.js';
import { type GuardSnapshot, loadSnapshot } from './snapshot.js';

export type DecisionEntry = 'api' | 'mcp' | 'llm';

export type { AgentCaller };

export interface DecisionResponse {
  decision: Outcome['decision'];
  decisionId: string;
  reasons: Reason[];
  monitor?: Reason[];
  approvalId?: string;
  policyVersion: number;
}

interface DecisionItem {
  type: 'decision';
  id: string;
  at: string;
  agent: string;
  /** The credential the request came with (AgentCaller): one revoked before the commit refuses it. */
  caller: AgentCaller;
  /** Why its credential no longer stands (revoked through any node before the decision committed): answered 401. */
  revoked?: string;
  req: DecisionRequest;
  outcome: Outcome;
  revision: number;
  /** A new approval this decision opened, or the one it used. */
  approvalId?: string;
  /** Why the approval the agent presented could not be used. */
  approvalError?: string;
  /** What this decision did to an approval (counted once it commits). */
  approvalEvent?: 'opened' | 'joined' | 'used';
  /** Over MCP: an approval it names that is still pending for this same call is joined, as a plain
   *  retry joins it (the gateway then waits on it), instead of refused as unusable. */
  joinNamed?: boolean;
  inCommit?: InCommit<unknown, unknown>;
  /** What `inCommit` answered, when the decision allowed and it ran. */
  committed?: { ok: true; value: unknown } | { ok: false; error: unknown };
}

/**
 * Work a caller wants done in the same transaction as its decision's audit entry, if the decision (as
 * decided at commit) allows: one durable commit instead of two (the LLM gateway's spend reservation).
 * The requests of every decision in a group commit that share `batch` are handed to it together, in a
 * savepoint: if it fails, the decisions still commit and each caller learns the error.
 */
export interface InCommit<R, O> {
  batch(trx: Transaction<Database>, requests: R[]): Promise<O[]>;
  request(decisionId: string): R;
  /** The registry revision `request` was made from: not run for a decision made at another (the
   *  caller learns it from the answer's policyVersion and does the work again itself). */
  revision?: number;
}
export type InCommitResult<O> = { ok: true; value: O } | { ok: false; error: unknown } | undefined;

interface ActItem {
  type: 'act';
  record: AuditRecord;
}

/**
 * A change and the entries that record it, made in the audit writer's transaction (a batch of its own):
 * both commit or neither does. Made after, an entry that failed (the database, a failed sync, the
 * process ended between the two) left the change standing with nothing in the log.
 */
interface ChangeItem {
  type: 'change';
  make(trx: Transaction<Database>): Promise<ActRecord[]>;
  /** The entries `make` returned, as written (assigned in the transaction). */
  records?: AuditRecord[];
}

type Item = DecisionItem | ActItem | ChangeItem;

/** How often a node reads the approvals its waits for a person are on: as often as it polls the revision. */
const WATCH_MS = 250;
/** Approvals read in one query (well under SQLite's and PostgreSQL's limits on bound parameters). */
const WATCH_READ_IDS = 500;

export interface GuardOptions {
  /** How long an approval request stays open, and an approval stays usable. */
  approvalTtlMs: number;
  /** Approvals one agent may have waiting for a person at once; past it, a new one is refused. */
  maxPendingApprovals: number;
  /** How often a node checks the shared revision (other nodes' changes). */
  pollMs: number;
  /** Metrics and background-job failures (src/observability.ts). */
  observe?: Observability;
  /**
   * SQLite: asked before each audit group commit of `batchLength` decisions whether its fsync runs off
   * the event loop (src/db/adapter.ts, DeferredSync; `sync` says how long syncs take now), the batch's
   * callers answered once it is done; if not, the commit syncs on the loop, timed. Unset: every
   * commit's fsync holds the loop, at the connection's FULL.
   */
  syncOffLoop?(batchLength: number, sync: DeferredSync): boolean;
}

export type GuardService = Awaited<ReturnType<typeof createGuardService>>;

export async function createGuardService(db: Kysely<Database>, opts: GuardOptions) {
  const observe = opts.observe ?? unobserved();
  const approvals = createApprovalStore(db);
  const shadows = createShadowStore(db, {
    flushMs: 1000,
    onError: (err) => process.emitWarning(`shadow agents not written: ${err instanceof Error ? err.message : String(err)}`),
  });
  const events = new EventEmitter().setMaxListeners(0);
  /** Aborted when the node stops: every wait for a person answers with the approval as it stands. */
  const stopping = new AbortController();
  // Read from the database at each scrape, so every node reports the same queue (sum() would count it twice).
  observe.gauge('fulcrum_approvals_pending', 'Approvals waiting for a person now (pending, unexpired), all nodes', async () => {
    const row = await db
      .selectFrom('approvals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending')
      .where('expires_at', '>', new Date().toISOString())
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  });
  observe.gauge(
    'fulcrum_approvals_expired_undecided',
    'Approvals that expired in the last hour with nobody deciding them (their call was refused), all nodes',
    async () => {
      const now = Date.now();
      const row = await db
        .selectFrom('approvals')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'pending')
        .where('expires_at', '<=', new Date(now).toISOString())
        .where('expires_at', '>', new Date(now - 3_600_000).toISOString())
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  );
  let snapshot = await loadSnapshot(db);
  // Freshness is counted, not flagged: every change this node makes or learns of (a local write, a
  // poll that saw the revision move) bumps `wanted`, and `loaded` is the count the snapshot reflects.
  // A reload credits only the changes marked before it began reading: one marked while it reads may
  // not be in what it read, and is read by the next reload. A snapshot replaces the one in use only if
  // its revision is not older (every change to what a snapshot holds moves the revision), so a
  // reload that began before a commit installed a fresher snapshot never puts the older one back.
  let wanted = 0;
  let loaded = 0;
  let reloading: { upTo: number; done: Promise<void> } | undefined;
  const markStale = () => {
    wanted++;
  };
  const install = (s: GuardSnapshot) => {
    if (s.revision >= snapshot.revision) snapshot = s;
  };

  /** A reload that credits at least the changes marked up to `need`: the one under way if it began
   *  after them, a new one otherwise. */
  function reload(need: number): Promise<void> {
    if (reloading && reloading.upTo >= need) return reloading.done;
    const upTo = wanted;
    const done = loadSnapshot(db)
      .then((s) => {
        install(s);
        loaded = Math.max(loaded, upTo);
      })
      .finally(() => {
        if (reloading?.upTo === upTo) reloading = undefined;
      });
    reloading = { upTo, done };
    return done;
  }

  /** The snapshot with every change marked before this call (changes marked while it waits are
   *  left to the next caller: a stream of registry writes cannot keep a decision waiting). */
  async function current(): Promise<GuardSnapshot> {
    const need = wanted;
    if (loaded < need) await reload(need);
    return snapshot;
  }

  /** The snapshot, brought up to date first when it lacks an agent a caller names: one registered
   *  through another node since this one last polled is found at once (the revision is read, and the
   *  registry reloaded only if it moved). */
  async function currentWithAgent(agent: string): Promise<GuardSnapshot> {
    const s = await current();
    return s.registry.has('Agent', agent) ? s : atCommittedRevision();
  }

  /** The snapshot at the committed revision (one read of it; a reload only if it moved). */
  async function atCommittedRevision(): Promise<GuardSnapshot> {
    if ((await createRegistryStore(db).revision()) !== (await current()).revision) markStale();
    return current();
  }

  /**
   * The approvals this node's waits for a person are on (an approval's long poll, an MCP call held on
   * one), each with its number of waits. One read every WATCH_MS tells all of them whether theirs was
   * decided, revoked or expired (through another node, or by the clock), and wakes its waits; this
   * node's own changes wake them at once. Each wait reading its own approval every 250 ms let one
   * caller holding 2,000 long polls put 16,000 queries a second in front of the node's decisions (the
   * slowest, on PostgreSQL, 3 s): now it costs the database the same as one.
   */
  const watched = new Map<string, number>();
  let watching: NodeJS.Timeout | undefined;
  let watchClosed = false;
  const watchNext = () => {
    watching = watched.size > 0 && !watchClosed ? setTimeout(watchTick, WATCH_MS).unref() : undefined;
  };
  const watchTick = () => {
    void observe.job('approval_waits', readWatched).finally(watchNext);
  };
  async function readWatched(): Promise<void> {
    const now = (await databaseNow(db)).toISOString();
    const ids = [...watched.keys()];
    for (let i = 0; i < ids.length; i += WATCH_READ_IDS) {
      const part = ids.slice(i, i + WATCH_READ_IDS);
      const rows = await db.selectFrom('approvals').select(['id', 'status', 'expires_at']).where('id', 'in', part).execute();
      const waiting = new Set(rows.filter((r) => r.status === 'pending' && r.expires_at > now).map((r) => r.id));
      for (const id of part) if (!waiting.has(id)) events.emit(id);
    }
  }
  /** Counts a wait on approval `id` until the returned function is called. */
  function watch(id: string): () => void {
    watched.set(id, (watched.get(id) ?? 0) + 1);
    if (!watching && !watchClosed) watching = setTimeout(watchTick, WATCH_MS).unref();
    return () => {
      const n = (watched.get(id) ?? 1) - 1;
      if (n > 0) watched.set(id, n);
      else watched.delete(id);
    };
  }

  const poller = setInterval(() => {
    void observe.job('registry_poll', async () => {
      const r = await createRegistryStore(db).revision();
      if (r !== snapshot.revision) markStale();
    });
  }, opts.pollMs);
  poller.unref();

  // The revision read in every group commit, compiled once: building the query each time cost more
  // than running it.
  const revisionQuery = db.selectFrom('registry_state').select('revision').where('id', '=', 1).compile();
  const committedRevision = async (trx: Transaction<Database>) => {
    const { rows } = await trx.executeQuery(revisionQuery);
    return (rows[0] as { revision: number }).revision;
  };
  // The same, read holding the revision's lock shared until the commit (PostgreSQL, lockRevision): a
  // group commit that opens approvals takes it, so that a suspension (which takes it exclusively to
  // bump the revision) waits for that commit and then revokes what it opened, or the commit, reading
  // after the suspension, decides again. The lock first, then the read: a read in the same statement
  // would see the registry as it was when the statement began, before a suspension it waited for.
  const rowLocks = adapterOf(db).rowLocks;
  const sharedRevision = async (trx: Transaction<Database>) => {
    if (!rowLocks) return undefined;
    await lockRevision(trx, 'shared');
    return committedRevision(trx);
  };

  // Any writer's failed sync (the gateways' spans and settlements commit through it too) leaves the
  // WAL suspect: a decision committed at FULL after it could sit behind frames that never reached disk.
  const syncs = deferredSyncOf(db);
  const syncOffLoop = opts.syncOffLoop;
  if (syncs)
    observe.gauge(
      'fulcrum_sqlite_sync_seconds',
      `SQLite: recent time to sync the WAL to disk on the event loop, a moving average of about the last ten such syncs; from ${SLOW_SYNC_MS} ms on, an audit group commit made while other requests are in flight syncs off the loop (FULCRUM_SQLITE_SYNC_OFF_LOOP=auto), one every ${SLOW_SYNC_PROBE_MS} ms on it to measure again; NaN before the first`,
      async () => (syncs.recentSyncMs === undefined ? Number.NaN : syncs.recentSyncMs / 1000),
    );
  const writer = await AuditWriter.start<Item>(db, {
    record: (item) =>
      item.type === 'change'
        ? (item.records ?? []).map(withInitiative)
        : withInitiative(item.type === 'act' ? item.record : decisionRecord(item)),
    alone: (item) => item.type === 'change',
    onCommit: (entries, seconds, ok) => observe.auditCommit(entries, seconds, ok),
    onRetry: (reason) => observe.auditRetry(reason),
    ...(syncs && syncOffLoop ? { sync: { via: syncs, offLoop: (n: number) => syncOffLoop(n, syncs) } } : {}),
    syncFailed: () => syncs?.failed,
    beforeWrite: async (trx, items, mayRetry) => {
      for (const item of items) if (item.type === 'change') item.records = (await item.make(trx)).map(actRecord);
      await nameInitiatives(trx, items);
      const decisions = items.filter((i): i is DecisionItem => i.type === 'decision');
      if (decisions.length === 0) return;
      // Decide against the registry as it is at commit: a suspension committed on any node
      // is obeyed by every decision acknowledged after it.
      const asks = (d: DecisionItem) => d.outcome.decision === 'approval_required' && d.req.action === 'tool.call';
      // A batch that may open approvals reads the revision holding its lock (sharedRevision): otherwise a
      // suspension committed between this read and this commit revoked the agent's open approvals
      // without the one this commit opens (not yet committed, so not seen), and it outlived the
      // suspension (docs/policies.md). Its first statement, so that it waits holding no other row.
      let shared = decisions.some(asks) ? await sharedRevision(trx) : undefined;
      let revision = shared ?? (await committedRevision(trx));
      const decideAgain = async () => {
        // The registry is read outside this transaction, and the batch tried again: loading it waits
        // on the Cedar worker (busy with a large apply's checks for hundreds of ms), and meanwhile the
        // transaction would hold the node's database connection, every other request behind it.
        const upToDate = loaded === wanted && snapshot.revision === revision;
        if (!upToDate && mayRetry)
          throw new RetryBatch(async () => {
            markStale();
            await current();
          });
        const fresh = upToDate ? snapshot : await loadSnapshot(trx);
        // Decided with, and kept if no newer one came meanwhile; what is marked stale stays so (a
        // change marked may be one this transaction does not see).
        install(fresh);
        // Revoking a key, or taking an OAuth client off its Agent, moves the revision: a credential
        // this node still held as valid, revoked through another node before this commit, is refused
        // like an unknown one (its decision recorded as a deny).
        for (const d of decisions) {
          if (d.revision === revision) continue;
          d.revoked = revokedCredential(fresh, d.caller);
          d.outcome = d.revoked ? credentialRefusal(fresh, d.req, d.revoked) : decideSafely(fresh, d.agent, d.req);
          d.revision = revision;
        }
      };
      if (decisions.some((d) => d.revision !== revision)) await decideAgain();
      // Decided again into asking for a person (a policy changed meanwhile): the revision is read again
      // holding it, and if it moved once more, the batch is decided again at that one.
      if (shared === undefined && rowLocks && decisions.some(asks)) {
        shared = await sharedRevision(trx);
        if (shared !== undefined && shared !== revision) {
          revision = shared;
          await decideAgain();
        }
      }
      // In the order of the calls' open keys, on every node: taken in arrival order, two nodes asking
      // the same calls in opposite orders each held one call's key (its unique index entry, its row)
      // and waited on the other's, and PostgreSQL ended one group commit as a deadlock, each decision
      // in it answered 500. A stable sort: of identical calls, the first to arrive opens the approval.
      const asking = decisions
        .filter(asks)
        .map((d) => ({ d, key: callKey(d) }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map(({ d }) => d);
      if (asking.length > 0) {
        const store = createApprovalStore(trx);
        // Approvals open, expire and are spent by the database's clock: a node whose clock ran behind
        // spent an approval that had expired by every other's (by as much as its clock was off).
        const now = (await databaseNow(trx)).toISOString();
        for (const d of asking) await settleApproval(store, d, now);
      }
      await runInCommit(trx, decisions);
    },
  });

  /**
   * An act's entry names its agent's initiative as committed, read in the batch's transaction. The
   * node's snapshot (what withInitiative reads) is brought up to date by decisions only, so an act
   * written just after a registry write named the initiative of before it, or none: found when a key
   * issued for an agent just registered, then moved, was exported under its new initiative, not the
   * one it was issued under. Decisions keep the snapshot they were decided with (it is checked against
   * the committed revision before they are written).
   */
  async function nameInitiatives(trx: Transaction<Database>, items: Item[]): Promise<void> {
    const acts = items.flatMap((i) => (i.type === 'change' ? (i.records ?? []) : i.type === 'act' ? [i.record] : []));
    const about = acts.filter((r) => r.agent !== null && !Object.hasOwn(r.detail, 'initiative'));
    if (about.length === 0) return;
    const store = createRegistryStore(trx);
    const initiatives = new Map<string, string | undefined>();
    for (const r of about) {
      const agent = r.agent as string;
      if (!initiatives.has(agent)) initiatives.set(agent, (await store.get('Agent', agent))?.spec.initiative);
      const initiative = initiatives.get(agent);
      // An agent deleted in this very write: the snapshot still says where it was (withInitiative).
      if (initiative !== undefined) r.detail = { ...r.detail, initiative };
    }
  }

  /**
   * An entry about an agent names, in its hashed detail, the initiative the agent belongs to when it is
   * written: the evidence export finds an initiative's entries by it after the agent has moved to
   * another initiative or been deleted (docs/audit.md).
   */
  function withInitiative(r: AuditRecord): AuditRecord {
    if (r.agent === null || Object.hasOwn(r.detail, 'initiative')) return r;
    const initiative = snapshot.registry.get('Agent', r.agent)?.spec.initiative;
    return initiative ? { ...r, detail: { ...r.detail, initiative } } : r;
  }

  async function runInCommit(trx: Transaction<Database>, decisions: DecisionItem[]): Promise<void> {
    const groups = new Map<InCommit<unknown, unknown>['batch'], DecisionItem[]>();
    for (const d of decisions)
      if (
        d.inCommit &&
        d.outcome.decision === 'allow' &&
        (d.inCommit.revision === undefined || d.inCommit.revision === d.revision)
      )
        groups.set(d.inCommit.batch, [...(groups.get(d.inCommit.batch) ?? []), d]);
    for (const [batch, ds] of groups) {
      const out = await inSavepoint(trx, 'fulcrum_in_commit', () =>
        batch(
          trx,
          ds.map((d) => d.inCommit?.request(d.id)),
        ),
      );
      for (const [i, d] of ds.entries()) d.committed = out.ok ? { ok: true, value: out.value[i] } : out;
    }
  }

  async function settleApproval(store: ReturnType<typeof createApprovalStore>, d: DecisionItem, now: string) {
    if (d.outcome.decision !== 'approval_required' || d.req.action !== 'tool.call') return;
    const presented = d.req.approvalId;
    if (presented) {
      const row = d.joinNamed ? await store.row(presented) : undefined;
      // The same agent, tool and canonical arguments: this call's own approval, still waiting for a
      // person. A model that carries the id back (as it was told the id) waits on it as one that
      // retries without it does; before, it was refused at once as "still pending". Another call's
      // approval is still refused, saying why.
      if (
        row?.status === 'pending' &&
        row.expires_at > now &&
        row.agent === d.agent &&
        row.tool === d.req.tool &&
        row.arguments_hash === d.outcome.argumentsHash
      ) {
        await joinApproval(store, row, d, now);
        return;
      }
      await spendApproval(store, presented, d, d.req.tool, now);
      return;
    }
    // The same call while its approval is open joins it: an agent (or a model) that simply retries
    // neither needs to carry the approval's id nor fills the approvers' queue.
    const hash = d.outcome.argumentsHash as string;
    const key = openKey(d.agent, d.req.tool, hash);
    // Three tries: an approved one another node's identical call spent after it was read here, then an
    // insert another node's beat, then the approval that node opened.
    for (let attempt = 0; attempt < 3; attempt++) {
      const open = await store.open(key, now);
      // Spent meanwhile by another node's identical call: this call is the next one, and asks again.
      if (open && (await joinApproval(store, open, d, now))) return;
      if (open) continue;
      // A new request for a person, past the agent's share of the approvers' queue: refused, so that one
      // agent (looping, or driven by an attacker through varied arguments) cannot bury the requests of
      // every other agent. Counted in this transaction; on several nodes each may pass it by the new
      // requests of one group commit.
      const max = opts.maxPendingApprovals;
      const waiting = await store.pendingOf(d.agent, now);
      if (waiting >= max) {
        d.outcome = {
          ...d.outcome,
          decision: 'deny',
          reasons: [
            {
              policy: 'approval-queue-full',
              effect: 'forbid',
              message:
                `${d.agent} has ${waiting} approvals waiting for a person, the most one agent may have ` +
                `(FULCRUM_MAX_PENDING_APPROVALS=${max}): this call needs one too and is refused until some are decided or expire`,
            },
            ...d.outcome.reasons,
          ],
        };
        return;
      }
      const id = newId('apr_');
      const inserted = await store.insertOpen({
        id,
        decision_id: d.id,
        agent: d.agent,
        tool: d.req.tool,
        arguments: JSON.stringify(d.req.arguments ?? {}),
        arguments_hash: hash,
        data_domains: JSON.stringify(d.outcome.dataDomains),
        reasons: JSON.stringify(d.outcome.reasons),
        status: 'pending',
        created_at: now,
        expires_at: new Date(Date.parse(now) + opts.approvalTtlMs).toISOString(),
        decided_by: null,
        decided_at: null,
        comment: null,
        used_at: null,
        used_decision_id: null,
        agent_owner: snapshot.registry.get('Agent', d.agent)?.spec.owner ?? null,
        open_key: key,
        key_issuer: await store.keyIssuer(d.caller.keyId),
        revoked_at: null,
        revoked_reason: null,
        oauth_client: d.caller.oauthClient ?? null,
        agent_removed_at: null,
      });
      if (inserted) {
        d.approvalId = id;
        d.approvalEvent = 'opened';
        return;
      }
      // Another node opened this call's approval between the read and the insert: join that one.
    }
    throw new Error(`approval for ${d.agent} ${d.req.tool} neither found nor opened`);
  }

  /** The same call again while its approval is open: wait on it, go through once approved, refused once
   *  denied. False when the approval, read as approved, was spent by another call before this one could. */
  async function joinApproval(
    store: ReturnType<typeof createApprovalStore>,
    open: ApprovalTable,
    d: DecisionItem,
    now: string,
  ): Promise<boolean> {
    if (open.status === 'approved') return spendApproval(store, open.id, d, open.tool, now, true);
    d.approvalId = open.id;
    if (open.status === 'pending') d.approvalEvent = 'joined';
    if (open.status === 'denied')
      d.outcome = {
        ...d.outcome,
        decision: 'deny',
        reasons: [
          {
            policy: 'approval-denied',
            effect: 'forbid',
            message:
              `approval ${open.id} for this call was denied by ${open.decided_by}${open.comment ? ` (${open.comment})` : ''}; ` +
              `the same call is refused until ${open.expires_at}, after which calling it again asks again`,
          },
          ...d.outcome.reasons,
        ],
      };
    // Pending: this decision waits on the same approval (approval_required, its id).
    return true;
  }

  /** Spends an approved approval on this decision, or says why it cannot be. `joined`: found open for
   *  the call, not named by it; one another call spent first is then left alone (false). */
  async function spendApproval(
    store: ReturnType<typeof createApprovalStore>,
    id: string,
    d: DecisionItem,
    tool: string,
    now: string,
    joined = false,
  ): Promise<boolean> {
    // Separation of duties at the spend as well: whoever approved may not push the call through with
    // a key they issued (they could join, with such a key, an approval another key's call opened, and
    // approve it). The approval stays for a call made with another key. Only for this call's own
    // approval: another agent's key naming an approval id learnt nothing of who decided it before it
    // was told the approval is not its own (found by review).
    const row = await store.row(id);
    const own = row !== undefined && row.agent === d.agent && row.tool === tool && row.arguments_hash === d.outcome.argumentsHash;
    const decidedBy = own ? row.decided_by : null;
    const approver = decidedBy?.startsWith('person:') ? decidedBy.slice('person:'.length) : null;
    const client = d.caller.oauthClient;
    const behind =
      approver === null
        ? null
        : client !== undefined
          ? (await store.boundClient(approver, d.agent, client))
            ? `who bound OAuth client "${client}" to ${d.agent}, whose access token this call came with: a call made with that client's tokens`
            : null
          : (await store.keyIssuer(d.caller.keyId)) === approver
            ? 'who issued the key this call came with: a call made with that key'
            : null;
    if (behind !== null) {
      d.approvalId = id;
      d.approvalError = `approval ${id} was decided by ${approver}, ${behind} may not spend it (separation of duties)`;
      d.outcome = {
        ...d.outcome,
        decision: 'deny',
        reasons: [{ policy: 'approval-invalid', effect: 'forbid', message: d.approvalError }],
      };
      return true;
    }
    const used = await store.use({
      id,
      agent: d.agent,
      tool,
      argumentsHash: d.outcome.argumentsHash as string,
      decisionId: d.id,
      now,
    });
    // Read as approved and open for this call, so only spent since (on PostgreSQL, by another node's
    // commit this one's update waited on): not this call's approval any more.
    if (!used && joined) return false;
    d.approvalId = id;
    if (used) {
      d.approvalEvent = 'used';
      const row = await store.row(id);
      d.outcome = {
        ...d.outcome,
        decision: 'allow',
        reasons: [
          { policy: 'approval', effect: 'permit', message: `approved by ${row?.decided_by ?? 'a person'}` },
          ...d.outcome.reasons,
        ],
      };
    } else {
      d.approvalError = await whyUnusable(store, id, d, now);
      d.outcome = {
        ...d.outcome,
        decision: 'deny',
        reasons: [{ policy: 'approval-invalid', effect: 'forbid', message: d.approvalError }],
      };
    }
    return true;
  }

  async function whyUnusable(
    store: ReturnType<typeof createApprovalStore>,
    id: string,
    d: DecisionItem,
    now: string,
  ): Promise<string> {
    const row = await store.row(id);
    if (!row || row.agent !== d.agent || row.agent_removed_at !== null)
      return `approval ${id} does not exist for agent ${d.agent}`;
    if (d.req.action === 'tool.call' && row.tool !== d.req.tool)
      return `approval ${id} was granted for ${row.tool}, not ${d.req.tool}`;
    if (row.arguments_hash !== d.outcome.argumentsHash) {
      // The hash binds the data domains too, and a call touches its Tool's as they are now.
      const then = (JSON.parse(row.data_domains) as string[]).sort();
      const now = [...d.outcome.dataDomains].sort();
      return then.join() === now.join()
        ? `approval ${id} was granted for other arguments`
        : `approval ${id} was granted for the call touching data domains [${then.join(', ')}], and this one touches [${now.join(', ')}] (its Tool's, and those it names)`;
    }
    if (row.status === 'used') return `approval ${id} was already used (decision ${row.used_decision_id})`;
    if (row.status === 'denied') return `approval ${id} was denied by ${row.decided_by}`;
    if (row.status === 'revoked') return `approval ${id} was revoked: ${row.revoked_reason} (${row.revoked_at})`;
    if (row.expires_at <= now) return `approval ${id} expired at ${row.expires_at}`;
    return `approval ${id} is still pending`;
  }

  /** An act's entry: what is not given is empty. */
  function actRecord(record: ActRecord): AuditRecord {
    return {
      agent: null,
      action: null,
      target: null,
      decision: null,
      reasons: [],
      monitor: [],
      argumentsHash: null,
      arguments: null,
      dataDomains: [],
      taskId: null,
      approvalId: null,
      detail: {},
      ...record,
      id: newId('act_'),
      at: new Date().toISOString(),
      policyVersion: snapshot.revision,
    };
  }

  /** Records a human act or a report that changes nothing else. */
  async function appendAct(record: ActRecord): Promise<void> {
    await writer.append({ type: 'act', record: actRecord(record) });
  }

  /** ChangeWithActs (audit.ts): the change is written in a batch of its own. `make` must not use `db`:
   *  on SQLite the node's one connection is the transaction's, and a query on `db` would wait on it. */
  const changeWithActs: ChangeWithActs = async <R>(
    make: (trx: Transaction<Database>) => Promise<{ value: R; acts: ActRecord[] }>,
  ): Promise<R> => {
    let value: { made: R } | undefined;
    await writer.append({
      type: 'change',
      make: async (trx) => {
        const out = await make(trx);
        value = { made: out.value };
        return out.acts;
      },
    });
    return (value as { made: R }).made;
  };

  /** Separation of duties: nobody approves or denies a call of an agent they own, or one made with a key
   *  they issued (docs/auth.md). */
  async function assertMayDecide(actor: Principal, id: string): Promise<void> {
    if (actor.type !== 'person') return;
    const row = await approvals.row(id);
    if (!row) throw new NotFoundError(`no approval "${id}"`);
    // The owner now (as committed: ownership moved through another node a moment ago counts), and
    // the owner when the call asked: moving ownership does not make one's own call decidable.
    const owner = (await createRegistryStore(db).get('Agent', row.agent))?.spec.owner;
    if (owner === actor.id || row.agent_owner === actor.id)
      throw new NotAllowedError(
        `separation of duties: ${actor.id} ${owner === actor.id ? 'owns' : 'owned'} agent ${row.agent}${owner === actor.id ? '' : ' when this call asked'}, so may not decide its approvals; another approver must`,
      );
    // Who issued the key the call came with raised it as surely as its owner would have (a platform
    // person may issue keys for any agent): they do not decide it either.
    if (row.key_issuer === actor.id)
      throw new NotAllowedError(
        `separation of duties: ${actor.id} issued the key of ${row.agent} this call came with, so may not decide its approval; another approver must`,
      );
    // Who bound the OAuth client whose access token the call came with stands behind it the same way
    // (an admin who pointed an agent at a client of their own, called with its tokens and approved).
    if (row.oauth_client !== null && (await approvals.boundClient(actor.id, row.agent, row.oauth_client)))
      throw new NotAllowedError(
        `separation of duties: ${actor.id} bound OAuth client "${row.oauth_client}" to ${row.agent}, whose access token this call came with, so may not decide its approval; another approver must`,
      );
  }

  /**
   * Refuses what a person typed (an approver's comment, a suspension's reason) when the database could
   * not store it: PostgreSQL's text holds no NUL, and the write failed there as a 500 (a suspension
   * with one left the agent running), while SQLite stored it. The HTTP API refuses these before this
   * (src/http/unstorable-input.ts); this is for callers in process.
   */
  function storableText(field: string, value: string): void {
    const message = unstorable(value);
    if (message) throw new InputError(`the ${field} ${message}`, [{ path: `/${field}`, message }]);
  }

  /**
   * Whether the Agent named `agent` was deleted at or after `at`: what was made under the name before
   * then was the deleted agent's, not the one registered under it since. (The audit log keeps no
   * registration of its own for an entry, only the name; the registry records each deletion.)
   */
  async function deletedSince(agent: string, at: string): Promise<boolean> {
    const deleted = await db
      .selectFrom('registry_changes')
      .select('at')
      .where('kind', '=', 'Agent')
      .where('name', '=', agent)
      .where('action', '=', 'deleted')
      .where('at', '>=', at)
      .executeTakeFirst();
    return deleted !== undefined;
  }

  function canControl(actor: Principal, agent: string, owner: string | undefined): void {
    if (hasRole(actor, 'platform') || (actor.type === 'person' && owner === actor.id)) return;
    throw new NotAllowedError(`${describe(actor)} may not suspend or resume agent "${agent}"`);
  }

  return {
    /** The audit chain this node appends to now (a new one after a checkpoint retired an idle empty one). */
    get chainId() {
      return writer.chainId;
    },
    /** An agent's effective status as this node's guard sees it (a suspension overrides the descriptor). */
    agentStatus(agent: string) {
      const suspension = snapshot.suspended.get(agent);
      return { effective: snapshot.status(agent), ...(suspension ? { suspension } : {}) };
    },
    /** Marks the snapshot stale after a local registry or key change. */
    invalidate(): void {
      markStale();
    },

    /** An agent key → the agent; unknown and revoked keys are recorded as shadow agents. */
    /** The agent of a key this node holds in memory; no lookup, no write (rate-limited callers). A
     *  snapshot made stale by a key issued since is brought up to date first (what the caller sends
     *  cannot make it stale), so a new key works at once from an address over its failure limit. */
    async knownAgent(token: string): Promise<AgentCaller | undefined> {
      if (!token) return undefined;
      // A reload that fails leaves the table as it was: the caller still gets its 429, not a 500.
      const s = await current().catch(() => snapshot);
      const key = s.keys.get(hashToken(token));
      return key && !key.revoked && s.registry.has('Agent', key.agent) ? { id: key.agent, keyId: key.keyId } : undefined;
    },

    /** The agent a key belongs to; an unknown or revoked key is a shadow sighting from `address`. */
    async authenticateAgent(token: string, address = 'unknown'): Promise<AgentCaller | undefined> {
      const hash = hashToken(token);
      let s = await current();
      let key = s.keys.get(hash);
      if (!key) {
        // A key issued on another node moments ago: the database is the authority.
        const row = await db.selectFrom('credentials').selectAll().where('token_hash', '=', hash).executeTakeFirst();
        if (row?.subject_kind === 'agent') {
          key = { agent: row.subject, keyId: row.id, revoked: row.revoked_at !== null };
          // A key revoked long ago is not in the snapshot either (snapshot.ts): it reloads nothing, or
          // each request with it would reload the node's snapshot.
          if (!key.revoked) {
            markStale();
            // Its agent may be as new as the key (registered on that node since this one last polled):
            // read the registry now rather than refuse a valid key until the next poll. Once per new
            // key: the fresh snapshot holds it.
            if (!s.registry.has('Agent', key.agent)) s = await current();
          }
        }
      }
      if (key && !key.revoked && s.registry.has('Agent', key.agent)) return { id: key.agent, keyId: key.keyId };
      if (key?.revoked) shadows.record(`agent:${key.agent}`, 'revoked-key', `revoked key ${key.keyId} (last from ${address})`);
      else if (key)
        shadows.record(
          `agent:${key.agent}`,
          'unknown-key',
          `key ${key.keyId} of ${key.agent}, which is not in the registry (last from ${address})`,
        );
      else if (token.startsWith('fk_') || !token.includes('_')) {
        // One row per client address (an IPv6 one's /64) and key type, however many random keys it tries.
        const type = token.startsWith('fk_') ? 'fk_' : 'untyped';
        const from = clientKey(address);
        shadows.record(
          `key:${type}@${from}`,
          'unknown-key',
          `unknown ${type} keys from ${from === address ? from : `${from} (last ${address})`}, last ${token.slice(0, 9)}…`,
        );
      }
      return undefined;
    },

    /** `entry`: where the request came in (the API, the MCP gateway, the LLM gateway), for the metrics. */
    async decide<R = never, O = never>(
      caller: AgentCaller,
      req: DecisionRequest,
      entry: DecisionEntry = 'api',
      inCommit?: InCommit<R, O>,
    ): Promise<DecisionResponse & { inCommit?: InCommitResult<O> }> {
      const started = process.hrtime.bigint();
      const agent = caller.id;
      // Cedar sees the data domains as a set: a domain listed twice is the same call, and hashed as
      // it, joins that call's approval (or its denial) instead of opening another.
      if (req.dataDomains && new Set(req.dataDomains).size < req.dataDomains.length)
        req = { ...req, dataDomains: [...new Set(req.dataDomains)] };
      const s = await current();
      checkRequest(s, req);
      // The credential is checked against the snapshot decided with (the node may have reloaded since
      // the request was authenticated: a wait for a person, a slow body), and again at commit if the
      // revision has moved by then.
      const revoked = revokedCredential(s, caller);
      const item: DecisionItem = {
        type: 'decision',
        id: newId('dec_'),
        at: new Date().toISOString(),
        agent,
        caller,
        ...(revoked ? { revoked } : {}),
        req,
        outcome: revoked ? credentialRefusal(s, req, revoked) : decideOrRefuse(s, agent, req),
        revision: s.revision,
        // The API answers a named pending approval with 409 (the SDK long-polls the one it names); the
        // MCP gateway waits on it, so it joins (docs/mcp.md).
        ...(entry === 'mcp' ? { joinNamed: true } : {}),
        ...(inCommit ? { inCommit: inCommit as InCommit<unknown, unknown> } : {}),
      };
      await writer.append(item);
      observe.decision(req.action, item.outcome.decision, entry, Number(process.hrtime.bigint() - started) / 1e9);
      if (item.approvalEvent) observe.approval(item.approvalEvent);
      if (item.revoked)
        throw new UnauthenticatedError(
          caller.oauthClient === undefined ? 'unknown or revoked agent key' : `access token refused: ${item.revoked}`,
        );
      if (item.approvalError) throw new ConflictError(item.approvalError, { decisionId: item.id, decision: 'deny' });
      const { decision, reasons, monitor } = item.outcome;
      return {
        decision,
        decisionId: item.id,
        reasons,
        ...(monitor.length > 0 ? { monitor } : {}),
        ...(item.approvalId ? { approvalId: item.approvalId } : {}),
        policyVersion: item.revision,
        ...(item.committed ? { inCommit: item.committed as InCommitResult<O> } : {}),
      };
    },

    /** The decision without recording it ("what would happen"). */
    async simulate(actor: Principal, agent: string, req: DecisionRequest) {
      assertCan(actor, 'registry.read');
      const s = await currentWithAgent(agent);
      if (!s.registry.has('Agent', agent)) throw new NotFoundError(`no Agent named "${agent}"`);
      checkRequest(s, req);
      const { decision, reasons, monitor } = decide(s, agent, req);
      return { decision, reasons, monitor, policyVersion: s.revision };
    },

    async listApprovals(actor: Principal, q: { status?: ApprovalStatus; limit: number }): Promise<Approval[]> {
      if (actor.type === 'agent') return approvals.list({ ...q, agent: actor.id, registered: true });
      assertCan(actor, 'registry.read');
      return approvals.list(q);
    },

    /** One approval; with `waitSeconds`, waits (long poll) while it is pending. */
    /** `signal` ends the wait early (the caller went away): the approval as it is then. */
    async getApproval(actor: Principal, id: string, waitSeconds = 0, signal?: AbortSignal): Promise<Approval> {
      const deadline = Date.now() + waitSeconds * 1000;
      // Before the lookup: a 404 told a caller who may not read approvals which ids exist.
      if (actor.type !== 'agent') assertCan(actor, 'registry.read');
      // An agent reads only approvals its agent's deletion left unmarked; a wait it began on one of
      // them hears how it ended, a revocation by that deletion included (an MCP call waiting on it).
      for (let first = true; ; first = false) {
        const a = await approvals.get(id, undefined, actor.type === 'agent' && first);
        if (!a || (actor.type === 'agent' && a.agent !== actor.id)) throw new NotFoundError(`no approval "${id}"`);
        const left = deadline - Date.now();
        if (a.status !== 'pending' || left <= 0 || signal?.aborted || stopping.signal.aborted) return a;
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            unwatch();
            events.off(id, done);
            signal?.removeEventListener('abort', done);
            stopping.signal.removeEventListener('abort', done);
            resolve();
          };
          // Woken by this node's change at once, by another node's (or the expiry) at the node's next
          // read of the approvals waited on, else at the deadline.
          // (Node's timers take at most MAX_TIMER_MS; a longer wait goes round the loop again.)
          const unwatch = watch(id);
          const timer = setTimeout(done, Math.min(left, MAX_TIMER_MS));
          events.once(id, done);
          signal?.addEventListener('abort', done, { once: true });
          stopping.signal.addEventListener('abort', done, { once: true });
        });
      }
    },

    async decideApproval(
      actor: Principal,
      id: string,
      verdict: 'approved' | 'denied',
      comment: string | null,
    ): Promise<Approval> {
      assertCan(actor, 'approvals.decide');
      if (comment !== null) storableText('comment', comment);
      await assertMayDecide(actor, id);
      // The verdict and its entry commit together: an approval granted with no entry (the entry's write
      // failed after the grant committed) let the call through with nobody in the log having allowed it.
      const { a, now } = await changeWithActs(async (trx) => {
        const store = createApprovalStore(trx);
        const now = (await databaseNow(trx)).toISOString(); // by the clock approvals expire by
        if (!(await store.decide(id, verdict, actorName(actor), comment, now))) {
          const a = await store.get(id, now);
          if (!a) throw new NotFoundError(`no approval "${id}"`);
          if (a.status === 'expired') throw new ConflictError(`approval ${id} expired at ${a.expiresAt}`);
          if (a.status === 'revoked')
            throw new ConflictError(`approval ${id} was revoked: ${a.revokedReason} (${a.revokedAt}); the call asks again`);
          if (a.status === 'pending' && verdict === 'approved')
            throw new ConflictError(
              `approval ${id} cannot be granted while ${a.agent} is suspended: deny it, or resume the agent first`,
            );
          throw new ConflictError(`approval ${id} is already ${a.status}${a.decidedBy ? ` (by ${a.decidedBy})` : ''}`);
        }
        const a = (await store.get(id, now)) as Approval;
        const act: ActRecord = {
          kind: verdict === 'approved' ? 'approval.approved' : 'approval.denied',
          actor: actorName(actor),
          agent: a.agent,
          action: 'tool.call',
          target: a.tool,
          dataDomains: a.dataDomains,
          approvalId: id,
          detail: comment ? { comment } : {},
        };
        return { value: { a, now }, acts: [act] };
      });
      events.emit(id);
      observe.approval(verdict, (Date.parse(now) - Date.parse(a.createdAt)) / 1000);
      return a;
    },

    async setSuspended(actor: Principal, agent: string, suspended: boolean, reason: string) {
      storableText('reason', reason);
      const at = new Date().toISOString();
      // In the audit writer's transaction, with its entries (the suspension or resume, and each approval
      // it revoked): made first and recorded after, an entry that failed left an agent resumed, or its
      // approvals revoked, with nothing in the log. Tried again when PostgreSQL ends it as a conflict
      // (the writer does): an emergency stop should not fail for a deadlock with a decision's commit
      // (it reads everything it acts on inside the transaction).
      const control = async (trx: Transaction<Database>) => {
        // Who owns the agent and who suspended it are read as committed, under the lock the revision
        // takes: an agent registered, handed over or suspended through another node a moment ago
        // (before this node polls) counts as it now is.
        const registryTx = createRegistryStore(trx);
        await registryTx.bumpRevision();
        const descriptor = await registryTx.get('Agent', agent);
        if (!descriptor) throw new NotFoundError(`no Agent named "${agent}"`);
        canControl(actor, agent, descriptor.spec.owner);
        // An owner lifts only their own suspension: one by a monitor (a sev1 breach) or by platform
        // stays until platform lifts it.
        const by = (await trx.selectFrom('agent_controls').select('actor').where('agent', '=', agent).executeTakeFirst())?.actor;
        if (!suspended && by && actor.type === 'person' && !hasRole(actor, 'platform') && by !== actorName(actor))
          throw new NotAllowedError(`${agent} was suspended by ${by}: only platform or admin may resume it`);
        if (!suspended) {
          const lifted = await trx.deleteFrom('agent_controls').where('agent', '=', agent).executeTakeFirst();
          // Stopped by its descriptor instead, which a resume does not change: answered 200 with the
          // status still `suspended`, the operator was not told why nor what would let it act.
          const status = descriptor.spec.status ?? 'active';
          if (Number(lifted.numDeletedRows) === 0 && status !== 'active')
            throw new ConflictError(
              `${agent} is ${status} by its descriptor's status, not by the kill switch, so there is no suspension to lift: a registry write setting its spec.status to active lets it act`,
            );
          if (Number(lifted.numDeletedRows) === 0) return { changed: false, revoked: [] };
          // The suspension revoked every approval open then; one open now was opened after that (a
          // group commit on another node that read the registry just before the suspension committed,
          // before such commits took the revision's lock shared): a call made while the agent was
          // being stopped, which the resume does not let a person grant. It asks again
          // (docs/policies.md). Kept behind the lock, which closes that race where it starts.
          return {
            changed: true,
            revoked: await revokeApprovalsOf(trx, agent, (await databaseNow(trx)).toISOString(), OPENED_WHILE_SUSPENDED),
          };
        }
        await trx
          .insertInto('agent_controls')
          .values({ agent, status: 'suspended', reason, actor: actorName(actor), at })
          .onConflict((oc) => oc.column('agent').doUpdateSet({ reason, actor: actorName(actor), at }))
          .execute();
        // Whatever it was suspended for may be the very call a person approved: its open approvals end
        // with the suspension, and after the resume the call asks again (docs/policies.md).
        return {
          changed: true,
          revoked: await revokeApprovalsOf(trx, agent, (await databaseNow(trx)).toISOString(), AGENT_SUSPENDED),
        };
      };
      const { revoked } = await changeWithActs(async (trx) => {
        const made = await control(trx);
        // A resume of an agent that was not suspended changed nothing: the audit log records no resume.
        // (A suspension is recorded each time: a second one restates who stopped the agent, and why.)
        const acts: ActRecord[] = made.changed
          ? [{ kind: suspended ? 'agent.suspended' : 'agent.resumed', actor: actorName(actor), agent, detail: { reason } }]
          : [];
        for (const a of made.revoked)
          acts.push({
            kind: 'approval.revoked',
            actor: actorName(actor),
            agent,
            action: 'tool.call',
            target: a.tool,
            dataDomains: JSON.parse(a.data_domains),
            approvalId: a.id,
            detail: suspended
              ? { reason: AGENT_SUSPENDED, suspension: reason }
              : { reason: OPENED_WHILE_SUSPENDED, resume: reason },
          });
        return { value: made, acts };
      });
      markStale();
      for (const a of revoked) events.emit(a.id);
      const fresh = await current();
      return { agent, status: fresh.status(agent), reason, actor: actorName(actor), at };
    },

    /**
     * Wakes the calls waiting on this node on the approvals a registry write revoked (an Agent deleted,
     * or stopped by its descriptor's status), once it committed with their entries; the other nodes hear
     * it at their next read of the approvals waited on.
     */
    approvalsRevoked(revoked: readonly RevokedApproval[]): void {
      for (const a of revoked) events.emit(a.id);
    },

    /** How an allowed call went, reported by the agent that made it (the SDK's `run` does this). */
    async reportOutcome(
      agent: string,
      decisionId: string,
      o: { outcome: 'succeeded' | 'failed'; durationMs: number; error?: string },
    ) {
      const d = await db
        .selectFrom('audit_entries')
        .select(['agent', 'decision', 'action', 'target', 'task_id', 'at'])
        .where('id', '=', decisionId)
        .where('kind', '=', 'decision')
        .executeTakeFirst();
      if (!d || d.agent !== agent || (await deletedSince(agent, d.at)))
        throw new NotFoundError(`no decision "${decisionId}" for agent ${agent}`);
      if (d.decision !== 'allow')
        throw new ConflictError(`decision ${decisionId} was ${d.decision}: there is no call to report on`);
      // Claimed in the entry's transaction, so of two reports (even on two nodes at once) exactly one is
      // recorded, and a claim never stands without its entry. (Released after a failed entry, a claim
      // outlived a process that ended between the two: every retry was refused as already reported.)
      await changeWithActs(async (trx) => {
        const claimed = await trx
          .insertInto('decision_outcomes')
          .values({ decision_id: decisionId, outcome: o.outcome, at: new Date().toISOString() })
          .onConflict((oc) => oc.column('decision_id').doNothing())
          .executeTakeFirst();
        if (Number(claimed.numInsertedOrUpdatedRows ?? 0) !== 1) {
          const first = await trx
            .selectFrom('decision_outcomes')
            .select(['outcome', 'at'])
            .where('decision_id', '=', decisionId)
            .executeTakeFirst();
          throw new ConflictError(
            `the outcome of decision ${decisionId} was already reported${first ? ` (${first.outcome} at ${first.at})` : ''}`,
          );
        }
        const act: ActRecord = {
          kind: 'call.outcome',
          actor: `agent:${agent}`,
          agent,
          action: d.action,
          target: d.target,
          taskId: d.task_id,
          detail: { decisionId, ...o },
        };
        return { value: undefined, acts: [act] };
      });
    },

    /** Records a human act of another loop (governance) in the audit chain; resolves once committed. */
    recordAct: appendAct,

    /** Makes another loop's change and the entries recording it in one transaction (changeWithActs). */
    changeWithActs,

    /** What this node decides with (the MCP gateway evaluates tool visibility against it). */
    snapshot: current,

    /** The snapshot at the committed revision: for a name the cached one lacks (a Model registered
     *  through another node a moment ago). One read of the revision; a reload only if it moved. */
    committedSnapshot: atCommittedRevision,

    /** The registry as this node's guard holds it (fresh within the poll interval). */
    async registry() {
      return (await current()).registry;
    },

    /** The registry at its committed revision: for a name the cached one lacks (a client registered
     *  through another node a moment ago). */
    async committedRegistry() {
      return (await atCommittedRevision()).registry;
    },

    /** Records an identity seen without a valid registration (telemetry, MCP). */
    recordShadow(identity: string, source: ShadowSource, detail: string): Promise<void> {
      shadows.record(identity, source, detail);
      return Promise.resolve();
    },

    async effectivePolicies(actor: Principal) {
      assertCan(actor, 'registry.read');
      const s = await current();
      return { revision: s.revision, policies: s.policies };
    },

    /** Shadow agents, newest first, a page at a time. */
    async shadowAgents(actor: Principal, page: { limit: number; after?: string }) {
      assertCan(actor, 'registry.read');
      return shadows.list(page);
    },

    /** Writes the shadow sightings counted in memory (readers of the table call it first). */
    flushShadows: () => shadows.flush(),

    /** Shadow-sighting batches this node failed to write (for /metrics). */
    shadowWriteFailures: () => shadows.failedBatches(),

    /**
     * The node is stopping: every wait for a person (an approval's long poll, an MCP call held on
     * one) answers now with the approval as it stands, pending, instead of being cut when the
     * shutdown's grace runs out; the agent asks again, on another node (docs/operations.md).
     */
    endWaits(): void {
      stopping.abort();
    },

    async close(): Promise<void> {
      clearInterval(poller);
      watchClosed = true;
      clearTimeout(watching);
      await shadows.close();
      await writer.close();
    },
  };
}

/** A built-in refusal of `req`, in `s`. A tool call's audit entry keeps its arguments, and `audit verify`
 *  checks them against their hash: so the refusal carries that hash like any other decision on them. */
function refuse(s: GuardSnapshot, req: DecisionRequest, policy: string, message: string): Outcome {
  const dataDomains = domainsOf(s, req);
  if (req.action !== 'tool.call') return refusal(req.model, policy, message, null, dataDomains);
  return refusal(req.tool, policy, message, hashArguments(req.arguments ?? {}, dataDomains), dataDomains);
}

/** A decision that could not be evaluated is a refusal, audited like any other, never an error the caller sees unrecorded. */
function decideOrRefuse(s: GuardSnapshot, agent: string, req: DecisionRequest): Outcome {
  try {
    return decide(s, agent, req);
  } catch (err) {
    const why = `the policies could not be evaluated for this call, so it is refused: ${(err as Error).message}`;
    return refuse(s, req, 'evaluation-failed', why.slice(0, 1000));
  }
}

/** Why the caller's credential no longer stands in `s`, or undefined while it does. */
export function revokedCredential(s: GuardSnapshot, caller: AgentCaller): string | undefined {
  if (caller.oauthClient !== undefined)
    return s.registry.get('Agent', caller.id)?.spec.oauthClientId === caller.oauthClient
      ? undefined
      : `OAuth client "${caller.oauthClient}" was taken off Agent ${caller.id}`;
  // A key the snapshot does not hold was issued after it was loaded (authentication found it live in
  // the database): only one it holds as revoked is refused.
  return caller.keyId !== '' && s.revokedKeys.has(caller.keyId) ? `agent key ${caller.keyId} was revoked` : undefined;
}

/** A decision made with a credential revoked since the request was authenticated (recorded as a deny). */
function credentialRefusal(s: GuardSnapshot, req: DecisionRequest, why: string): Outcome {
  return refuse(s, req, 'credential-revoked', `${why} before this decision was made`);
}

/** Decided again at commit, against a registry that may no longer have what the request names. */
function decideSafely(s: GuardSnapshot, agent: string, req: DecisionRequest): Outcome {
  try {
    checkRequest(s, req);
  } catch (err) {
    return refuse(s, req, 'registry-changed', (err as Error).message);
  }
  return decideOrRefuse(s, agent, req);
}

/** The open key of a tool call's approval (approval-store.ts, openKey). */
function callKey(d: DecisionItem): string {
  return d.req.action === 'tool.call' ? openKey(d.agent, d.req.tool, d.outcome.argumentsHash ?? '') : '';
}

function decisionRecord(d: DecisionItem): AuditRecord {
  return {
    id: d.id,
    kind: 'decision',
    at: d.at,
    actor: `agent:${d.agent}`,
    agent: d.agent,
    action: d.req.action,
    target: d.outcome.target,
    decision: d.outcome.decision,
    reasons: d.outcome.reasons,
    monitor: d.outcome.monitor,
    policyVersion: d.revision,
    argumentsHash: d.outcome.argumentsHash,
    arguments: d.req.action === 'tool.call' ? (d.req.arguments ?? {}) : null,
    dataDomains: d.outcome.dataDomains,
    taskId: d.req.taskId ?? null,
    approvalId: d.approvalId ?? null,
    detail: {},
  };
}
