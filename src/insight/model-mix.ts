// The model mix: per initiative and archetype, what each model delivers (tasks, success rate, cost per
// successful task, from spans joined to task outcomes) and whether a cheaper model may take over —
// only where the evidence says it is not worse beyond a stated margin, at a stated confidence.

import { formatAmount } from '../money.js';
import type { RegistrySnapshot } from '../registry/model.js';
import { CLASSIFICATIONS } from '../registry/schemas.js';

/** One model's tasks in one group (initiative × archetype), as the span aggregate returns them. */
export interface ModelTasks {
  model: string;
  tasks: number;
  resolved: number;
  /** Model calls in those tasks, priced or not, and the priced ones' cost (USD). */
  calls: number;
  unpricedCalls: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

export interface MixGroup {
  initiative: string;
  /** null: agents without an archetype (ad hoc). */
  archetype: string | null;
  agents: string[];
  models: ModelTasks[];
  /** Tasks no single model can be credited with: several models in one trace, or none. */
  unattributed: { mixedModels: number; noModelCall: number };
  /** Tasks the agents reported as task events (no trace to join to model calls). */
  eventTasks: number;
  /** The group's data domains' highest classification (what a model must be cleared for). */
  classification: string | null;
}

export interface MixThresholds {
  minTasksPerModel: number;
  nonInferiorityMargin: number;
  confidence: number;
  windowDays: number;
}

export type SwitchVerdict = 'switch' | 'keep' | 'undecided';

export interface ModelRow extends ModelTasks {
  capabilityClass: string;
  status: string;
  hosting: string | null;
  successRate: number | null;
  costPerTaskUsd: number | null;
  costPerSuccessfulTaskUsd: number | null;
}

export interface ModelSwitch {
  initiative: string;
  archetype: string | null;
  from: string;
  to: string;
  verdict: SwitchVerdict;
  /** Recommended switches only: successful tasks a year at the current rate × the cost difference. */
  annualSavingUsd: number | null;
  /** What the saving would be at the candidate's price and the current tokens per task (an estimate, assumed). */
  estimatedAnnualSavingUsd: number | null;
  /** Φ(z) of the one-sided non-inferiority test: how sure we are `to` is no worse than `from` − margin. */
  confidence: number | null;
  /** `to` − `from` success rate, and its one-sided lower confidence bound. */
  difference: { observed: number; lowerBound: number } | null;
  reason: string;
  /** For undecided comparisons: tasks still needed on each side, if the observed rates hold. */
  moreTasksNeeded: { from: number; to: number } | null;
}

export interface ModelMix {
  groups: Array<Omit<MixGroup, 'models'> & { models: ModelRow[] }>;
  switches: ModelSwitch[];
}

const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

/** The standard normal CDF (Abramowitz–Stegun 7.1.26 on erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  if (z === Number.POSITIVE_INFINITY) return 1;
  if (z === Number.NEGATIVE_INFINITY) return 0;
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** The z with Φ(z) = p, by bisection (p in (0, 1)). */
export function normalQuantile(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Wilson's score interval for a proportion `k` of `n` at normal quantile `z` (two-sided bounds). */
function wilson(k: number, n: number, z: number): { lower: number; upper: number } {
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/** Newcombe's lower bound (hybrid score, from Wilson's intervals) of p_to − p_from at normal quantile `z`. */
function newcombeLower(from: { tasks: number; resolved: number }, to: { tasks: number; resolved: number }, z: number): number {
  const p1 = from.resolved / from.tasks;
  const p2 = to.resolved / to.tasks;
  const w1 = wilson(from.resolved, from.tasks, z);
  const w2 = wilson(to.resolved, to.tasks, z);
  return p2 - p1 - Math.sqrt((p2 - w2.lower) ** 2 + (w1.upper - p1) ** 2);
}

/**
 * One-sided non-inferiority of `to` against `from` (success proportions): H0 p_to ≤ p_from − margin,
 * rejected at `confidence` when the one-sided lower bound of p_to − p_from (Newcombe's hybrid score
 * interval, built from Wilson's) lies above −margin. Not Wald's: at a rate of 0 or 1 Wald's variance is
 * 0, and 100 successes of 100 on each side "proved" any margin with certainty (found by review);
 * Wilson's bound for 100 of 100 is 0.974 at 95 %, so a 2-point margin is not shown. `confidence` is
 * the largest confidence at which the test passes (Φ of the quantile where the bound meets −margin),
 * `z` that quantile; `lowerBound` is the bound at `confidence` as asked.
 */
export function nonInferiority(
  from: { tasks: number; resolved: number },
  to: { tasks: number; resolved: number },
  margin: number,
  confidence: number,
): { z: number; confidence: number; observed: number; lowerBound: number } {
  const d = to.resolved / to.tasks - from.resolved / from.tasks;
  // The bound falls as z grows (from d at z = 0): the z where it meets −margin, by bisection.
  let z = 0;
  if (d + margin > 0) {
    let lo = 0;
    let hi = 10;
    if (newcombeLower(from, to, hi) > -margin) lo = hi;
    else
      for (let i = 0; i < 60; i++) {
        const mid = (lo + hi) / 2;
        if (newcombeLower(from, to, mid) > -margin) lo = mid;
        else hi = mid;
      }
    z = lo;
  }
  return { z, confidence: normalCdf(z), observed: d, lowerBound: newcombeLower(from, to, normalQuantile(confidence)) };
}

/** Tasks per side for the test to pass if the rates hold (equal sizes), or null when they never would. */
export function tasksToDecide(p1: number, p2: number, margin: number, confidence: number): number | null {
  const gap = p2 - p1 + margin;
  if (gap <= 0) return null;
  const z = normalQuantile(confidence);
  return Math.ceil((z * z * (p1 * (1 - p1) + p2 * (1 - p2))) / (gap * gap));
}

function rowOf(m: ModelTasks, registry: RegistrySnapshot): ModelRow {
  const spec = registry.get('Model', m.model)?.spec;
  const priced = m.unpricedCalls === 0;
  return {
    ...m,
    costUsd: round(m.costUsd, 6),
    capabilityClass: spec?.capabilityClass ?? (spec ? 'unclassified' : 'not in the registry'),
    status: spec?.status ?? 'not in the registry',
    hosting: spec?.hosting ?? null,
    successRate: m.tasks ? round(m.resolved / m.tasks, 4) : null,
    costPerTaskUsd: priced && m.tasks ? round(m.costUsd / m.tasks, 6) : null,
    costPerSuccessfulTaskUsd: priced && m.resolved ? round(m.costUsd / m.resolved, 6) : null,
  };
}

/** The candidate's cost per task at its price today for the tokens `from` uses per task (an estimate). */
function estimatedCostPerTask(
  registry: RegistrySnapshot,
  model: string,
  from: ModelTasks,
  today: string,
  price: (model: string, day: string, tokens: { input: number; output: number }) => number | null,
): number | null {
  if (!registry.has('Model', model) || from.tasks === 0) return null;
  return price(model, today, { input: from.inputTokens / from.tasks, output: from.outputTokens / from.tasks });
}

export function modelMix(
  registry: RegistrySnapshot,
  groups: MixGroup[],
  t: MixThresholds,
  today: string,
  price: (model: string, day: string, tokens: { input: number; output: number }) => number | null,
): ModelMix {
  const switches: ModelSwitch[] = [];
  const perYear = 365 / t.windowDays;
  for (const g of groups) {
    const archetype = g.archetype ? registry.get('Archetype', g.archetype) : undefined;
    // Candidates: the models in use, and the models the archetype allows (not tried yet).
    const candidates = [...new Set([...g.models.map((m) => m.model), ...(archetype?.spec.models ?? [])])].sort();
    for (const from of g.models.filter((m) => m.tasks > 0)) {
      const fromRow = rowOf(from, registry);
      for (const to of candidates) {
        if (to === from.model) continue;
        const used = g.models.find((m) => m.model === to);
        const toRow = used ? rowOf(used, registry) : undefined;
        const estimate = estimatedCostPerTask(registry, to, from, today, price);
        // Only cheaper models are candidates: measured when both sides are priced, else at list price.
        const cheaper =
          fromRow.costPerSuccessfulTaskUsd !== null && toRow?.costPerSuccessfulTaskUsd != null
            ? toRow.costPerSuccessfulTaskUsd < fromRow.costPerSuccessfulTaskUsd
            : fromRow.costPerTaskUsd !== null && estimate !== null
              ? estimate < fromRow.costPerTaskUsd
              : null;
        if (cheaper === false) continue;
        const sw = compare(g, fromRow, to, toRow, estimate, cheaper, registry, t, perYear);
        switches.push(sw);
      }
    }
  }
  return {
    groups: groups.map((g) => ({ ...g, models: g.models.map((m) => rowOf(m, registry)) })),
    switches: switches.sort(
      (a, b) =>
        order(a.verdict) - order(b.verdict) ||
        (b.annualSavingUsd ?? b.estimatedAnnualSavingUsd ?? 0) - (a.annualSavingUsd ?? a.estimatedAnnualSavingUsd ?? 0) ||
        a.initiative.localeCompare(b.initiative),
    ),
  };
}
const order = (v: SwitchVerdict) => ({ switch: 0, undecided: 1, keep: 2 })[v];

function compare(
  g: MixGroup,
  from: ModelRow,
  to: string,
  toRow: ModelRow | undefined,
  estimate: number | null,
  cheaper: boolean | null,
  registry: RegistrySnapshot,
  t: MixThresholds,
  perYear: number,
): ModelSwitch {
  const spec = registry.get('Model', to)?.spec;
  const successesPerYear = from.resolved * perYear;
  const estimatedSaving =
    estimate !== null && from.costPerTaskUsd !== null ? round((from.costPerTaskUsd - estimate) * from.tasks * perYear) : null;
  const base = {
    initiative: g.initiative,
    archetype: g.archetype,
    from: from.model,
    to,
    annualSavingUsd: null,
    estimatedAnnualSavingUsd: estimatedSaving,
    confidence: null,
    difference: null,
    moreTasksNeeded: null,
  };
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  // Governance first: a model the enterprise has not approved, or not cleared for the data, is never a candidate.
  if (!spec) return { ...base, verdict: 'keep', reason: `${to} is not in the registry` };
  if (spec.status !== 'approved') return { ...base, verdict: 'keep', reason: `${to} is not approved (${spec.status})` };
  if (g.archetype && !registry.get('Archetype', g.archetype)?.spec.models.includes(to))
    return { ...base, verdict: 'keep', reason: `${to} is not one of archetype ${g.archetype}'s models` };
  if (g.classification && CLASSIFICATIONS.indexOf(spec.maxClassification) < CLASSIFICATIONS.indexOf(g.classification as never))
    return {
      ...base,
      verdict: 'keep',
      reason: `${to} is cleared for ${spec.maxClassification} data only; this group's data is ${g.classification}`,
    };
  if (from.costPerTaskUsd === null)
    return {
      ...base,
      verdict: 'undecided',
      reason: `cost unmeasured: ${from.unpricedCalls} of ${from.model}'s calls are unpriced`,
    };
  if (toRow && toRow.unpricedCalls > 0)
    return { ...base, verdict: 'undecided', reason: `cost unmeasured: ${toRow.unpricedCalls} of ${to}'s calls are unpriced` };
  const p1 = from.resolved / from.tasks;
  if (!toRow || toRow.tasks === 0) {
    const n = tasksToDecide(p1, p1, t.nonInferiorityMargin, t.confidence) ?? t.minTasksPerModel;
    const need = Math.max(n, t.minTasksPerModel);
    return {
      ...base,
      verdict: 'undecided',
      reason:
        `no tasks on ${to} yet${cheaper ? ' (cheaper at list price for the same tokens)' : ''}: at ${from.model}'s success ` +
        `rate (${pct(p1)}), about ${need.toLocaleString('en-US')} tasks on each would decide it`,
      moreTasksNeeded: { from: Math.max(0, need - from.tasks), to: need },
    };
  }
  const test = nonInferiority(from, toRow, t.nonInferiorityMargin, t.confidence);
  const p2 = toRow.resolved / toRow.tasks;
  const stats = {
    confidence: round(test.confidence, 4),
    difference: { observed: round(test.observed, 4), lowerBound: round(test.lowerBound, 4) },
  };
  const rates = `${to} ${pct(p2)} of ${toRow.tasks} vs ${from.model} ${pct(p1)} of ${from.tasks}`;
  if (from.tasks < t.minTasksPerModel || toRow.tasks < t.minTasksPerModel) {
    const n = Math.max(t.minTasksPerModel, tasksToDecide(p1, p2, t.nonInferiorityMargin, t.confidence) ?? 0);
    return {
      ...base,
      ...stats,
      verdict: 'undecided',
      reason: `too few tasks (${rates}; at least ${t.minTasksPerModel} each are needed)`,
      moreTasksNeeded: { from: Math.max(0, n - from.tasks), to: Math.max(0, n - toRow.tasks) },
    };
  }
  if (p2 - p1 < -t.nonInferiorityMargin)
    return {
      ...base,
      ...stats,
      verdict: 'keep',
      reason: `worse: ${rates}, more than ${pct(t.nonInferiorityMargin)} below`,
    };
  if (test.confidence >= t.confidence && toRow.costPerSuccessfulTaskUsd !== null && from.costPerSuccessfulTaskUsd !== null) {
    const saving = round((from.costPerSuccessfulTaskUsd - toRow.costPerSuccessfulTaskUsd) * successesPerYear);
    return {
      ...base,
      ...stats,
      verdict: 'switch',
      annualSavingUsd: saving,
      reason:
        `not worse beyond ${pct(t.nonInferiorityMargin)} at ${pct(t.confidence)} confidence (${rates}); ` +
        `cost per successful task ${usd(toRow.costPerSuccessfulTaskUsd)} vs ${usd(from.costPerSuccessfulTaskUsd)}`,
    };
  }
  const n = tasksToDecide(p1, p2, t.nonInferiorityMargin, t.confidence);
  return {
    ...base,
    ...stats,
    verdict: 'undecided',
    reason: `not shown to be no worse at ${pct(t.confidence)} confidence yet (${rates})`,
    moreTasksNeeded: n === null ? null : { from: Math.max(0, n - from.tasks), to: Math.max(0, n - toRow.tasks) },
  };
}

const usd = (v: number) => `USD ${formatAmount(v, 'exact')}`;
