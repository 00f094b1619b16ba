// The plan: what to do next with each active initiative (scale, fix-then-scale, continue, stop), by
// rules written down in docs/insight.md "The plan", with the evidence behind each call and the
// blockers in the way (gap, clearing action, owner); a four-quarter roadmap (plan-roadmap.ts) and the
// model mix (model-mix.ts). A pure function of the facts, like the diagnostic.
import type { OutcomeReport } from '../evidence/outcomes.js';
import type { RegistrySnapshot } from '../registry/model.js';
import { ACTIVE_STAGES, daysInStage } from '../registry/stages.js';
import { type BudgetAlignment, budgetAlignment, DEFAULT_THRESHOLDS, type Evidence, type Facts } from './diagnostic.js';
import { type MixGroup, type ModelMix, modelMix } from './model-mix.js';
import { domainsOf, type Roadmap, roadmap, type ScaleCase, scaleCases } from './plan-roadmap.js';
import { REPORT_INCIDENTS_LISTED } from './report.js';
import type { Roi } from './roi.js';

export type Recommendation = 'scale' | 'fix-then-scale' | 'continue' | 'stop';
export type Gap =
  | 'unready-data'
  | 'untiered'
  | 'high-risk-owners'
  | 'review-waiting'
  | 'no-outcome-metric'
  | 'unmeasured-outcomes'
  | 'stalled'
  | 'thin-evidence'
  | 'open-incident'
  | 'roi-negative'
  | 'roi-unmeasured'
  | 'over-allocation'
  | 'compute-capacity'
  | 'non-standard-agent';

export interface Blocker {
  gap: Gap;
  detail: string;
  action: string;
  /** Who clears it: a Person, or a role when the action is any holder's (`people` lists them). */
  owner: string;
  people?: string[];
}

export interface InitiativePlan {
  name: string;
  title: string;
  stage: string;
  riskTier: string | null;
  owner: string;
  recommendation: Recommendation;
  /** The rule that decided it, in words. */
  reason: string;
  /** Mean progress from baseline to target (each metric clamped to −1…1); null when nothing is measured. */
  attainment: number | null;
  roi: number | null;
  evidence: Evidence[];
  blockers: Blocker[];
}

export interface Plan {
  generatedAt: string;
  window: { from: string; to: string };
  thresholds: PlanThresholds;
  initiatives: InitiativePlan[];
  roadmap: Roadmap['entries'];
  quarters: Roadmap['quarters'];
  modelMix: ModelMix['switches'];
  modelUsage: ModelMix['groups'];
  assumptions: string[];
}

/** The defaults of the plan's rules; each can be overridden per request. */
export const DEFAULT_PLAN_THRESHOLDS = {
  /** A pilot older than this must be ready to scale, or it stops. */
  stalledPilotDays: 180,
  /** Attainment (mean progress to target) needed to scale. */
  minAttainmentToScale: 0.8,
  /** Finished tasks in the window a measured attainment must rest on before it can say "scale". */
  minTasksToScale: 30,
  /** ROI over the last 30 days must be above this to scale. */
  minRoiToScale: 0,
  /** An initiative's spend in a category may exceed its own allocation, pro-rated to date, by this share. */
  budgetTolerance: 0.25,
  /** Tasks each model needs in a group before a switch is judged. */
  minTasksPerModel: 100,
  /** How much lower (absolute) a cheaper model's success rate may be and still count as not worse. */
  nonInferiorityMargin: 0.02,
  /** One-sided confidence the non-inferiority test must reach. */
  confidence: 0.95,
  /** Days of daily task volume the trend is fitted on, and how many of them must have tasks. */
  trendDays: 90,
  minTrendDays: 28,
};
export type PlanThresholds = typeof DEFAULT_PLAN_THRESHOLDS;

export interface PlanFacts extends Facts {
  outcomes: ReadonlyMap<string, OutcomeReport>;
  roi: ReadonlyMap<string, Roi>;
  /**
   * Finished tasks per agent and day over the trend period, with the initiative the agent worked for
   * that day (src/evidence/membership.ts; none when it was deleted by then).
   */
  dailyTasks: ReadonlyArray<{ agent: string; day: string; tasks: number; initiative?: string }>;
  /** Telemetry cost per agent, model key and the initiative the agent worked for, over the window. */
  windowCost: ReadonlyArray<{
    agent: string;
    model: string;
    measured: number;
    reported: number;
    calls: number;
    initiative?: string;
  }>;
  mixGroups: MixGroup[];
  openReviews: ReadonlyArray<{ id: string; initiative: string; to: string; pending: string[] }>;
  openIncidents: ReadonlyArray<{
    id: string;
    title: string;
    severity: string;
    serious: boolean;
    owner: string | null;
    agents: string[];
    initiatives: string[];
  }>;
  /** USD cost of one model call at the list price of `day`, null when it has none. */
  price(model: string, day: string, tokens: { input: number; output: number }): number | null;
}

const ACTIVE = ACTIVE_STAGES;
/** Incident severities that block scaling while open (sev3/sev4 are listed as evidence only). */
const SEVERE = new Set(['sev1', 'sev2']);
/** Open incidents a recommendation names, newest first, at most: the board report's page (the rest are counted). */
const INCIDENTS_NAMED = REPORT_INCIDENTS_LISTED;
const clamp = (x: number) => Math.max(-1, Math.min(1, x));
const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;
const list = (xs: string[]) => (xs.length ? xs.join(', ') : 'none');

export function plan(f: PlanFacts, t: PlanThresholds = DEFAULT_PLAN_THRESHOLDS): Plan {
  const r = f.registry;
  const today = f.now.toISOString().slice(0, 10);
  const active = r
    .list('Initiative')
    .filter((i) => ACTIVE.has(i.spec.stage))
    .sort((a, b) => a.name.localeCompare(b.name));
  const covering = currentBudget(f, today);
  const alignment = covering ? budgetAlignment(f, { ...DEFAULT_THRESHOLDS, ...t }, covering) : undefined;
  const cases = scaleCases(f, t, active);
  const initiatives = active.map((i) => judge(f, t, i.name, cases.get(i.name) as ScaleCase, alignment, covering));
  const road = roadmap(f, initiatives, cases, alignment, t);
  const mix = modelMix(
    r,
    f.mixGroups,
    {
      minTasksPerModel: t.minTasksPerModel,
      nonInferiorityMargin: t.nonInferiorityMargin,
      confidence: t.confidence,
      windowDays: 30,
    },
    today,
    f.price,
  );
  return {
    generatedAt: f.now.toISOString(),
    window: f.window,
    thresholds: t,
    initiatives,
    roadmap: road.entries,
    quarters: road.quarters,
    modelMix: mix.switches,
    modelUsage: mix.groups,
    assumptions: road.assumptions,
  };
}

/** The budget covering today (the latest-starting one when several do). */
export function currentBudget(f: Facts, today: string): string | undefined {
  return f.registry
    .list('Budget')
    .filter((b) => b.spec.period.from <= today && today <= b.spec.period.to)
    .sort((a, b) => b.spec.period.from.localeCompare(a.spec.period.from))[0]?.name;
}

function holders(r: RegistrySnapshot, role: string, except?: string): string[] {
  return r
    .list('Person')
    .filter((p) => (p.spec.roles as string[]).includes(role) && p.name !== except)
    .map((p) => p.name)
    .sort();
}

function judge(
  f: PlanFacts,
  t: PlanThresholds,
  name: string,
  scale: ScaleCase,
  alignment: BudgetAlignment | undefined,
  budget: string | undefined,
): InitiativePlan {
  const r = f.registry;
  const i = r.get('Initiative', name);
  if (!i) throw new Error(`no Initiative ${name}`);
  const tier = f.riskTier(name);
  const owner = i.spec.owner;
  const outcomes = f.outcomes.get(name);
  const roi = f.roi.get(name);
  const progress = (outcomes?.metrics ?? []).filter((m) => m.current !== null && m.progress !== null);
  const attainment = progress.length
    ? round(progress.reduce((s, m) => s + clamp(m.progress as number), 0) / progress.length)
    : null;
  const days = i.spec.stageSince ? daysInStage(i.spec.stageSince, f.now) : null;
  const stalled = i.spec.stage === 'pilot' && days !== null && days > t.stalledPilotDays;
  const blockers: Blocker[] = [];
  const block = (gap: Gap, detail: string, action: string, who: string, people?: string[]) =>
    blockers.push({ gap, detail, action, owner: who, ...(people ? { people } : {}) });

  // Data: every domain its agents touch must be production-ready (assessed and passed).
  for (const d of domainsOf(r, name)) {
    const domain = r.get('DataDomain', d);
    if (domain?.spec.maturity?.productionReady) continue;
    const m = domain?.spec.maturity;
    block(
      'unready-data',
      m
        ? `data domain ${d} is not production-ready (quality ${m.quality}, lineage ${m.lineage}, access policy ${m.accessPolicy})`
        : `data domain ${d} has not been assessed`,
      m ? `bring ${d} to production-ready and record the assessment` : `assess ${d}'s maturity (quality, lineage, access policy)`,
      domain?.spec.owner ?? 'platform',
    );
  }
  // Governance: a tier in force, owners for high risk, reviews waiting for a role.
  if (!tier)
    block(
      'untiered',
      `${name} has no risk tier`,
      `assess its risk (POST /v1/initiatives/${name}/risk-assessment)`,
      'reviewer:risk',
      holders(r, 'reviewer:risk', owner),
    );
  if (tier === 'high' && (!i.spec.oversightOwner || !i.spec.incidentOwner))
    block(
      'high-risk-owners',
      `high-risk without ${!i.spec.oversightOwner ? 'an oversight owner' : 'an incident owner'}`,
      'name a human-oversight owner and an incident owner',
      owner,
    );
  for (const rev of f.openReviews.filter((x) => x.initiative === name))
    for (const role of rev.pending) {
      const people = role === 'owner' ? [owner] : holders(r, role, owner);
      block(
        'review-waiting',
        `promotion to ${rev.to} (review ${rev.id}) waits for the ${role} sign-off` +
          (people.length ? '' : ` (nobody who may give it holds ${role}: an admin must grant it)`),
        `sign off review ${rev.id} as ${role}`,
        role === 'owner' ? owner : role,
        people.length ? people : undefined,
      );
    }
  // Outcomes and value.
  if (i.spec.outcomes.length === 0)
    block('no-outcome-metric', `${name} has no outcome metric`, 'define an outcome metric with a baseline and a target', owner);
  else if (progress.length === 0)
    block(
      'unmeasured-outcomes',
      `no outcome metric has a current value in ${f.window.from} … ${f.window.to}`,
      'report task outcomes (OTLP or POST /v1/events), or record measurements for manual metrics',
      owner,
    );
  if (stalled)
    block(
      'stalled',
      `in pilot for ${days} days (over ${t.stalledPilotDays})`,
      'promote it now (open a review) or stop it',
      owner,
    );
  // Evidence enough: a measured attainment on a handful of tasks is chance, not a result.
  const measured = progress.some((m) => m.provenance === 'measured');
  const thin = measured && scale.tasksNow < t.minTasksToScale;
  if (thin)
    block(
      'thin-evidence',
      `its measured outcomes rest on ${scale.tasksNow} finished task${scale.tasksNow === 1 ? '' : 's'} in ${f.window.from} … ${f.window.to} (scaling needs ${t.minTasksToScale})`,
      `run it until ${t.minTasksToScale} tasks have finished in 30 days, then judge`,
      owner,
    );
  // Safety: a severe or serious incident still open under it is cleared before it grows.
  // The INCIDENTS_NAMED most pressing are named, the rest counted in one more blocker (found by review:
  // a bad month made one initiative hundreds of blockers, each a line of the board report's plan).
  const incidents = incidentsOn(f, name);
  const severe = incidents.filter((x) => x.serious || SEVERE.has(x.severity));
  for (const x of severe.slice(0, INCIDENTS_NAMED))
    block(
      'open-incident',
      `incident ${x.id} (${x.severity}${x.serious ? ', serious' : ''}: ${x.title}) is still open`,
      `resolve incident ${x.id} (POST /v1/incidents/${x.id}/transitions)`,
      x.owner ?? i.spec.incidentOwner ?? owner,
    );
  // The blockers the one line of the rest stands for, beyond itself: the reason counts every one.
  const unlisted = Math.max(0, severe.length - INCIDENTS_NAMED - 1);
  if (severe.length > INCIDENTS_NAMED)
    block(
      'open-incident',
      `${severe.length - INCIDENTS_NAMED} more severe or serious incidents are still open under it`,
      'resolve them (GET /v1/incidents lists them all)',
      i.spec.incidentOwner ?? owner,
    );
  if (roi && roi.roi === null)
    block(
      'roi-unmeasured',
      roi.value.items.length === 0
        ? `ROI cannot be measured: ${roi.value.notValued.map((n) => `${n.metric}: ${n.why}`).join('; ') || 'no outcome metric'}`
        : roi.cost.incomplete.length > 0
          ? `ROI cannot be measured: its cost is incomplete (${roi.cost.incomplete.join('; ')})`
          : 'ROI cannot be measured: no cost recorded in the window',
      roi.value.items.length === 0
        ? 'state a valuePerUnit on an outcome metric (an assumption, labelled as such)'
        : roi.cost.incomplete.length > 0
          ? 'price the models its agents call (a Model with pricing), and book its spend in USD'
          : 'book its cost (telemetry or spend lines)',
      owner,
    );
  else if (roi && roi.roi !== null && roi.roi <= t.minRoiToScale)
    block(
      'roi-negative',
      `ROI ${Math.round(roi.roi * 100)}% over the last 30 days (value ${roi.value.total}, cost ${roi.cost.total} USD)`,
      'cut its cost (see the model mix) or raise the value it delivers',
      owner,
    );
  // Money: over its own allocation, pro-rated to date. Its lines in one category are one earmark
  // (a top-up is a second line), as the alignment sums them: compared line by line, spend within
  // the earmark was over each line, and one overspend was two blockers.
  if (budget && alignment) {
    const earmarks = new Map<string, number>();
    for (const a of r.get('Budget', budget)?.spec.allocations ?? [])
      if (a.initiative === name) earmarks.set(a.category, (earmarks.get(a.category) ?? 0) + a.amount);
    for (const [category, amount] of earmarks) {
      const spent = initiativeSpend(f, budget, name, category);
      const proRated = amount * alignment.elapsed;
      if (spent > proRated * (1 + t.budgetTolerance))
        block(
          'over-allocation',
          `${category} spend ${Math.round(spent)} ${alignment.currency} to date against ${Math.round(proRated)} of its allocation (${budget}, pro-rated)`,
          'cut spend or re-plan the allocation with finance',
          owner,
        );
    }
  }
  // Compute: the scaled demand must fit a pool in a region its data may live in.
  if (scale.compute.status === 'short')
    block(
      'compute-capacity',
      scale.compute.detail,
      scale.compute.pool
        ? `add capacity to ${scale.compute.pool} or free it`
        : 'add a compute pool in a region its data may live in',
      'platform',
      holders(r, 'platform'),
    );
  // The standard pattern: every active agent on an archetype and a framework it lists.
  for (const a of r.list('Agent').filter((x) => x.spec.initiative === name && f.agentStatus(x.name) === 'active')) {
    const arch = a.spec.archetype ? r.get('Archetype', a.spec.archetype) : undefined;
    if (!arch)
      block(
        'non-standard-agent',
        `agent ${a.name} has no archetype (ad hoc)`,
        `rebuild ${a.name} on a standard archetype`,
        a.spec.owner,
      );
    else if (!a.spec.framework || !arch.spec.frameworks.includes(a.spec.framework))
      block(
        'non-standard-agent',
        `agent ${a.name} runs on ${a.spec.framework ?? 'no declared framework'}, not one of ${arch.name}'s (${list(arch.spec.frameworks)})`,
        `move ${a.name} to one of ${list(arch.spec.frameworks)}`,
        a.spec.owner,
      );
  }

  const roiValue = roi?.roi ?? null;
  const pct = (x: number | null) => (x === null ? 'unmeasured' : `${Math.round(x * 100)}%`);
  let recommendation: Recommendation;
  let reason: string;
  if (tier === 'prohibited') {
    recommendation = 'stop';
    reason = 'its risk tier is prohibited (EU AI Act Art. 5): retire it';
  } else if (stalled && (attainment === null || attainment < t.minAttainmentToScale)) {
    recommendation = 'stop';
    reason = `in pilot for ${days} days (over ${t.stalledPilotDays}) with attainment ${pct(attainment)} (under ${pct(t.minAttainmentToScale)})`;
  } else if (
    // Too few tasks to scale on are too few to stop on: three escalations in a quiet month stopped a
    // production initiative (found by review).
    i.spec.stage !== 'pilot' &&
    attainment !== null &&
    attainment <= 0 &&
    !thin &&
    !(roiValue !== null && roiValue > 0)
  ) {
    recommendation = 'stop';
    reason = `no improvement over its baselines (attainment ${pct(attainment)}) and no positive ROI`;
  } else if (attainment !== null && attainment >= t.minAttainmentToScale) {
    const ready = blockers.length === 0 && roiValue !== null && roiValue > t.minRoiToScale;
    recommendation = ready ? 'scale' : 'fix-then-scale';
    reason = ready
      ? `attainment ${pct(attainment)} (≥ ${pct(t.minAttainmentToScale)}), ROI ${pct(roiValue)} (> ${pct(t.minRoiToScale)}), no blockers`
      : `attainment ${pct(attainment)} (≥ ${pct(t.minAttainmentToScale)}), but ${blockers.length + unlisted} blocker(s) stand in the way`;
  } else {
    recommendation = 'continue';
    reason =
      attainment === null
        ? 'no outcome is measured yet: keep going and measure'
        : thin
          ? `attainment ${pct(attainment)} on ${scale.tasksNow} finished task${scale.tasksNow === 1 ? '' : 's'}, too few to judge (${t.minTasksToScale} needed): keep going and measure`
          : `attainment ${pct(attainment)} (under ${pct(t.minAttainmentToScale)}): keep going until it reaches the target`;
  }

  const evidence: Evidence[] = [
    { label: 'stage', value: `${i.spec.stage}${days !== null ? ` for ${days} days` : ''}` },
    { label: 'risk tier', value: tier ?? 'untiered' },
    ...(outcomes?.metrics ?? []).map((m) => ({
      label: `${m.name} (baseline → target)`,
      value:
        m.current === null
          ? `${m.baseline.value} → ${m.target}: unmeasured (${m.note ?? 'no value in the window'})`
          : `${m.baseline.value} → ${m.target}: ${m.current}, progress ${pct(m.progress)} (${m.provenance})`,
    })),
    { label: 'attainment (mean progress, each clamped to −100%…100%)', value: pct(attainment) },
    {
      label: 'ROI, last 30 days',
      value: roi ? `${pct(roiValue)} (value ${roi.value.total} assumed, cost ${roi.cost.total} USD)` : 'unmeasured',
    },
    { label: 'tasks in the window', value: scale.tasksNow },
    {
      label: 'open incidents under it',
      value:
        list(incidents.slice(0, INCIDENTS_NAMED).map((x) => `${x.id} (${x.severity})`)) +
        (incidents.length > INCIDENTS_NAMED ? ` and ${incidents.length - INCIDENTS_NAMED} more` : ''),
    },
  ];
  return {
    name,
    title: i.spec.title,
    stage: i.spec.stage,
    riskTier: tier ?? null,
    owner,
    recommendation,
    reason,
    attainment,
    roi: roiValue,
    evidence,
    blockers,
  };
}

/**
 * Incidents still open (or only mitigated) under an initiative, most pressing first: serious, then by
 * severity, then the newest (as the board report orders them). An incident belongs to the initiatives
 * it names, those given and those its agents belonged to when it was opened (incidents.ts), not to
 * wherever its agents are now: found by review, an agent moved to another initiative blocked the new
 * one with an incident from its old one, as did one that only left the old one while it was open
 * (the move links it to that initiative's open incidents, to keep its data held).
 */
function incidentsOn(f: PlanFacts, name: string): PlanFacts['openIncidents'] {
  return f.openIncidents
    .filter((x) => x.initiatives.includes(name))
    .sort((a, b) => Number(b.serious) - Number(a.serious) || a.severity.localeCompare(b.severity));
}

/** What an initiative spent in a category of a budget up to today: its spend lines and its agents' telemetry. */
export function initiativeSpend(f: Facts, budget: string, initiative: string, category: string): number {
  const r = f.registry;
  const b = r.get('Budget', budget);
  if (!b) return 0;
  const today = f.now.toISOString().slice(0, 10);
  let sum = 0;
  for (const l of f.spendLines(budget))
    if (l.initiative === initiative && l.category === category && l.date >= b.spec.period.from && l.date <= today)
      sum += l.amount;
  // Telemetry is priced in USD: only a USD budget takes it (Fulcrum converts nothing).
  for (const s of b.spec.currency === 'USD' ? f.telemetrySpend : []) {
    if (s.day < b.spec.period.from || s.day > today || s.day > b.spec.period.to) continue;
    if (s.initiative !== initiative) continue;
    const c = r.get('Model', s.model)?.spec.hosting === 'self-hosted' ? 'infrastructure-compute' : 'model-licences';
    if (c === category) sum += s.costUsd;
  }
  return sum;
}
