// Retention: a period per data type and a purge that enforces it. Logs of high-risk initiatives are
// kept at least six months whatever the setting (EU AI Act Art. 19 and 26(6)); data of agents linked
// to an incident that is not closed is held until it closes. Audit chains are purged from their
// start only, leaving a checkpoint so `audit verify` still proves what remains; the checkpoint is
// signed with the audit key, so a purge is told from a deletion (docs/audit.md).

import { type Expression, type ExpressionBuilder, type Kysely, sql } from 'kysely';
import { actorName, assertCan, type Principal } from '../auth/principal.js';
import { adapterOf, orBatches, withoutQueryBound } from '../db/adapter.js';
import type { Database } from '../db/schema.js';
import { deleteInSlices, inSlices, rowIdOf, rowsIn } from '../db/slices.js';
import { valueSet } from '../db/value-set.js';
import { InputError } from '../errors.js';
import { UNBOOKED } from '../evidence/attribution.js';
import { type ActRecord, type ChangeWithActs, changeWithoutLog } from '../guard/audit.js';
import { type Observability, unobserved } from '../observability.js';
import type { RegistrySnapshot } from '../registry/model.js';
import { type Every, every } from '../timers.js';
import { latestTiers } from './risk.js';

export const DATA_TYPES = ['auditEntries', 'decisions', 'events', 'spans', 'arguments', 'shadowAgents'] as const;
export type DataType = (typeof DATA_TYPES)[number];
export type Retention = Record<DataType, number>;

/** Days. Audit entries (human acts) 7 years; decisions 2; events ~13 months; spans 90 days; stored arguments 30;
 *  shadow agents not seen for 90 days. */
export const DEFAULT_RETENTION: Retention = {
  auditEntries: 2555,
  decisions: 730,
  events: 395,
  spans: 90,
  arguments: 30,
  shadowAgents: 90,
};
export const HIGH_RISK_FLOOR_DAYS = 183;
/**
 * The tiers held to that floor: high, and prohibited, which is stricter still (an initiative assessed
 * high, then found to be an Art. 5 practice, released its agents' logs at the ordinary period: found
 * by review). What a prohibited system did is what an authority will ask for.
 */
const FLOOR_TIERS: readonly string[] = ['high', 'prohibited'];
const heldTier = (tier: string | null | undefined) => tier !== null && tier !== undefined && FLOOR_TIERS.includes(tier);
/** Human acts (approvals, suspensions, these settings' own changes) are kept at least six months:
 *  the record of who did what cannot be set to vanish the next day. */
export const AUDIT_ENTRIES_FLOOR_DAYS = 183;
/**
 * Entries kept for the decisions' period, not the human acts': decisions, and the agents' and people's
 * credentials issued and revoked. A chain is purged from its start only, up to the first entry that must
 * stay, and every agent's life starts with a key: kept for the acts' seven years, the key's entry at a
 * chain's start held every decision after it as long (found when credentials joined the log). Who issued
 * and who revoked a credential stays on its row (`created_by`, `revoked_by`) for as long as it does.
 */
const WITH_DECISIONS = [
  'decision',
  'credential.issued',
  'credential.revoked',
  'credential.bound',
  'credential.unbound',
  // Every deployment starts with an apply that gives its people their roles: at the acts' period those
  // entries, at a chain's start, would hold every decision after them for seven years, as keys' did.
  'person.roles-changed',
  'person.email-changed',
];
const SETTING = 'retention';
const DAY = 86_400_000;
/** Rows of task_traces read per slice when retention walks it. */
const TRACE_SLICE = 5000;
/** Held agents a purge's answer names, per hold (the first by name; the counts say how many in all). */
export const HELD_LISTED = 100;

export interface Deps {
  db: Kysely<Database>;
  registry(): Promise<RegistrySnapshot>;
  /** Signs where a chain now starts (the audit key); unsigned when absent. */
  signChainStart?(chainId: string, seq: number, hash: string): string;
  /** Counts and logs each timed purge (src/observability.ts). */
  observe?: Observability;
  /** Writes a human act to the audit log: what each purge deleted. */
  recordAct?(record: ActRecord): Promise<void>;
  /** A change of the periods and its audit entry (who changed them), in one transaction (src/guard/audit.ts).
   *  Absent (a service without an audit log), the change is made alone. */
  changeWithActs?: ChangeWithActs;
  /** Why this node may not move where audit chains start, if it may not: its signing key is not the
   *  one the database's checkpoints are signed with (a start it signed would read as a forgery). */
  chainStartsHeld?(): Promise<string | undefined>;
  /** For one purge: why a chain's entries up to `upTo` may not go, if they may not: they do not verify
   *  (segmentChecker in src/guard/audit-verify.ts). A purge never signs a start over tampered entries. */
  chainSegmentChecker?(db: Kysely<Database>): Promise<(chain: string, upTo: number) => Promise<string | undefined>>;
}

export type RetentionService = ReturnType<typeof createRetentionService>;

/** The agents each hold names in a purge's answer: the first HELD_LISTED by name, and how many in all
 *  (a list of every one grew with the fleet: 66,000 names after a reorganisation). */
function heldAnswer(highRisk: ReadonlySet<string>, incident: ReadonlySet<string>) {
  const first = (names: ReadonlySet<string>) => [...names].sort().slice(0, HELD_LISTED);
  return { highRisk: first(highRisk), highRiskCount: highRisk.size, incident: first(incident), incidentCount: incident.size };
}

/** The retention periods in force, as committed. */
export async function readRetention(db: Kysely<Database>): Promise<Retention> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', SETTING).executeTakeFirst();
  return { ...DEFAULT_RETENTION, ...(row ? (JSON.parse(row.value) as Partial<Retention>) : {}) };
}

/**
 * The longest any evidence (task events, spans) is kept: its periods, and the high-risk floor that
 * holds a high-risk agent's past them. Evidence dated before it would be purged at once, or skew what insight
 * reads until then, so ingest refuses it (docs/evidence.md). Never less than EVIDENCE_KEPT_AT_LEAST_DAYS.
 */
export function evidenceKeptDays(periods: Retention): number {
  return Math.max(periods.events, periods.spans, HIGH_RISK_FLOOR_DAYS);
}
export const EVIDENCE_KEPT_AT_LEAST_DAYS = HIGH_RISK_FLOOR_DAYS;

/** The evidence a purge deletes by its time: task events by `ended_at`, spans by `start_at`. */
export type PurgedType = 'events' | 'spans';
const purgedKey = (type: PurgedType) => `retention.purged.${type}`;

/**
 * The time up to which a purge may have deleted `type` (the latest cut-off any purge used, in ms), or
 * null if none ever ran. The rollups keep what those rows counted, and the record that made a re-send
 * a duplicate went with them: ingest refuses evidence from before it (docs/evidence.md), or a span
 * re-sent after its day was purged was counted again (found by attack, session 37).
 */
export async function readPurgedUpTo(db: Kysely<Database>, type: PurgedType): Promise<number | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', purgedKey(type)).executeTakeFirst();
  return row ? Date.parse(row.value) : null;
}

/**
 * Moves `type`'s purge mark forward to `before`, never back: written before the rows go, so a purge
 * that fails part-way has refused re-sends of what it did delete. One conditional update, so two
 * nodes purging at once leave the later cut-off (ISO times in one format order as text).
 */
async function markPurged(db: Kysely<Database>, type: PurgedType, before: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key: purgedKey(type), value: before })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  await db
    .updateTable('settings')
    .set({ value: before })
    .where('key', '=', purgedKey(type))
    .where('value', '<', before)
    .execute();
}

export function createRetentionService(deps: Deps) {
  const { db } = deps;
  const adapter = adapterOf(db);
  const rowId = rowIdOf(adapter);
  let timer: Every | undefined;

  const settings = () => readRetention(db);

  /** Agents whose data must stay longer: high-risk (six-month floor) and linked to an unclosed incident. */
  async function holds(registry: RegistrySnapshot) {
    // The tier in force: the latest assessment, else the descriptor's (read once, not per agent).
    const assessed = await latestTiers(db);
    const tier = (i: string) => assessed.get(i) ?? registry.get('Initiative', i)?.spec.riskTier;
    const agents = registry.list('Agent');
    const highRisk = new Set(agents.filter((a) => heldTier(tier(a.spec.initiative))).map((a) => a.name));
    const open = await db.selectFrom('incidents').select(['agents', 'initiatives']).where('status', '!=', 'closed').execute();
    const incident = new Set<string>();
    let initiativeIncident = false;
    // An initiative's agents, gathered once (not a walk of every agent per linked initiative).
    let byInitiative: Map<string, string[]> | undefined;
    for (const i of open) {
      for (const a of JSON.parse(i.agents) as string[]) incident.add(a);
      for (const init of JSON.parse(i.initiatives) as string[]) {
        initiativeIncident = true;
        if (!byInitiative) {
          byInitiative = new Map();
          for (const a of agents) {
            const names = byInitiative.get(a.spec.initiative);
            if (names) names.push(a.name);
            else byInitiative.set(a.spec.initiative, [a.name]);
          }
        }
        for (const a of byInitiative.get(init) ?? []) incident.add(a);
      }
    }
    // An agent deleted from the registry no longer says which initiative (and so which tier, which
    // incident) it belonged to: its data is held as a high-risk agent's, and entirely while any
    // incident naming an initiative is open (found by review: deleting an agent released its holds).
    // Initiatives high-risk now: leaving one holds, whatever its tier when the agent left.
    const named = new Set([...registry.list('Initiative').map((i) => i.name), ...assessed.keys()]);
    const highNow = [...named].filter((i) => heldTier(tier(i)));
    return { highRisk, tier, highNow, incident, deletedHeldEntirely: initiativeIncident };
  }

  /**
   * Agents that left a high-risk initiative (tier in force then, or now) since `floor`, each with when
   * it last left: what they did before is held to the floor, as what they do in one is (found by
   * review: the floor followed the agent's initiative at purge, so a move released its logs). Agents
   * held whole (`highRisk`) are left out. What the agent did before it joined is held with it.
   */
  async function departedHighRisk(tier: (i: string) => string | undefined, floor: string, highRisk: ReadonlySet<string>) {
    const rows = await db
      .selectFrom('agent_departures')
      .select(['agent', 'initiative', 'tier', 'left_at'])
      .where('left_at', '>=', floor)
      .execute();
    const until = new Map<string, string>();
    for (const r of rows)
      if ((heldTier(r.tier) || heldTier(tier(r.initiative))) && !highRisk.has(r.agent) && r.left_at > (until.get(r.agent) ?? ''))
        until.set(r.agent, r.left_at);
    return until;
  }

  /** Rows of an agent the registry still has (or booked to no agent): the only ones whose holds are known. */
  const registered = () => db.selectFrom('registry_objects').select('name').where('kind', '=', 'Agent');

  /**
   * Moves a chain's signed start to its last entry before `firstKept`, and
   * returns that entry's seq; undefined when there is nothing before it. Purges run on every node:
   * the chain's audit_chains row is locked first (PostgreSQL; SQLite's write transaction serialises
   * anyway), `last` is read after the lock, and the upsert never moves a start backwards.
   */
  async function moveChainStart(chain: string, firstKept: number): Promise<number | undefined> {
    return db.transaction().execute(async (trx) => {
      if (adapter.rowLocks) await trx.selectFrom('audit_chains').select('id').where('id', '=', chain).forUpdate().execute();
      const last = await trx
        .selectFrom('audit_entries')
        .select(['seq', 'hash', 'at'])
        .where('chain_id', '=', chain)
        .where('seq', '<', firstKept)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!last) return undefined;
      const start = {
        seq: last.seq,
        hash: last.hash,
        at: last.at,
        signature: deps.signChainStart?.(chain, last.seq, last.hash) ?? null,
        legacy: 0,
      };
      await trx
        .insertInto('audit_checkpoints')
        .values({ chain_id: chain, ...start })
        .onConflict((oc) =>
          oc
            .column('chain_id')
            .doUpdateSet(start)
            .where('audit_checkpoints.seq', '<', (eb) => eb.ref('excluded.seq')),
        )
        .execute();
      return Number(last.seq);
    });
  }

  return {
    async get(actor: Principal) {
      assertCan(actor, 'registry.read');
      return { periods: await settings(), highRiskFloorDays: HIGH_RISK_FLOOR_DAYS };
    },

    async set(actor: Principal, periods: Partial<Retention>) {
      assertCan(actor, 'registry.write');
      for (const [k, v] of Object.entries(periods))
        if (!(DATA_TYPES as readonly string[]).includes(k) || !Number.isInteger(v) || (v as number) < 1)
          throw new InputError(`retention "${k}" must be one of ${DATA_TYPES.join(', ')} with a whole number of days ≥ 1`);
      if (periods.auditEntries !== undefined && periods.auditEntries < AUDIT_ENTRIES_FLOOR_DAYS)
        throw new InputError(
          `retention "auditEntries" must be at least ${AUDIT_ENTRIES_FLOOR_DAYS} days: human acts are the record of who did what`,
        );
      // Read, merge and write under the row's lock: two changes at once (two nodes, or two admins)
      // each keep theirs (found by review: on PostgreSQL the second overwrote the first).
      // With its entry, in one transaction: made first and recorded after, an entry that failed left the
      // periods changed (and the next purge deleting by them) with nobody in the log having changed them.
      const changeWithActs: ChangeWithActs = deps.changeWithActs ?? changeWithoutLog(db);
      const after = await changeWithActs(async (trx) => {
        await trx
          .insertInto('settings')
          .values({ key: SETTING, value: '{}' })
          .onConflict((oc) => oc.column('key').doNothing())
          .execute();
        let read = trx.selectFrom('settings').select('value').where('key', '=', SETTING);
        if (adapter.rowLocks) read = read.forUpdate();
        const row = await read.executeTakeFirstOrThrow();
        const before: Retention = { ...DEFAULT_RETENTION, ...(JSON.parse(row.value) as Partial<Retention>) };
        const value = JSON.stringify({ ...before, ...periods });
        await trx.updateTable('settings').set({ value }).where('key', '=', SETTING).execute();
        const after = JSON.parse(value) as Retention;
        const changed = DATA_TYPES.filter((k) => before[k] !== after[k]);
        const acts: ActRecord[] =
          changed.length > 0
            ? [
                {
                  kind: 'retention.changed',
                  actor: actorName(actor),
                  detail: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: after[k] }])),
                },
              ]
            : [];
        return { value: after, acts };
      });
      return { periods: after, highRiskFloorDays: HIGH_RISK_FLOOR_DAYS };
    },

    /** Purges on a timer (every node; a purge is idempotent). */
    start(intervalMs: number): void {
      if (intervalMs <= 0 || timer) return;
      const observe = deps.observe ?? unobserved();
      const run = async () => {
        const done = await this.purge({ type: 'system', id: 'retention' });
        // The rest was purged; the audit log's was not, and the operator is told (a failed run).
        if (done.auditHeldBack) throw new Error(done.auditHeldBack);
      };
      timer = every(intervalMs, () => observe.job('retention', () => withoutQueryBound(run)));
    },
    stop(): void {
      timer?.stop();
      timer = undefined;
    },

    /** Deletes (or, for arguments, redacts) what is past its period; returns what it did. */
    purge(actor: Principal, now = new Date()) {
      return purgeRun(actor, now, false);
    },

    /** What a purge now would delete or redact, and hold, counted by the purge's own queries; changes nothing. */
    preview(actor: Principal, now = new Date()) {
      return purgeRun(actor, now, true);
    },
  };

  /**
   * A purge, or (dryRun) its preview: one body, so the preview cannot count by other rules than the
   * purge deletes by. A preview counts each statement's rows instead of changing them, writes no purge
   * mark and no audit entry, and leaves alone what the answer does not report (outcome claims, trace
   * states, spent departures).
   */
  async function purgeRun(actor: Principal, now: Date, dryRun: boolean) {
    assertCan(actor, 'registry.write');
    /** How many rows `picked` selects: what a preview reports for a statement it does not run. */
    const count = async (picked: Expression<unknown>) =>
      Number((await sql<{ n: number | string }>`select count(*) as n from (${picked}) as picked`.execute(db)).rows[0]?.n ?? 0);
    /** Deletes the rows `picked` lists, a slice at a time; a preview counts them. */
    const remove = (table: keyof Database & string, picked: Expression<unknown> & { limit(n: number): Expression<unknown> }) =>
      dryRun ? count(picked) : deleteInSlices(db, adapter, table, picked);
    const p = await settings();
    const registry = await deps.registry();
    const { highRisk, tier, highNow, incident, deletedHeldEntirely } = await holds(registry);
    const cutoff = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
    const floor = cutoff(HIGH_RISK_FLOOR_DAYS);
    const departed = await departedHighRisk(tier, floor, highRisk);
    // Each hold is one bound parameter whatever the number of agents (src/db/value-set.ts): a term per
    // agent passed SQLite's 32,766 bound variables with a fleet that large, and failed every purge.
    const highRiskSet = valueSet(adapter, highRisk);
    const incidentSet = valueSet(adapter, incident);
    /** A row of an agent that left a high-risk initiative (its tier then, or now) after the row's time,
     *  dated from the floor on; never true for a row of no agent. One correlated lookup by (agent,
     *  left_at), the same few parameters whatever the number of departures (found by review: a term per
     *  departure passed SQLite's 32,766 bound variables at ~11,000 departures, and failed every run). */
    const heldDeparted = (
      eb: ExpressionBuilder<Database, 'audit_entries' | 'spans' | 'task_events'>,
      table: 'audit_entries' | 'spans' | 'task_events',
      column: string,
    ) => {
      const at = sql.ref<string>(`${table}.${column}`);
      return eb.and([
        eb(at, '>=', floor),
        eb.exists(
          eb
            .selectFrom('agent_departures')
            .select('agent_departures.agent')
            .where('agent_departures.agent', '=', sql.ref<string>(`${table}.agent`))
            .where('agent_departures.left_at', '>', at)
            .where((d) =>
              d.or([
                d('agent_departures.tier', 'in', FLOOR_TIERS),
                ...(highNow.length ? [d('agent_departures.initiative', 'in', valueSet(adapter, highNow))] : []),
              ]),
            ),
        ),
      ]);
    };
    const agents = new Set(registry.list('Agent').map((a) => a.name));
    const result: {
      auditEntries: number;
      decisions: number;
      events: number;
      spans: number;
      arguments: number;
      shadowAgents: number;
      held: { highRisk: string[]; highRiskCount: number; incident: string[]; incidentCount: number };
      auditHeldBack?: string;
      dryRun?: true;
    } = {
      auditEntries: 0,
      decisions: 0,
      events: 0,
      spans: 0,
      arguments: 0,
      shadowAgents: 0,
      held: heldAnswer(new Set([...highRisk, ...departed.keys()]), incident),
    };

    // Shadow identities nobody has seen for the period (unauthenticated callers cannot grow the table for ever).
    // Every delete and redaction below goes a slice at a time (src/db/slices.ts).
    result.shadowAgents = await remove(
      'shadow_agents',
      db.selectFrom('shadow_agents').select(rowId.as('r')).where('last_seen', '<', cutoff(p.shadowAgents)),
    );
    // A reported outcome's claim goes once its decision has left the audit log (held decisions keep
    // theirs, so an outcome is never reported twice while the decision can be seen).
    if (!dryRun)
      await deleteInSlices(
        db,
        adapter,
        'decision_outcomes',
        db
          .selectFrom('decision_outcomes')
          .select(rowId.as('r'))
          .where('at', '<', cutoff(p.decisions))
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(selectFrom('audit_entries').select('id').whereRef('audit_entries.id', '=', 'decision_outcomes.decision_id')),
            ),
          ),
      );

    // Raw telemetry. The daily rollups stay: they are aggregates.
    for (const [table, column, type] of [
      ['task_events', 'ended_at', 'events'],
      ['spans', 'start_at', 'spans'],
    ] as const) {
      const before = cutoff(p[type]);
      if (!dryRun) await markPurged(db, type, before);
      // The day too: task events have no index on their time, and every slice would scan them all.
      let q = db.selectFrom(table).select(rowId.as('r')).where('day', '<=', before.slice(0, 10)).where(column, '<', before);
      if (incident.size) q = q.where('agent', 'not in', incidentSet);
      if (highRisk.size) q = q.where((eb) => eb.or([eb('agent', 'not in', highRiskSet), eb(column, '<', floor)]));
      if (departed.size) q = q.where((eb) => eb.not(heldDeparted(eb, table, column)));
      q = q.where((eb) =>
        eb.or([
          eb('agent', '=', UNBOOKED),
          eb('agent', 'in', registered()),
          ...(deletedHeldEntirely ? [] : [eb(column, '<', floor)]),
        ]),
      );
      result[type] = await remove(table, q);
    }
    // Each trace's state for the tasks-by-model rollup goes with its spans (by the day of its
    // earliest one, so never before them); the rollup itself stays. The table has no index on day
    // (ingest would write one random page more per trace for it): it is read in key order, a slice
    // at a time, each slice's expired rows deleted in a statement of their own.
    if (!dryRun) {
      const before = cutoff(p.spans).slice(0, 10);
      const heldFloor = floor.slice(0, 10);
      const deleted = (agent: string) => agent !== UNBOOKED && !agents.has(agent);
      const expired = (r: { agent: string; day: string }) =>
        r.day < before &&
        !incident.has(r.agent) &&
        (!highRisk.has(r.agent) || r.day < heldFloor) &&
        !(departed.has(r.agent) && r.day >= heldFloor && r.day <= (departed.get(r.agent) ?? '').slice(0, 10)) &&
        (!deleted(r.agent) || (!deletedHeldEntirely && r.day < heldFloor));
      let after: { trace_id: string; agent: string } | undefined;
      for (;;) {
        let q = db
          .selectFrom('task_traces')
          .select(['trace_id', 'agent', 'day'])
          .orderBy('trace_id')
          .orderBy('agent')
          .limit(TRACE_SLICE);
        if (after) {
          const { trace_id, agent } = after;
          q = q.where((eb) =>
            eb.or([eb('trace_id', '>', trace_id), eb.and([eb('trace_id', '=', trace_id), eb('agent', '>', agent)])]),
          );
        }
        const rows = await q.execute();
        const gone = rows.filter(expired);
        for (const slice of gone.length ? orBatches(gone) : [])
          await db
            .deleteFrom('task_traces')
            .where((eb) => eb.or(slice.map((r) => eb.and([eb('trace_id', '=', r.trace_id), eb('agent', '=', r.agent)]))))
            .execute();
        if (rows.length < TRACE_SLICE) break;
        after = rows[rows.length - 1];
        await new Promise((resolve) => setImmediate(resolve));
      }
    }

    // Stored arguments: redacted, not deleted (the entry's hash covers arguments_hash, not them).
    let redact = db.selectFrom('audit_entries').where('arguments', 'is not', null).where('at', '<', cutoff(p.arguments));
    if (incident.size) redact = redact.where((eb) => eb.or([eb('agent', 'is', null), eb('agent', 'not in', incidentSet)]));
    if (highRisk.size)
      redact = redact.where((eb) => eb.or([eb('agent', 'is', null), eb('agent', 'not in', highRiskSet), eb('at', '<', floor)]));
    if (departed.size)
      redact = redact.where((eb) => eb.or([eb('agent', 'is', null), eb.not(heldDeparted(eb, 'audit_entries', 'at'))]));
    redact = redact.where((eb) =>
      eb.or([
        eb('agent', 'is', null),
        eb('agent', '=', UNBOOKED),
        eb('agent', 'in', registered()),
        ...(deletedHeldEntirely ? [] : [eb('at', '<', floor)]),
      ]),
    );
    const redacted = redact.select(rowId.as('r'));
    result.arguments = dryRun
      ? await count(redacted)
      : await inSlices(
          async (limit) =>
            (
              await db
                .updateTable('audit_entries')
                .set({ arguments: null })
                .where(rowsIn(adapter, redacted.limit(limit)))
                .executeTakeFirst()
            ).numUpdatedRows,
        );

    // Audit chains: only a prefix can go, up to the first entry that must stay.
    const decisionsBefore = cutoff(p.decisions);
    // The floor holds for a period stored before it existed, too.
    const actsBefore = cutoff(Math.max(p.auditEntries, AUDIT_ENTRIES_FLOOR_DAYS));
    const heldBack = await deps.chainStartsHeld?.();
    if (heldBack) result.auditHeldBack = heldBack;
    /** A preview's chains, each with the first entry a purge keeps (all before it would go). */
    const purgedBefore: Array<{ chain: string; firstKept: number }> = [];
    const chains = heldBack ? [] : await db.selectFrom('audit_entries').select('chain_id').distinct().execute();
    const segmentProblem = chains.length > 0 ? await deps.chainSegmentChecker?.(db) : undefined;
    for (const { chain_id: chain } of chains) {
      // Only entries already there are judged: one its writer appends while this runs is after `upTo`,
      // and never taken for part of a chain with nothing to keep.
      const upTo = (
        await db
          .selectFrom('audit_entries')
          .select((eb) => eb.fn.max<number>('seq').as('seq'))
          .where('chain_id', '=', chain)
          .executeTakeFirst()
      )?.seq;
      if (upTo === null || upTo === undefined) continue;
      const keep = await db
        .selectFrom('audit_entries')
        .select((eb) => eb.fn.min<number>('seq').as('seq'))
        .where('chain_id', '=', chain)
        .where('seq', '<=', Number(upTo))
        .where((eb) =>
          eb.or([
            eb.and([eb('kind', 'in', WITH_DECISIONS), eb('at', '>=', decisionsBefore)]),
            eb.and([eb('kind', 'not in', WITH_DECISIONS), eb('at', '>=', actsBefore)]),
            ...(highRisk.size ? [eb.and([eb('agent', 'in', highRiskSet), eb('at', '>=', floor)])] : []),
            ...(departed.size ? [heldDeparted(eb, 'audit_entries', 'at')] : []),
            ...(incident.size ? [eb('agent', 'in', incidentSet)] : []),
            // A deleted agent's decisions: held as above.
            eb.and([
              eb('kind', '=', 'decision'),
              eb('agent', '!=', UNBOOKED),
              eb('agent', 'not in', registered()),
              ...(deletedHeldEntirely ? [] : [eb('at', '>=', floor)]),
            ]),
          ]),
        )
        .executeTakeFirst();
      // Nothing to keep: the whole chain as it was may go (up to `upTo`).
      const firstKept = keep?.seq === null || keep?.seq === undefined ? Number(upTo) + 1 : Number(keep.seq);
      // What would go is checked first (outside the chain's lock: the writer only appends after it).
      const problem = firstKept > 1 ? await segmentProblem?.(chain, firstKept - 1) : undefined;
      if (problem) {
        const why = `audit chain ${chain}: entries not purged, ${problem} (run \`fulcrum audit verify\`)`;
        result.auditHeldBack = result.auditHeldBack ? `${result.auditHeldBack}; ${why}` : why;
        continue;
      }
      if (dryRun) {
        // What moveChainStart and the deletes below take: every entry before the first kept.
        const gone = await db
          .selectFrom('audit_entries')
          .select((eb) => ['kind', eb.fn.countAll<number | string>().as('n')])
          .where('chain_id', '=', chain)
          .where('seq', '<', firstKept)
          .groupBy('kind')
          .execute();
        for (const g of gone) result[g.kind === 'decision' ? 'decisions' : 'auditEntries'] += Number(g.n);
        purgedBefore.push({ chain, firstKept });
        continue;
      }
      const last = await moveChainStart(chain, firstKept);
      if (!last) continue; // nothing to purge, or another purge got there first
      // The start is committed before the entries go: a crash in between leaves entries before the
      // start, which verify never reads and the next purge deletes. Deleting outside the locked
      // transaction keeps the chain's writer (which moves its head in that row) from waiting on it.
      // A slice of the chain's first entries at a time, counted by the rows its DELETE returns: a
      // count read before it would include rows another node's purge deletes first (found by review:
      // two nodes both counted one slice, and their `retention.purged` said more than was deleted).
      await inSlices(async (limit) => {
        const upper = await db
          .selectFrom('audit_entries')
          .select('seq')
          .where('chain_id', '=', chain)
          .where('seq', '<=', last)
          .orderBy('seq')
          .offset(limit - 1)
          .limit(1)
          .executeTakeFirst();
        const through = upper ? Number(upper.seq) : last;
        const gone = await db
          .deleteFrom('audit_entries')
          .where('chain_id', '=', chain)
          .where('seq', '<=', through)
          .returning('kind')
          .execute();
        for (const { kind } of gone) result[kind === 'decision' ? 'decisions' : 'auditEntries'] += 1;
        return gone.length;
      });
    }
    // An approval keeps a copy of its call's arguments (what the approver decided on): once it can no
    // longer be used (decided and spent, denied, revoked or expired), they go with its decision's
    // (redacted above, or its entry purged), and stay while those are held (found by review: redacted
    // in the audit log, they stayed in the approval for ever). Stored as JSON text: redacted is `null`.
    const settled = db
      .selectFrom('approvals')
      .select(rowId.as('r'))
      .where('created_at', '<', cutoff(p.arguments))
      .where('arguments', '!=', 'null')
      .where((eb) => eb.or([eb('status', 'in', ['used', 'denied', 'revoked']), eb('expires_at', '<', now.toISOString())]))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('audit_entries')
              .select('audit_entries.id')
              .whereRef('audit_entries.id', '=', 'approvals.decision_id')
              .where('audit_entries.arguments', 'is not', null)
              // A preview changed nothing above: an entry keeps its arguments only if the purge would
              // neither have redacted them nor deleted it (a chain's prefix; one term per chain, a
              // chain per writing node).
              .$if(dryRun, (q) =>
                q
                  .where('audit_entries.id', 'not in', redact.select('audit_entries.id'))
                  .where((eb) =>
                    eb.and(
                      purgedBefore.map(({ chain, firstKept }) =>
                        eb.or([eb('audit_entries.chain_id', '!=', chain), eb('audit_entries.seq', '>=', firstKept)]),
                      ),
                    ),
                  ),
              ),
          ),
        ),
      );
    result.arguments += dryRun
      ? await count(settled)
      : await inSlices(
          async (limit) =>
            (
              await db
                .updateTable('approvals')
                .set({ arguments: 'null' })
                .where(rowsIn(adapter, settled.limit(limit)))
                .executeTakeFirst()
            ).numUpdatedRows,
        );

    // A departure holds its agent's rows from the floor up to its leaving; once the floor has passed the
    // leaving it holds nothing, and never will again (the floor only moves on): it goes (found by
    // review: the table grew for ever). docs/governance.md, Retention.
    if (!dryRun)
      await deleteInSlices(
        db,
        adapter,
        'agent_departures',
        db.selectFrom('agent_departures').select(rowId.as('r')).where('left_at', '<', floor),
      );
    const { held: _, auditHeldBack: _why, dryRun: _preview, ...deleted } = result;
    // Recorded after the purge, not with it: a purge deletes in slices, each its own short transaction
    // (a purge of millions of rows never holds the database, nor the audit writer's transaction, which
    // every decision of the node waits on). A purge whose entry failed deleted only what was past the
    // periods in force, which the log's retention.changed entries record; docs/audit.md.
    if (dryRun) {
      result.dryRun = true;
      return result;
    }
    if (Object.values(deleted).some((n) => n > 0))
      await deps.recordAct?.({ kind: 'retention.purged', actor: actorName(actor), detail: { deleted, periods: p } });
    return result;
  }
}
