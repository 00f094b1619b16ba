// What the plan reads from the database beyond the diagnostic's facts, each as one SQL aggregate:
// tasks per model (spans joined to task outcomes by trace), daily task volume (the rollups), cost per
// model in the window (the rollups) and open promotion reviews. Never raw rows into memory.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { createPriceBook } from '../evidence/cost.js';
import type { OutcomeReport } from '../evidence/outcomes.js';
import type { Incident } from '../governance/incidents.js';
import type { RegistrySnapshot } from '../registry/model.js';
import { CLASSIFICATIONS } from '../registry/schemas.js';
import type { Facts } from './diagnostic.js';
import type { MixGroup, ModelTasks } from './model-mix.js';
import type { PlanFacts, PlanThresholds } from './plan.js';
import { computeRoi, type Roi } from './roi.js';

const ACTIVE = new Set(['pilot', 'production', 'scaled']);

const INFERENCE = sql`(operation IN ('chat', 'text_completion', 'generate_content', 'embeddings') OR (operation IS NULL AND model_reported IS NOT NULL))`;

/**
 * Per agent and model, the tasks of the window whose trace holds model calls of exactly that model
 * (`model` null: several models in one trace when `mixed`, or no model call at all). A task is a
 * trace with a task outcome (`fulcrum.task.outcome` on an invoke_agent span); it succeeded when
 * every outcome in it is `resolved`. One GROUP BY over the window's spans. The window is read by
 * `day`, which no index covers, on purpose: the spans_once range fetches each row of the window by a
 * random lookup (2.3 s for 333k spans on SQLite), a scan reads them in order (1.3–1.9 s over 1M spans,
 * 333k in the window, on a loaded 2-core machine). A per-day rollup of tasks by model at ingest would
 * make this O(agents × days × models); it belongs to the evidence store.
 */
export async function tasksPerModel(
  db: Kysely<Database>,
  agents: string[],
  from: string,
  to: string,
): Promise<Array<Omit<ModelTasks, 'model'> & { agent: string; mixed: boolean; model: string | null }>> {
  if (agents.length === 0) return [];
  const rows = await sql<{
    agent: string;
    model: string | null;
    mixed: number;
    tasks: number | string;
    resolved: number | string;
    calls: number | string;
    unpriced: number | string;
    cost: number | string | null;
    input: number | string | null;
    output: number | string | null;
  }>`
    SELECT agent, model, mixed, COUNT(*) AS tasks, SUM(success) AS resolved, SUM(calls) AS calls,
           SUM(unpriced) AS unpriced, SUM(cost) AS cost, SUM(input) AS input, SUM(output) AS output
    FROM (
      SELECT agent,
             CASE WHEN first_model = last_model THEN first_model END AS model,
             CASE WHEN first_model < last_model THEN 1 ELSE 0 END AS mixed,
             CASE WHEN resolved_outcomes = outcomes THEN 1 ELSE 0 END AS success,
             calls, unpriced, cost, input, output
      FROM (
        SELECT agent, trace_id,
               COUNT(task_outcome) AS outcomes,
               SUM(CASE WHEN task_outcome = 'resolved' THEN 1 ELSE 0 END) AS resolved_outcomes,
               MIN(m) AS first_model, MAX(m) AS last_model,
               SUM(inference) AS calls,
               SUM(CASE WHEN inference = 1 AND cost_usd IS NULL THEN 1 ELSE 0 END) AS unpriced,
               SUM(CASE WHEN inference = 1 THEN cost_usd END) AS cost,
               SUM(CASE WHEN inference = 1 THEN input_tokens END) AS input,
               SUM(CASE WHEN inference = 1 THEN output_tokens END) AS output
        FROM (
          SELECT agent, trace_id, task_outcome, cost_usd, input_tokens, output_tokens, inference,
                 CASE WHEN inference = 1 THEN COALESCE(model, model_reported) END AS m
          FROM (
            SELECT agent, trace_id, task_outcome, cost_usd, input_tokens, output_tokens, model, model_reported,
                   CASE WHEN ${INFERENCE} THEN 1 ELSE 0 END AS inference
            FROM spans
            WHERE day >= ${from} AND day <= ${to} AND agent IN (${sql.join(agents)})
              AND (task_outcome IS NOT NULL OR model_reported IS NOT NULL OR operation IS NOT NULL)
          ) window_spans
        ) model_spans
        GROUP BY agent, trace_id
      ) per_trace
      WHERE outcomes > 0
    ) per_task
    GROUP BY agent, model, mixed`.execute(db);
  return rows.rows.map((r) => ({
    agent: r.agent,
    model: r.model,
    mixed: Number(r.mixed) === 1,
    tasks: Number(r.tasks),
    resolved: Number(r.resolved ?? 0),
    calls: Number(r.calls ?? 0),
    unpricedCalls: Number(r.unpriced ?? 0),
    costUsd: Number(r.cost ?? 0),
    inputTokens: Number(r.input ?? 0),
    outputTokens: Number(r.output ?? 0),
  }));
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

/** Telemetry cost per agent and model key in the window: measured (priced at ingest) and agent-reported. */
export async function costPerModel(
  db: Kysely<Database>,
  agents: string[],
  from: string,
  to: string,
): Promise<Array<{ agent: string; model: string; measured: number; reported: number; calls: number }>> {
  if (agents.length === 0) return [];
  const rows = await db
    .selectFrom('evidence_daily')
    .select((eb) => [
      'agent',
      'model',
      eb.fn.sum<number>('cost_measured_usd').as('measured'),
      eb.fn.sum<number>('cost_reported_usd').as('reported'),
      eb.fn.sum<number>('model_calls').as('calls'),
    ])
    .where('agent', 'in', agents)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .groupBy(['agent', 'model'])
    .execute();
  return rows.map((r) => ({
    agent: r.agent,
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
  base: Facts & { outcomes: ReadonlyMap<string, OutcomeReport> },
  t: PlanThresholds,
  incidents: ReadonlyArray<Pick<Incident, 'id' | 'severity' | 'status' | 'agents' | 'initiatives'>>,
): Promise<PlanFacts> {
  const r = base.registry;
  const active = r.list('Initiative').filter((i) => ACTIVE.has(i.spec.stage));
  const roi = new Map<string, Roi>();
  for (const i of active) roi.set(i.name, await computeRoi(db, r, i.name, base.now, base.outcomes.get(i.name)));
  const names = new Set(active.map((i) => i.name));
  const agents = r
    .list('Agent')
    .filter((a) => names.has(a.spec.initiative))
    .map((a) => a.name)
    .sort();
  const { from, to } = base.window;
  const trendFrom = new Date(Date.parse(`${to}T00:00:00.000Z`) - (t.trendDays - 1) * 86_400_000).toISOString().slice(0, 10);
  const daily = await dailyTasks(db, agents, trendFrom, to);
  const joined = await tasksPerModel(db, agents, from, to);
  const prices = createPriceBook(r);
  return {
    ...base,
    roi,
    dailyTasks: daily,
    windowCost: await costPerModel(db, agents, from, to),
    mixGroups: mixGroups(r, joined, daily, from),
    openReviews: await openReviews(db),
    openIncidents: incidents
      .filter((x) => x.status === 'open' || x.status === 'mitigated')
      .map((x) => ({ id: x.id, severity: x.severity, agents: x.agents, initiatives: x.initiatives })),
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
    if (!m) g.models.push({ ...row, model: row.model });
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
