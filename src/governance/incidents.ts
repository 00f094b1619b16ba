// Incidents: severity, a status that only moves forward (open → mitigated → resolved → closed), a
// timeline, linked agents and initiatives, an owner, and for serious incidents the EU AI Act Art. 73
// reporting clock. Every change is also recorded in the audit log.
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import { actorName, assertCan, can, type Principal } from '../auth/principal.js';
import { newId } from '../auth/tokens.js';
import { adapterOf, orBatches } from '../db/adapter.js';
import type { Database, IncidentTable } from '../db/schema.js';
import { ConflictError, NotAllowedError, NotFoundError, ValidationError } from '../errors.js';
import type { ActRecord, ChangeWithActs } from '../guard/audit.js';
import type { RegistrySnapshot } from '../registry/model.js';

export const SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4'] as const;
export const STATUSES = ['open', 'mitigated', 'resolved', 'closed'] as const;
/** Art. 73(2)–(4): 15 days; 10 if a death; 2 for a widespread infringement or serious disruption of critical infrastructure. */
export const SERIOUS_KINDS = { death: 10, 'widespread-infringement': 2, 'critical-infrastructure': 2, other: 15 } as const;
export type SeriousKind = keyof typeof SERIOUS_KINDS;
const DAY = 86_400_000;
/**
 * Notes one incident holds at most (10,000 characters each): its timeline is read whole, by
 * GET /v1/incidents/<id> and the evidence export. Found by review: notes had no limit, and 2,000
 * made the incident a 20 MB answer taking 1.8 s; a script adding them for an hour, a gigabyte.
 */
export const MAX_NOTES = 1000;
/** How far ahead of this server's clock `awareAt` may be: another machine's clock, not a later date. */
export const AWARE_AT_SKEW_MS = 5 * 60_000;
/** The earliest `awareAt` taken: before it is a typo, not an incident anyone still reports. */
export const AWARE_AT_EARLIEST = '2000-01-01T00:00:00.000Z';

/**
 * What is wrong with `awareAt`, if anything. The Art. 73 clock starts then, so a date in the future
 * would postpone the deadline at will (year 9999 even puts it past what an ISO date can say).
 */
function awareAtProblem(awareAt: string | undefined, now: number): string | undefined {
  if (awareAt === undefined) return undefined;
  const t = Date.parse(awareAt);
  if (Number.isNaN(t)) return `awareAt "${awareAt}" is not a date-time`;
  if (t > now + AWARE_AT_SKEW_MS) return `awareAt ${awareAt} is in the future: the reporting clock starts when it became known`;
  if (t < Date.parse(AWARE_AT_EARLIEST)) return `awareAt ${awareAt} is before ${AWARE_AT_EARLIEST.slice(0, 10)}`;
  return undefined;
}

export interface NewIncident {
  title: string;
  description?: string;
  severity: (typeof SEVERITIES)[number];
  owner?: string;
  agents?: string[];
  initiatives?: string[];
  seriousIncident?: boolean;
  seriousKind?: SeriousKind;
  /** When the provider became aware of it (the clock starts then); default now. */
  awareAt?: string;
  source?: string;
}

export interface Deps {
  db: Kysely<Database>;
  registry(): Promise<RegistrySnapshot>;
  /** An incident's change and its audit entry, in one transaction (src/guard/audit.ts). */
  changeWithActs: ChangeWithActs;
}

export type IncidentService = ReturnType<typeof createIncidentService>;

export function reportingClock(row: Pick<IncidentTable, 'serious' | 'report_due_at' | 'reported_at'>, now = new Date()) {
  if (!row.serious || !row.report_due_at) return null;
  return {
    dueAt: row.report_due_at,
    reportedAt: row.reported_at,
    overdue: row.reported_at === null && Date.parse(row.report_due_at) < now.getTime(),
    daysLeft: row.reported_at ? null : Math.floor((Date.parse(row.report_due_at) - now.getTime()) / DAY),
  };
}

function toIncident(r: IncidentTable, now = new Date()) {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    severity: r.severity,
    status: r.status,
    owner: r.owner,
    agents: JSON.parse(r.agents) as string[],
    initiatives: JSON.parse(r.initiatives) as string[],
    seriousIncident: r.serious === 1,
    seriousKind: r.serious_kind as SeriousKind | null,
    awareAt: r.aware_at,
    reporting: reportingClock(r, now),
    reportReference: r.report_reference,
    source: r.source,
    openedAt: r.opened_at,
    updatedAt: r.updated_at,
  };
}
export type Incident = ReturnType<typeof toIncident>;

/** Incidents the board report counts and lists: still open (or mitigated), opened since, or either. */
export type IncidentsWhich = 'open' | 'recent' | 'either';
const UNRESOLVED = ['open', 'mitigated'] as const;

/**
 * The board report's order, most pressing first, in SQL (pressing() in src/insight/report.ts says it
 * for incidents in memory): a serious incident whose report is overdue at `now`, then serious ones,
 * then by severity, then by status (open first), then the newest; the id last, so ties keep one order.
 */
function pressingFirst<O>(q: SelectQueryBuilder<Database, 'incidents', O>, now: string) {
  const rank = (values: readonly string[], column: 'severity' | 'status') =>
    sql<number>`CASE ${sql.ref(column)} ${sql.join(
      values.map((v, i) => sql`WHEN ${v} THEN ${sql.lit(i)}`),
      sql` `,
    )} ELSE ${sql.lit(values.length)} END`;
  return q
    .orderBy(
      sql`CASE WHEN serious = 1 AND reported_at IS NULL AND report_due_at IS NOT NULL AND report_due_at < ${now} THEN 0 ELSE 1 END`,
    )
    .orderBy('serious', 'desc')
    .orderBy(rank(SEVERITIES, 'severity'))
    .orderBy(rank(STATUSES, 'status'))
    .orderBy('opened_at', 'desc')
    .orderBy('id', 'desc');
}

export function createIncidentService(deps: Deps) {
  const { db } = deps;

  function assertMayWrite(actor: Principal, incident?: IncidentTable): void {
    if (can(actor, 'incidents.write') || (actor.type === 'person' && incident?.owner === actor.id)) return;
    throw new NotAllowedError(`${actorName(actor)} may not open or change incidents`);
  }

  /**
   * Closing releases the incident's retention holds; recording a serious incident's authority report
   * stops its Art. 73 clock and takes it out of the overdue counts, once and for good (found by review:
   * any approver or agent owner could record it). Both take platform, reviewer:risk, admin or its owner.
   */
  function assertMayClose(actor: Principal, incident: IncidentTable, act: 'close' | 'report'): void {
    if (can(actor, 'incidents.close') || (actor.type === 'person' && incident.owner === actor.id)) return;
    const [what, why] =
      act === 'close'
        ? [`close incident ${incident.id}`, 'closing takes']
        : [`record the authority report of incident ${incident.id}`, 'it stops the Art. 73 clock, which takes'];
    throw new NotAllowedError(
      `${actorName(actor)} may not ${what}: ${why} platform, reviewer:risk, admin or the incident's owner (${incident.owner ? `owner ${incident.owner}` : 'it has no owner'})`,
    );
  }

  /** Incident `id`; one that does not exist is refused, not 404, to a caller who may not read incidents
   *  (an agent's key learnt which ids exist, and they count up). */
  async function row(id: string, actor?: Principal): Promise<IncidentTable> {
    const r = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r && actor && !can(actor, 'registry.read'))
      throw new NotAllowedError(`${actorName(actor)} may not open or change incidents`);
    if (!r) throw new NotFoundError(`no incident "${id}"`);
    return r;
  }

  async function timeline(
    trx: Kysely<Database>,
    incident: string,
    actor: string,
    kind: string,
    status: string | null,
    note: string | null,
    at: string,
  ) {
    await trx.insertInto('incident_timeline').values({ incident_id: incident, at, actor, kind, status, note }).execute();
  }

  return {
    /**
     * `suspending`: the agents a monitor's kill switch suspends for this incident, written in the
     * timeline in the same transaction (kind `suspending`): the suspension is owed until its
     * `suspended` entry follows (src/governance/monitors.ts).
     */
    async open(actor: Principal, input: NewIncident, opts: { suspending?: readonly string[] } = {}): Promise<Incident> {
      assertMayWrite(actor);
      const registry = await deps.registry();
      const problems = [
        ...(input.agents ?? [])
          .filter((a) => !registry.has('Agent', a))
          .map((a) => ({ path: '/agents', message: `no Agent named "${a}"` })),
        ...(input.initiatives ?? [])
          .filter((i) => !registry.has('Initiative', i))
          .map((i) => ({ path: '/initiatives', message: `no Initiative named "${i}"` })),
        ...(input.owner && !registry.has('Person', input.owner)
          ? [{ path: '/owner', message: `no Person named "${input.owner}"` }]
          : []),
        ...[awareAtProblem(input.awareAt, Date.now())].flatMap((m) => (m ? [{ path: '/awareAt', message: m }] : [])),
      ];
      if (problems.length > 0) throw new ValidationError(problems.map((p) => p.message).join('; '), problems);
      // Linked agents bring their initiatives; the owner defaults to an initiative's incident owner.
      const initiatives = [
        ...new Set([
          ...(input.initiatives ?? []),
          ...(input.agents ?? []).map((a) => registry.get('Agent', a)?.spec.initiative as string),
        ]),
      ];
      const owner =
        input.owner ??
        initiatives.map((i) => registry.get('Initiative', i)?.spec.incidentOwner).find((o) => o !== undefined) ??
        (actor.type === 'person' ? actor.id : null);
      const now = new Date().toISOString();
      const awareAt = input.awareAt ? new Date(input.awareAt).toISOString() : now;
      const kind = input.seriousIncident ? (input.seriousKind ?? 'other') : null;
      const r: IncidentTable = {
        id: newId('inc_'),
        title: input.title,
        description: input.description ?? '',
        severity: input.severity,
        status: 'open',
        owner,
        agents: JSON.stringify(input.agents ?? []),
        initiatives: JSON.stringify(initiatives),
        serious: input.seriousIncident ? 1 : 0,
        serious_kind: kind,
        aware_at: awareAt,
        report_due_at: kind ? new Date(Date.parse(awareAt) + SERIOUS_KINDS[kind] * DAY).toISOString() : null,
        reported_at: null,
        report_reference: null,
        source: input.source ?? 'manual',
        opened_at: now,
        updated_at: now,
      };
      await deps.changeWithActs(async (trx) => {
        await trx.insertInto('incidents').values(r).execute();
        await timeline(trx, r.id, actorName(actor), 'opened', 'open', input.description ?? null, now);
        if (opts.suspending?.length)
          await timeline(trx, r.id, actorName(actor), 'suspending', null, opts.suspending.join(', '), now);
        const act: ActRecord = {
          kind: 'incident.opened',
          actor: actorName(actor),
          agent: input.agents?.[0] ?? null,
          detail: { incident: r.id, severity: r.severity, serious: r.serious === 1, title: r.title },
        };
        return { value: undefined, acts: [act] };
      });
      return toIncident(r);
    },

    async list(actor: Principal, q: { status?: string; overdue?: boolean; limit: number }): Promise<Incident[]> {
      assertCan(actor, 'registry.read');
      let sel = db.selectFrom('incidents').selectAll().orderBy('opened_at', 'desc').limit(q.limit);
      if (q.status) sel = sel.where('status', '=', q.status as IncidentTable['status']);
      if (q.overdue)
        sel = sel.where('serious', '=', 1).where('reported_at', 'is', null).where('report_due_at', '<', new Date().toISOString());
      return (await sel.execute()).map((r) => toIncident(r));
    },

    /**
     * Every incident linked to the initiative or to one of its agents, newest first, however many
     * (the evidence export must not miss old ones). The database narrows by the names' JSON text;
     * the exact match is made here.
     */
    async related(actor: Principal, initiative: string, agents: readonly string[]): Promise<Incident[]> {
      assertCan(actor, 'registry.read');
      const found = new Map<string, IncidentTable>();
      // A few hundred LIKEs to a query.
      for (const [i, batch] of orBatches(agents).entries()) {
        const rows = await db
          .selectFrom('incidents')
          .selectAll()
          .where((eb) =>
            eb.or([
              ...(i === 0 ? [eb('initiatives', 'like', `%${JSON.stringify(initiative)}%`)] : []),
              ...batch.map((a) => eb('agents', 'like', `%${JSON.stringify(a)}%`)),
            ]),
          )
          .execute();
        for (const r of rows) found.set(r.id, r);
      }
      return [...found.values()]
        .sort((a, b) => b.opened_at.localeCompare(a.opened_at) || b.id.localeCompare(a.id))
        .map((r) => toIncident(r))
        .filter((x) => x.initiatives.includes(initiative) || x.agents.some((a) => agents.includes(a)));
    },

    async get(actor: Principal, id: string) {
      assertCan(actor, 'registry.read');
      const r = await row(id);
      const events = await db.selectFrom('incident_timeline').selectAll().where('incident_id', '=', id).orderBy('id').execute();
      return {
        ...toIncident(r),
        timeline: events.map((e) => ({
          at: e.at,
          actor: e.actor,
          kind: e.kind,
          status: e.status as (typeof STATUSES)[number] | null,
          note: e.note,
        })),
      };
    },

    /** Moves the status forward (steps may be skipped, never undone). */
    async transition(actor: Principal, id: string, to: (typeof STATUSES)[number], note?: string): Promise<Incident> {
      const r = await row(id, actor);
      assertMayWrite(actor, r);
      if (to === 'closed') assertMayClose(actor, r, 'close');
      if (STATUSES.indexOf(to) <= STATUSES.indexOf(r.status))
        throw new ConflictError(`incident ${id} is ${r.status}: it can only move forward (${STATUSES.join(' → ')})`);
      const now = new Date().toISOString();
      await deps.changeWithActs(async (trx) => {
        const updated = await trx
          .updateTable('incidents')
          .set({ status: to, updated_at: now })
          .where('id', '=', id)
          .where('status', '=', r.status)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) throw new ConflictError(`incident ${id} changed meanwhile; try again`);
        await timeline(trx, id, actorName(actor), 'status', to, note ?? null, now);
        const act: ActRecord = {
          kind: 'incident.status',
          actor: actorName(actor),
          detail: { incident: id, from: r.status, to, ...(note ? { note } : {}) },
        };
        return { value: undefined, acts: [act] };
      });
      return toIncident({ ...r, status: to, updated_at: now });
    },

    async note(actor: Principal, id: string, note: string): Promise<void> {
      const r = await row(id, actor);
      assertMayWrite(actor, r);
      // Counted under the incident's lock (PostgreSQL; SQLite's write transaction serialises anyway),
      // so notes sent at once from several nodes never pass the limit together.
      await db.transaction().execute(async (trx) => {
        if (adapterOf(db).rowLocks) await trx.selectFrom('incidents').select('id').where('id', '=', id).forUpdate().execute();
        const { n } = await trx
          .selectFrom('incident_timeline')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('incident_id', '=', id)
          .where('kind', '=', 'note')
          .executeTakeFirstOrThrow();
        if (Number(n) >= MAX_NOTES)
          throw new ConflictError(
            `incident ${id} holds ${n} notes, the most one may (its timeline is read whole): keep further detail elsewhere and note where in a transition`,
          );
        await timeline(trx, id, actorName(actor), 'note', null, note, new Date().toISOString());
      });
    },

    /** The serious-incident report went to the market surveillance authority: the clock stops. */
    async reported(actor: Principal, id: string, reference: string): Promise<Incident> {
      const r = await row(id, actor);
      assertMayClose(actor, r, 'report');
      if (!r.serious) throw new ConflictError(`incident ${id} is not a serious incident: there is nothing to report`);
      if (r.reported_at) throw new ConflictError(`incident ${id} was already reported at ${r.reported_at}`);
      const now = new Date().toISOString();
      await deps.changeWithActs(async (trx) => {
        // Only if nobody recorded it meanwhile: the same report sent twice at once is one report.
        const updated = await trx
          .updateTable('incidents')
          .set({ reported_at: now, report_reference: reference, updated_at: now })
          .where('id', '=', id)
          .where('reported_at', 'is', null)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) throw new ConflictError(`incident ${id} was reported meanwhile`);
        await timeline(trx, id, actorName(actor), 'reported', null, reference, now);
        const act: ActRecord = { kind: 'incident.reported', actor: actorName(actor), detail: { incident: id, reference } };
        return { value: undefined, acts: [act] };
      });
      return toIncident({ ...r, reported_at: now, report_reference: reference, updated_at: now });
    },

    /**
     * How many incidents the board report draws from (open or mitigated, or opened since `since`), by
     * severity and status: `n` of each, `recent` of them opened since. At most 16 rows, however many
     * incidents there are (the report read the 1,000 newest and counted those: found by review).
     */
    async reportCounts(since: string) {
      const rows = await db
        .selectFrom('incidents')
        .select((eb) => [
          'severity',
          'status',
          eb.fn.countAll<number>().as('n'),
          eb.fn.sum<number>(eb.case().when('opened_at', '>=', since).then(1).else(0).end()).as('recent'),
        ])
        .where((eb) => eb.or([eb('status', 'in', UNRESOLVED), eb('opened_at', '>=', since)]))
        .groupBy(['severity', 'status'])
        .execute();
      return rows.map((r) => ({ severity: r.severity, status: r.status, n: Number(r.n), recent: Number(r.recent) }));
    },

    /** The `limit` most pressing incidents of `which` (the board report's order: pressingFirst). */
    async mostPressing(which: IncidentsWhich, since: string, limit: number): Promise<Incident[]> {
      const now = new Date();
      let q = db.selectFrom('incidents').selectAll();
      if (which === 'open') q = q.where('status', 'in', UNRESOLVED);
      else if (which === 'recent') q = q.where('opened_at', '>=', since);
      else q = q.where((eb) => eb.or([eb('status', 'in', UNRESOLVED), eb('opened_at', '>=', since)]));
      const rows = await pressingFirst(q, now.toISOString()).limit(limit).execute();
      return rows.map((r) => toIncident(r, now));
    },

    /** Every incident still open or mitigated, newest first, with what the plan reads of it (not the rest). */
    async unresolved() {
      const rows = await db
        .selectFrom('incidents')
        .select(['id', 'title', 'severity', 'status', 'owner', 'serious', 'agents', 'initiatives'])
        .where('status', 'in', UNRESOLVED)
        .orderBy('opened_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        title: r.title,
        severity: r.severity,
        status: r.status,
        owner: r.owner,
        seriousIncident: r.serious === 1,
        agents: JSON.parse(r.agents) as string[],
        initiatives: JSON.parse(r.initiatives) as string[],
      }));
    },

    /** Serious incidents not reported by their deadline. */
    async overdueCount(now = new Date()): Promise<number> {
      const r = await db
        .selectFrom('incidents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('serious', '=', 1)
        .where('reported_at', 'is', null)
        .where('report_due_at', '<', now.toISOString())
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
