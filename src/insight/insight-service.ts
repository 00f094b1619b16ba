// Gathers the facts the diagnostic reads — registry, outcome measurements, telemetry rollups,
// shadow agents — and runs it.
import type { Kysely } from 'kysely';
import { assertCan, type Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { InputError, NotFoundError } from '../errors.js';
import { attributionMismatches } from '../evidence/attribution.js';
import { loadMembership, type Membership } from '../evidence/membership.js';
import { computeOutcomes, type OutcomeReport } from '../evidence/outcomes.js';
import { unpricedModelCalls } from '../evidence/unpriced.js';
import type { IncidentService } from '../governance/incidents.js';
import { latestTiers } from '../governance/risk.js';
import type { RegistrySnapshot } from '../registry/model.js';
import { ACTIVE_STAGES } from '../registry/stages.js';
import { budgetAlignment, DEFAULT_THRESHOLDS, type Diagnostic, diagnose, type Facts, type Thresholds } from './diagnostic.js';
import { DEFAULT_PLAN_THRESHOLDS, type Plan, type PlanThresholds, plan } from './plan.js';
import { planFacts } from './plan-facts.js';
import { planThresholdConflicts } from './plan-thresholds.js';
import { type BoardReport, type ReportBudget, type ReportInitiative, reportIncidents } from './report.js';
import { planLines } from './report-plan.js';
import { computeRoi, type Roi } from './roi.js';
import { computeSignals, type Signals } from './signals.js';
import { type SpendLine, spendLinesOf } from './spend.js';

export interface Deps {
  db: Kysely<Database>;
  registry(): Promise<RegistrySnapshot>;
  agentStatus(agent: string): string;
  overdueSeriousIncidents(): Promise<number>;
  /** The board report's counts and listed incidents, and the plan's unresolved ones. */
  incidents: Pick<IncidentService, 'reportCounts' | 'mostPressing' | 'unresolved'>;
  /** Writes shadow sightings still counted in memory (the guard batches them). */
  flushShadows?(): Promise<void>;
}

export type InsightService = ReturnType<typeof createInsightService>;

const WINDOW_DAYS = 30;
const ACTIVE = ACTIVE_STAGES;
const TIER_ORDER = ['prohibited', 'high', 'medium', 'low', 'minimal', 'untiered'];

export function createInsightService(deps: Deps) {
  const { db } = deps;
  /** Everything the diagnostic and the budget views read, gathered once per request, with the
   *  outcome report of each active initiative (the board report shows them). */
  async function facts(now: Date): Promise<Facts & { outcomes: ReadonlyMap<string, OutcomeReport>; membership: Membership }> {
    const registry = await deps.registry();
    const to = now.toISOString().slice(0, 10);
    const from = new Date(now.getTime() - (WINDOW_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
    const active = registry.list('Initiative').filter((i) => ACTIVE.has(i.spec.stage));
    // Evidence is the initiative's the agent worked for that day, not the one it is in now.
    const membership = await loadMembership(db, registry);

    const recent = await db
      .selectFrom('measurements')
      .select(['initiative', 'metric'])
      .where('recorded_at', '>=', `${from}T00:00:00.000Z`)
      .execute();
    const measuredInitiatives = new Set<string>();
    const outcomes = new Map<string, OutcomeReport>();
    for (const i of active) {
      const report = await computeOutcomes(db, registry, i.name, now, membership);
      outcomes.set(i.name, report);
      const ok = report.metrics.some(
        (m) =>
          m.provenance === 'measured' ||
          (m.provenance === 'self-reported' && recent.some((r) => r.initiative === i.name && r.metric === m.name)),
      );
      if (ok) measuredInitiatives.add(i.name);
    }

    await deps.flushShadows?.();
    const shadowAgents = await db
      .selectFrom('shadow_agents')
      .select(['identity', 'source'])
      .where('last_seen', '>=', `${from}T00:00:00.000Z`)
      .execute();
    const modelCalls = await db
      .selectFrom('evidence_daily')
      .select((eb) => ['model', eb.fn.sum<number>('model_calls').as('calls')])
      .where('day', '>=', from)
      .where('model', '!=', '')
      .groupBy('model')
      .execute();
    const since = registry
      .list('Budget')
      .map((b) => b.spec.period.from)
      .sort()[0];
    const telemetrySpend = since
      ? await db
          .selectFrom('evidence_daily')
          .select((eb) => [
            'day',
            'agent',
            'model',
            eb.fn.sum<number>(eb('cost_measured_usd', '+', eb.ref('cost_reported_usd'))).as('costUsd'),
            eb.fn.sum<number>('unpriced_calls').as('unpriced'),
          ])
          .where('day', '>=', since)
          .where('day', '<=', to)
          .groupBy(['day', 'agent', 'model'])
          .execute()
      : [];

    const assessed = await latestTiers(db);
    const spend = new Map<string, SpendLine[]>();
    for (const b of registry.list('Budget')) spend.set(b.name, await spendLinesOf(db, registry, b.name));
    return {
      now,
      window: { from, to },
      registry,
      agentStatus: deps.agentStatus,
      riskTier: (i) => assessed.get(i) ?? registry.get('Initiative', i)?.spec.riskTier,
      spendLines: (b) => spend.get(b) ?? [],
      measuredInitiatives,
      shadowAgents,
      modelCalls: modelCalls.map((m) => ({ model: m.model, calls: Number(m.calls) })),
      telemetrySpend: telemetrySpend.map((s) => {
        const initiative = membership.initiativeOn(s.agent, s.day);
        return {
          day: s.day,
          agent: s.agent,
          model: s.model,
          costUsd: Number(s.costUsd),
          unpricedCalls: Number(s.unpriced ?? 0),
          ...(initiative ? { initiative } : {}),
        };
      }),
      overdueSeriousIncidents: await deps.overdueSeriousIncidents(),
      outcomes,
      membership,
    };
  }

  /** The signals from facts gathered at `now`: the same lists on their own and in the board report. */
  async function signalsOf(f: Facts, now: Date): Promise<Signals> {
    const unpriced = await unpricedModelCalls(db, f.window.from);
    return computeSignals(f.registry, {
      now,
      stalledPilotDays: DEFAULT_THRESHOLDS.stalledPilotDays,
      measuredInitiatives: f.measuredInitiatives,
      agentStatus: f.agentStatus,
      attributionMismatches: await attributionMismatches(db, f.window.from),
      unpricedModelCalls: unpriced.calls,
      unpricedModelCallsTotal: unpriced.total,
    });
  }

  return {
    async roi(actor: Principal, initiative: string, now = new Date()): Promise<Roi> {
      assertCan(actor, 'registry.read');
      const registry = await deps.registry();
      if (!registry.has('Initiative', initiative)) throw new NotFoundError(`no Initiative named "${initiative}"`);
      return computeRoi(db, registry, initiative, now);
    },

    async diagnostic(actor: Principal, overrides: Partial<Thresholds> = {}, now = new Date()): Promise<Diagnostic> {
      assertCan(actor, 'registry.read');
      return diagnose(await facts(now), { ...DEFAULT_THRESHOLDS, ...overrides });
    },

    /** The plan: a recommendation per active initiative, a four-quarter roadmap, the model mix (docs/insight.md). */
    async plan(actor: Principal, overrides: Partial<PlanThresholds> = {}, now = new Date()): Promise<Plan> {
      assertCan(actor, 'registry.read');
      const conflicts = planThresholdConflicts(overrides);
      if (conflicts.length > 0) throw new InputError(conflicts.map((c) => c.message).join('; '), conflicts);
      const t = { ...DEFAULT_PLAN_THRESHOLDS, ...overrides };
      return plan(await planFacts(db, await facts(now), t, await deps.incidents.unresolved()), t);
    },

    /** Pilot paralysis, agent sprawl and where AI is not ready, as named lists. */
    async signals(actor: Principal, now = new Date()): Promise<Signals> {
      assertCan(actor, 'registry.read');
      return signalsOf(await facts(now), now);
    },

    /** The board report's content: the diagnostic and what stands behind it, for md, html and pdf. */
    async report(actor: Principal, now = new Date()): Promise<BoardReport> {
      assertCan(actor, 'registry.read');
      const f = await facts(now);
      const r = f.registry;
      const diagnostic = diagnose(f, DEFAULT_THRESHOLDS);
      const initiatives: ReportInitiative[] = [];
      for (const i of r.list('Initiative').filter((x) => ACTIVE.has(x.spec.stage))) {
        const outcomes = f.outcomes.get(i.name) ?? (await computeOutcomes(db, r, i.name, now, f.membership));
        const roi = await computeRoi(db, r, i.name, now, outcomes, f.membership);
        initiatives.push({
          name: i.name,
          title: i.spec.title ?? i.name,
          stage: i.spec.stage,
          riskTier: f.riskTier(i.name) ?? null,
          owner: i.spec.owner,
          businessUnit: i.spec.businessUnit,
          metrics: outcomes.metrics.map((m) => ({
            name: m.name,
            unit: m.unit,
            direction: m.direction,
            baseline: m.baseline.value,
            target: m.target,
            current: m.current,
            progress: m.progress,
            provenance: m.provenance,
          })),
          roi: {
            value: roi.value.items.length > 0 ? roi.value.total : null,
            valueProvenance: roi.value.provenance,
            cost: roi.cost.total,
            costIncomplete: roi.cost.incomplete,
            roi: roi.roi,
            provenance: roi.provenance,
          },
        });
      }
      const today = now.toISOString().slice(0, 10);
      const budgets: ReportBudget[] = [];
      for (const b of r.list('Budget').filter((x) => x.spec.period.from <= today && today <= x.spec.period.to)) {
        const a = budgetAlignment(f, DEFAULT_THRESHOLDS, b.name);
        if (!a) continue;
        const sum = (k: 'allocated' | 'proRated' | 'actual') => {
          const v = a.categories.reduce((s, c) => s + (c[k] ?? Number.POSITIVE_INFINITY), 0);
          return Number.isFinite(v) ? Math.round(v * 100) / 100 : null;
        };
        budgets.push({
          name: b.name,
          period: b.spec.period,
          categories: a.categories,
          total: { allocated: sum('allocated') ?? 0, proRated: sum('proRated') ?? 0, actual: sum('actual') },
          currency: a.currency,
          withoutOutcomes: a.spendWithoutOutcomes.initiatives,
          stalledPilots: a.spendOnStalledPilots,
          ...(a.telemetryNotIncludedUsd !== undefined ? { telemetryNotIncludedUsd: a.telemetryNotIncludedUsd } : {}),
          unpricedModelCalls: a.unpricedModelCalls,
        });
      }
      const since = new Date(now.getTime() - 90 * 86_400_000).toISOString();
      const risks = r
        .list('Initiative')
        .filter((i) => i.spec.stage !== 'retired')
        .map((i) => ({
          initiative: i.name,
          tier: f.riskTier(i.name) ?? 'untiered',
          stage: i.spec.stage,
          oversightOwner: i.spec.oversightOwner ?? null,
          incidentOwner: i.spec.incidentOwner ?? null,
        }))
        .sort((a, b) => TIER_ORDER.indexOf(a.tier) - TIER_ORDER.indexOf(b.tier) || a.initiative.localeCompare(b.initiative));
      return {
        title: 'AI portfolio: board report',
        generatedAt: now.toISOString(),
        window: f.window,
        diagnostic,
        initiatives,
        budgets,
        incidents: await reportIncidents(deps.incidents, since, f.overdueSeriousIncidents ?? 0),
        risks,
        shadowAgents: [...new Set(f.shadowAgents.map((s) => s.identity))],
        plan: planLines(
          plan(await planFacts(db, f, DEFAULT_PLAN_THRESHOLDS, await deps.incidents.unresolved()), DEFAULT_PLAN_THRESHOLDS),
        ),
        signals: await signalsOf(f, now),
      };
    },

    /** A budget's allocation against actual spend per category, spend without outcomes, spend on stalled pilots. */
    async alignment(actor: Principal, budget: string, now = new Date()) {
      assertCan(actor, 'registry.read');
      const a = budgetAlignment(await facts(now), DEFAULT_THRESHOLDS, budget);
      if (!a) throw new NotFoundError(`no Budget named "${budget}"`);
      return a;
    },
  };
}
