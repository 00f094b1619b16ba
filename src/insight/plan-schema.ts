// GET /v1/plan as the API exposes it: the query's bounded thresholds and the answer's shape (it is
// what /openapi.json shows, and what the console and the CLI read).
import { Type as T } from '@sinclair/typebox';
import { DEFAULT_PLAN_THRESHOLDS } from './plan.js';

const Num = T.Number();
const NumOrNull = T.Union([T.Number(), T.Null()]);
const StrOrNull = T.Union([T.String(), T.Null()]);
const Provenance = T.Unsafe<string>({ type: 'string', enum: ['measured', 'self-reported', 'assumed'] });
const PerCategory = T.Record(T.String(), T.Number(), { description: 'USD per budget category' });

/** Each threshold of docs/insight.md "The plan", bounded; pairs that bound each other are checked
 *  together in the service (plan-thresholds.ts). */
export const PlanQuery = T.Object({
  stalledPilotDays: T.Optional(
    T.Integer({ minimum: 1, maximum: 3650, description: `default ${DEFAULT_PLAN_THRESHOLDS.stalledPilotDays}` }),
  ),
  minAttainmentToScale: T.Optional(
    T.Number({ minimum: 0, maximum: 1, description: `default ${DEFAULT_PLAN_THRESHOLDS.minAttainmentToScale}` }),
  ),
  minTasksToScale: T.Optional(
    T.Integer({ minimum: 0, maximum: 10_000_000, description: `default ${DEFAULT_PLAN_THRESHOLDS.minTasksToScale}` }),
  ),
  minRoiToScale: T.Optional(
    T.Number({ minimum: -1, maximum: 100, description: `default ${DEFAULT_PLAN_THRESHOLDS.minRoiToScale}` }),
  ),
  budgetTolerance: T.Optional(
    T.Number({ minimum: 0, maximum: 10, description: `default ${DEFAULT_PLAN_THRESHOLDS.budgetTolerance}` }),
  ),
  minTasksPerModel: T.Optional(
    T.Integer({ minimum: 1, maximum: 10_000_000, description: `default ${DEFAULT_PLAN_THRESHOLDS.minTasksPerModel}` }),
  ),
  nonInferiorityMargin: T.Optional(
    T.Number({ minimum: 0, maximum: 0.5, description: `default ${DEFAULT_PLAN_THRESHOLDS.nonInferiorityMargin}` }),
  ),
  confidence: T.Optional(
    T.Number({ minimum: 0.5, maximum: 0.9999, description: `default ${DEFAULT_PLAN_THRESHOLDS.confidence}` }),
  ),
  trendDays: T.Optional(T.Integer({ minimum: 7, maximum: 366, description: `default ${DEFAULT_PLAN_THRESHOLDS.trendDays}` })),
  minTrendDays: T.Optional(
    T.Integer({
      minimum: 2,
      maximum: 366,
      description: `default ${DEFAULT_PLAN_THRESHOLDS.minTrendDays}; at most trendDays (given or default), else 400 naming the one given`,
    }),
  ),
});

const Evidence = T.Object({ label: T.String(), value: T.Union([T.String(), T.Number()]) });
const Blocker = T.Object({
  gap: T.Unsafe<string>({
    type: 'string',
    enum: [
      'unready-data',
      'untiered',
      'high-risk-owners',
      'review-waiting',
      'no-outcome-metric',
      'unmeasured-outcomes',
      'stalled',
      'thin-evidence',
      'open-incident',
      'roi-negative',
      'roi-unmeasured',
      'over-allocation',
      'compute-capacity',
      'non-standard-agent',
    ],
  }),
  detail: T.String(),
  action: T.String({ description: 'what clears it' }),
  owner: T.String({ description: 'a Person, or a role when any holder may act' }),
  people: T.Optional(T.Array(T.String(), { description: 'the people holding that role' })),
});
const Initiative = T.Object({
  name: T.String(),
  title: T.String(),
  stage: T.String(),
  riskTier: StrOrNull,
  owner: T.String(),
  recommendation: T.Unsafe<string>({ type: 'string', enum: ['scale', 'fix-then-scale', 'continue', 'stop'] }),
  reason: T.String({ description: 'the rule that decided it' }),
  attainment: T.Union([T.Number(), T.Null()], {
    description: 'mean progress from baseline to target, each metric clamped to −1…1',
  }),
  roi: NumOrNull,
  evidence: T.Array(Evidence),
  blockers: T.Array(Blocker),
});
const Volume = T.Object({
  now: T.Number({ description: 'tasks in the last 30 days' }),
  atScale: T.Union([T.Number(), T.Null()], { description: 'tasks a month at scale' }),
  basis: T.Unsafe<string>({ type: 'string', enum: ['forecast', 'trend', 'current', 'none'] }),
  provenance: Provenance,
  detail: T.String(),
});
const Money = T.Object({ annualUsd: NumOrNull, provenance: Provenance, why: T.Optional(T.String()) });
const Compute = T.Object({
  status: T.Unsafe<string>({ type: 'string', enum: ['none', 'fits', 'short', 'unknown'] }),
  detail: T.String(),
  pool: T.Optional(T.String()),
  unit: T.Optional(T.String()),
  extra: T.Optional(T.Number({ description: "extra demand at scale, in the pool's unit" })),
  eligible: T.Array(T.String(), { description: 'pools in regions its models run in and its data may live in' }),
});
const Shortfall = T.Object({
  kind: T.Unsafe<string>({ type: 'string', enum: ['budget', 'compute'] }),
  what: T.String({ description: 'a budget category or a compute pool' }),
  quarter: T.String(),
  needed: Num,
  available: Num,
  missing: Num,
  unit: T.String(),
});
const RoadmapEntry = T.Object({
  initiative: T.String(),
  action: T.Unsafe<string>({ type: 'string', enum: ['scale', 'retire'] }),
  recommendation: T.String(),
  quarter: T.Union([T.String(), T.Null()], { description: 'e.g. 2027-Q1; null while it waits' }),
  status: T.Unsafe<string>({ type: 'string', enum: ['scheduled', 'waits'] }),
  volume: Volume,
  value: Money,
  cost: Money,
  netValueUsd: NumOrNull,
  compute: Compute,
  spendPerQuarter: PerCategory,
  shortfalls: T.Array(Shortfall),
  notes: T.Array(T.String()),
});
const ModelRow = T.Object({
  model: T.String(),
  capabilityClass: T.String({ description: 'frontier, mid-tier, small, open-weight, or unclassified' }),
  status: T.String(),
  hosting: StrOrNull,
  tasks: Num,
  resolved: Num,
  successRate: NumOrNull,
  calls: Num,
  unpricedCalls: Num,
  costUsd: Num,
  costPerTaskUsd: NumOrNull,
  costPerSuccessfulTaskUsd: NumOrNull,
  inputTokens: Num,
  outputTokens: Num,
});
const Switch = T.Object({
  initiative: T.String(),
  archetype: StrOrNull,
  from: T.String(),
  to: T.String(),
  verdict: T.Unsafe<string>({ type: 'string', enum: ['switch', 'keep', 'undecided'] }),
  annualSavingUsd: T.Union([T.Number(), T.Null()], { description: 'recommended switches only' }),
  estimatedAnnualSavingUsd: T.Union([T.Number(), T.Null()], {
    description: "at the candidate's list price for today's tokens per task (assumed)",
  }),
  confidence: T.Union([T.Number(), T.Null()], { description: 'Φ(z) of the one-sided non-inferiority test' }),
  difference: T.Union([T.Object({ observed: Num, lowerBound: Num }), T.Null()]),
  reason: T.String(),
  moreTasksNeeded: T.Union([T.Object({ from: Num, to: Num }), T.Null()]),
});

export const PlanSchema = T.Object({
  generatedAt: T.String(),
  window: T.Object({ from: T.String(), to: T.String() }),
  thresholds: T.Record(T.String(), T.Number()),
  initiatives: T.Array(Initiative),
  quarters: T.Array(
    T.Object({
      label: T.String(),
      from: T.String(),
      to: T.String(),
      days: Num,
      budget: StrOrNull,
      budgetProvenance: T.Unsafe<string>({ type: 'string', enum: ['declared', 'assumed', 'none'] }),
    }),
  ),
  roadmap: T.Array(RoadmapEntry),
  modelMix: T.Array(Switch),
  modelUsage: T.Array(
    T.Object({
      initiative: T.String(),
      archetype: StrOrNull,
      agents: T.Array(T.String()),
      models: T.Array(ModelRow),
      unattributed: T.Object({ mixedModels: Num, noModelCall: Num }),
      eventTasks: T.Number({ description: 'tasks reported as events, with no trace to join to a model' }),
      classification: StrOrNull,
    }),
  ),
  assumptions: T.Array(T.String()),
});
