// Gathers the facts the diagnostic reads — registry, outcome measurements, telemetry rollups,
// shadow agents — and runs it.
import type { Kysely } from 'kysely';
import { assertCan, type Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { NotFoundError } from '../errors.js';
import { computeOutcomes } from '../evidence/outcomes.js';
import { latestTiers } from '../governance/risk.js';
import type { RegistrySnapshot } from '../registry/model.js';
import { budgetAlignment, DEFAULT_THRESHOLDS, type Diagnostic, diagnose, type Facts, type Thresholds } from './diagnostic.js';
import { computeRoi, type Roi } from './roi.js';
import { computeSignals, type Signals } from './signals.js';
import { type SpendLine, spendLinesOf } from './spend.js';

export interface Deps {
  db: Kysely<Database>;
  registry(): Promise<RegistrySnapshot>;
  agentStatus(agent: string): string;
  overdueSeriousIncidents(): Promise<number>;
}

export type InsightService = ReturnType<typeof createInsightService>;

const WINDOW_DAYS = 30;

export function createInsightService(deps: Deps) {
  const { db } = deps;
  /** Everything the diagnostic and the budget views read, gathered once per request. */
  async function facts(now: Date): Promise<Facts> {
    const registry = await deps.registry();
    const to = now.toISOString().slice(0, 10);
    const from = new Date(now.getTime() - (WINDOW_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
    const active = registry.list('Initiative').filter((i) => ['pilot', 'production', 'scaled'].includes(i.spec.stage));

    const recent = await db
      .selectFrom('measurements')
      .select(['initiative', 'metric'])
      .where('recorded_at', '>=', `${from}T00:00:00.000Z`)
      .execute();
    const measuredInitiatives = new Set<string>();
    for (const i of active) {
      const report = await computeOutcomes(db, registry, i.name, now);
      const ok = report.metrics.some(
        (m) =>
          m.provenance === 'measured' ||
          (m.provenance === 'self-reported' && recent.some((r) => r.initiative === i.name && r.metric === m.name)),
      );
      if (ok) measuredInitiatives.add(i.name);
    }

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
      telemetrySpend: telemetrySpend.map((s) => ({ day: s.day, agent: s.agent, model: s.model, costUsd: Number(s.costUsd) })),
      overdueSeriousIncidents: await deps.overdueSeriousIncidents(),
    };
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

    /** Pilot paralysis, agent sprawl and where AI is not ready, as named lists. */
    async signals(actor: Principal, now = new Date()): Promise<Signals> {
      assertCan(actor, 'registry.read');
      const f = await facts(now);
      return computeSignals(f.registry, {
        now,
        stalledPilotDays: DEFAULT_THRESHOLDS.stalledPilotDays,
        measuredInitiatives: f.measuredInitiatives,
        agentStatus: f.agentStatus,
      });
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
