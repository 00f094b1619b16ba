// What the plan reads from the database beyond the diagnostic's facts, each as one SQL aggregate:
// tasks per model (the tasks-by-model rollup: spans joined to task outcomes by trace at ingest), daily
// task volume and cost per model in the window (the rollups) and open promotion reviews. Never raw rows
// into memory.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { createPriceBook } from '../evidence/cost.js';
import type { Membership } from '../evidence/membership.js';
import type { OutcomeReport } from '../evidence/outcomes.js';
import type { Incident } from '../governance/incidents.js';
import type { RegistrySnapshot } from '../registry/model.js';
import { CLASSIFICATIONS } from '../registry/schemas.js';
import { ACTIVE_STAGES } from '../registry/stages.js';
import type { Facts } from './diagnostic.js';
import type { MixGroup, ModelTasks } from './model-mix.js';
import type { PlanFacts, PlanThresholds } from './plan.js';
import { computeRoi, type Roi } from './roi.js';

const ACTIVE = ACTIVE_STAGES;

/**
 * Per agent and model, the tasks of the window credited to exactly that model (`model` null: several
 * models in one trace when `mixed`, or no model call at all). A task is a trace with a task outcome
 * (`fulcrum.task.outcome` on an invoke_agent span), booked to the day of its earliest span; it
 * succeeded when every outcome in it is `resolved`. Read from the daily rollup the ingest keeps
 * (model_tasks_daily, src/evidence/task-models.ts): O(agents × days × models), whatever the traffic.
 * Grouping the window's spans by trace instead took 1.3–1.9 s over 1M spans.
 */
export async function tasksPerModel(
  db: Kysely<Database>,
  agents: string[],
  from: string,
  to: string,
): Promise<Array<Omit<ModelTasks, 'model'> & { agent: string; mixed: boolean; model: string | null }>> {
  if (agents.length === 0) return [];
  const rows = await db
    .selectFrom('model_tasks_daily')
    .select((eb) => [
      'agent',
      'model',
      'mixed',
      eb.fn.sum<number>('tasks').as('tasks'),
      eb.fn.sum<number>('resolved').as('resolved'),
      eb.fn.sum<number>('calls').as('calls'),
      eb.fn.sum<number>('unpriced_calls').as('unpriced'),
      eb.fn.sum<number>('cost_usd').as('cost'),
      eb.fn.sum<number>('input_tokens').as('input'),
      eb.fn.sum<number>('output_tokens').as('output'),
    ])
    .where('agent', 'in', agents)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .groupBy(['agent', 'model', 'mixed'])
    .execute();
  return rows
    .map((r) => ({
      agent: r.agent,
      model: r.model === '' ? null : r.model,
      mixed: Number(r.mixed) === 1,
      tasks: Number(r.tasks ?? 0),
      resolved: Number(r.resolved ?? 0),
      calls: Number(r.calls ?? 0),
      unpricedCalls: Number(r.unpriced ?? 0),
      // Retracted and re-added as a trace's spans arrive: round off the float residue.
      costUsd: Math.round(Number(r.cost ?? 0) * 1e9) / 1e9,
      inputTokens: Number(r.input ?? 0),
      outputTokens: Number(r.output ?? 0),
    }))
    .filter((r) => r.tasks > 0);
}

/** Finished tasks per agent and day since `from` (the rollups: events and invoke_agent spans alike). */
export async function dailyTasks(
  db: Kysely<Database>,
  agents: string[],
  from: string,
  to: string,
): Promise<Array<{ agent: string; day: string; tasks: number }>> {
  if (agents.length === 0) return [];
  const rows = await db
    .selectFrom('evidence_daily')
    .select((eb) => [
      'agent',
      'day',
      eb.fn
        .sum<number>(
          eb(
            eb(eb('tasks_resolved', '+', eb.ref('tasks_escalated')), '+', eb.ref('tasks_failed')),
            '+',
            eb.ref('tasks_abandoned'),
          ),
        )
        .as('tasks'),
    ])
    .where('agent', 'in', agents)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .groupBy(['agent', 'day'])
    .execute();
  return rows.map((r) => ({ agent: r.agent, day: r.day, tasks: Number(r.tasks ?? 0) }));
}

/** Telemetry cost per agent, day and model key in the window: measured (priced at ingest) and agent-reported. */
export async function costPerModel(
  db: Kysely<Database>,
  agents: string[],
  from: string,
  to: string,
): Promise<Array<{ agent: string; day: string; model: string; measured: number; reported: number; calls: number }>> {
  if (agents.length === 0) return [];
  const rows = await db
    .selectFrom('evidence_daily')
    .select((eb) => [
      'agent',
      'day',
      'model',
      eb.fn.sum<number>('cost_measured_usd').as('measured'),
      eb.fn.sum<number>('cost_reported_usd').as('reported'),
      eb.fn.sum<number>('model_calls').as('calls'),
    ])
    .where('agent', 'in', agents)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .groupBy(['agent', 'day', 'model'])
    .execute();
  return rows.map((r) => ({
    agent: r.agent,
    day: r.day,
    model: r.model,
    measured: Number(r.measured ?? 0),
    reported: Number(r.reported ?? 0),
    calls: Number(r.calls ?? 0),
  }));
}

/** Open promotion reviews with the sign-off roles still missing. */
export async function openReviews(
  db: Kysely<Database>,
): Promise<Array<{ id: string; initiative: string; to: string; pending: string[] }>> {
  const reviews = await db
    .selectFrom('reviews')
    .select(['id', 'initiative', 'to_stage', 'required'])
    .where('status', '=', 'open')
    .execute();
  if (reviews.length === 0) return [];
  const signed = await db
    .selectFrom('review_signoffs')
    .select(['review_id', 'role'])
    .where(
      'review_id',
      'in',
      reviews.map((r) => r.id),
    )
    .execute();
  return reviews.map((r) => ({
    id: r.id,
    initiative: r.initiative,
    to: r.to_stage,
    pending: (JSON.parse(r.required) as string[]).filter((role) => !signed.some((s) => s.review_id === r.id && s.role === role)),
  }));
}

/** The diagnostic's facts plus what the plan reads: ROI per active initiative, volumes, costs, tasks per model. */
export async function planFacts(
  db: Kysely<Database>,
  base: Facts & { outcomes: ReadonlyMap<string, OutcomeReport>; membership: Membership },
  t: PlanThresholds,
  incidents: ReadonlyArray<
    Pick<Incident, 'id' | 'title' | 'severity' | 'status' | 'owner' | 'seriousIncident' | 'agents' | 'initiatives'>
  >,
): Promise<PlanFacts> {
  const r = base.registry;
  const active = r.list('Initiative').filter((i) => ACTIVE.has(i.spec.stage));
  const roi = new Map<string, Roi>();
  const membership = base.membership;
  for (const i of active) roi.set(i.name, await computeRoi(db, r, i.name, base.now, base.outcomes.get(i.name), membership));
  const names = new Set(active.map((i) => i.name));
  const agents = r
    .list('Agent')
    .filter((a) => names.has(a.spec.initiative))
    .map((a) => a.name)
    .sort();
  // Volumes and costs are an initiative's for the days its agents worked for it: those of agents that
  // left it too, and not those of before an agent moved in (src/evidence/membership.ts).
  const members = [...new Set(active.flatMap((i) => membership.agentsOf(i.name)))].sort();
  const { from, to } = base.window;
  const trendFrom = new Date(Date.parse(`${to}T00:00:00.000Z`) - (t.trendDays - 1) * 86_400_000).toISOString().slice(0, 10);
  const daily = (await dailyTasks(db, members, trendFrom, to)).map((d) => {
    const initiative = membership.initiativeOn(d.agent, d.day);
    return initiative ? { ...d, initiative } : d;
  });
  const windowCost = new Map<string, PlanFacts['windowCost'][number]>();
  for (const c of await costPerModel(db, members, from, to)) {
    const initiative = membership.initiativeOn(c.agent, c.day);
    const key = JSON.stringify([c.agent, c.model, initiative ?? null]);
    const w = windowCost.get(key);
    if (w)
      windowCost.set(key, {
        ...w,
        measured: w.measured + c.measured,
        reported: w.reported + c.reported,
        calls: w.calls + c.calls,
      });
    else {
      const { day: _day, ...sums } = c;
      windowCost.set(key, initiative ? { ...sums, initiative } : sums);
    }
  }
  // The model mix is by initiative and archetype as the registry has them now: its agents as they are.
  const current = new Set(agents);
  const joined = await tasksPerModel(db, agents, from, to);
  const prices = createPriceBook(r);
  return {
    ...base,
    roi,
    dailyTasks: daily,
    windowCost: [...windowCost.values()],
    mixGroups: mixGroups(
      r,
      joined,
      daily.filter((d) => current.has(d.agent)),
      from,
    ),
    openReviews: await openReviews(db),
    openIncidents: incidents
      .filter((x) => x.status === 'open' || x.status === 'mitigated')
      .map((x) => ({
        id: x.id,
        title: x.title,
        severity: x.severity,
        serious: x.seriousIncident,
        owner: x.owner,
        agents: x.agents,
        initiatives: x.initiatives,
      })),
    price: (model, day, tokens) => prices.price(model, day, { ...tokens, cached: null }).cost,
  };
}

/** Tasks per model grouped by initiative and archetype, with the tasks no model can be credited with. */
function mixGroups(
  r: RegistrySnapshot,
  rows: Awaited<ReturnType<typeof tasksPerModel>>,
  daily: ReadonlyArray<{ agent: string; day: string; tasks: number }>,
  from: string,
): MixGroup[] {
  const groups = new Map<string, MixGroup>();
  const groupOf = (agent: string): MixGroup | undefined => {
    const a = r.get('Agent', agent);
    if (!a) return undefined;
    const key = `${a.spec.initiative}\u0000${a.spec.archetype ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        initiative: a.spec.initiative,
        archetype: a.spec.archetype ?? null,
        agents: [],
        models: [],
        unattributed: { mixedModels: 0, noModelCall: 0 },
        eventTasks: 0,
        classification: null,
      };
      groups.set(key, g);
    }
    if (!g.agents.includes(agent)) g.agents.push(agent);
    return g;
  };
  const joinedPerAgent = new Map<string, number>();
  for (const row of rows) {
    const g = groupOf(row.agent);
    if (!g) continue;
    joinedPerAgent.set(row.agent, (joinedPerAgent.get(row.agent) ?? 0) + row.tasks);
    if (row.model === null) {
      if (row.mixed) g.unattributed.mixedModels += row.tasks;
      else g.unattributed.noModelCall += row.tasks;
      continue;
    }
    const m = g.models.find((x) => x.model === row.model);
    // The model's own counts only (not the row's agent and mixed flag): they are summed over the group's agents.
    const { agent: _agent, mixed: _mixed, ...counts } = row;
    if (!m) g.models.push({ ...counts, model: row.model });
    else
      for (const k of ['tasks', 'resolved', 'calls', 'unpricedCalls', 'costUsd', 'inputTokens', 'outputTokens'] as const)
        m[k] += row[k];
  }
  // Tasks in the rollups that no trace joins (reported as task events): counted, never credited to a model.
  const windowTasks = new Map<string, number>();
  for (const d of daily) if (d.day >= from) windowTasks.set(d.agent, (windowTasks.get(d.agent) ?? 0) + d.tasks);
  for (const [agent, n] of windowTasks) {
    const g = n > 0 ? groupOf(agent) : undefined;
    if (g) g.eventTasks += Math.max(0, n - (joinedPerAgent.get(agent) ?? 0));
  }
  for (const g of groups.values()) {
    const domains = new Set<string>();
    for (const agent of g.agents) {
      const a = r.get('Agent', agent);
      for (const d of (a?.spec.archetype && r.get('Archetype', a.spec.archetype)?.spec.dataDomains) || []) domains.add(d);
      for (const tool of a?.spec.extraTools ?? []) for (const d of r.get('Tool', tool)?.spec.dataDomains ?? []) domains.add(d);
    }
    const levels = [...domains].map((d) => CLASSIFICATIONS.indexOf(r.get('DataDomain', d)?.spec.classification ?? 'public'));
    g.classification = levels.length ? (CLASSIFICATIONS[Math.max(...levels)] ?? null) : null;
    g.agents.sort();
    g.models.sort((a, b) => b.tasks - a.tasks || a.model.localeCompare(b.model));
  }
  return [...groups.values()].sort(
    (a, b) => a.initiative.localeCompare(b.initiative) || (a.archetype ?? '').localeCompare(b.archetype ?? ''),
  );
}
