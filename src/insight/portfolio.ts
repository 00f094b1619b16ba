// The portfolio: every initiative with its stage, stage group and risk tier in force, and the counts
// by stage and tier. The console's Portfolio page renders it; the rules (which stages are active,
// which tier is in force) are the server's, so no client recomputes them.
import type { Kysely } from 'kysely';
import { assertCan, type Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import type { Tier } from '../governance/risk.js';
import type { RegistrySnapshot } from '../registry/model.js';
import { RISK_TIERS, STAGES } from '../registry/schemas.js';
import { STAGE_ORDER, type Stage, type StageGroup, stageGroup } from '../registry/stages.js';

/** Rows of the stage × tier matrix, least risky first; `untiered` holds initiatives with no tier at all. */
export const TIER_ROWS = [...RISK_TIERS, 'untiered'] as const;
export type TierRow = (typeof TIER_ROWS)[number];

export interface TierInForce {
  /** The latest risk assessment's tier, else the declared one; null when neither exists. */
  tier: Tier | null;
  source: 'assessment' | 'declared' | 'none';
  /** When the assessment in force was made; null when the tier is the declared one. */
  assessedAt: string | null;
  /** The descriptor's riskTier, which an assessment overrides. */
  declared: Tier | null;
}

export interface PortfolioInitiative {
  name: string;
  title: string;
  type: 'chatbot' | 'copilot' | 'agent';
  stage: Stage;
  stageSince: string | null;
  stageGroup: StageGroup;
  /** In pilot, production or scaled: it runs, spends and is measured. */
  active: boolean;
  owner: string;
  businessUnit: string;
  /** How many outcome metrics the descriptor declares. */
  outcomes: number;
  tier: TierInForce;
}

export type PerStage = Record<Stage, number>;

export interface Portfolio {
  /** Most mature first (scaled, production, pilot), then proposed, then retired; by name within a stage. */
  initiatives: PortfolioInitiative[];
  counts: {
    total: number;
    byStage: PerStage;
    byStageGroup: Record<StageGroup, number>;
    /** One row per tier (TIER_ROWS order), with its initiatives per stage; rows with no initiative included. */
    byTier: Array<{ tier: TierRow; total: number; byStage: PerStage }>;
  };
}

export interface Deps {
  db: Kysely<Database>;
  registry(): Promise<RegistrySnapshot>;
}

export type PortfolioService = ReturnType<typeof createPortfolioService>;

export function createPortfolioService(deps: Deps) {
  return {
    async portfolio(actor: Principal): Promise<Portfolio> {
      assertCan(actor, 'registry.read');
      const [registry, assessed] = await Promise.all([deps.registry(), latestAssessments(deps.db)]);
      return buildPortfolio(registry, assessed);
    },
  };
}

/** Each initiative's latest risk assessment, in one query (the highest version per initiative). */
export async function latestAssessments(db: Kysely<Database>): Promise<Map<string, { tier: Tier; assessedAt: string }>> {
  const rows = await db
    .selectFrom('risk_assessments as a')
    .select(['a.initiative', 'a.tier', 'a.assessed_at'])
    .where((eb) =>
      eb(
        'a.version',
        '=',
        eb
          .selectFrom('risk_assessments as b')
          .select((b) => b.fn.max('b.version').as('v'))
          .whereRef('b.initiative', '=', 'a.initiative'),
      ),
    )
    .execute();
  return new Map(rows.map((r) => [r.initiative, { tier: r.tier as Tier, assessedAt: r.assessed_at }]));
}

export function buildPortfolio(
  registry: RegistrySnapshot,
  assessed: ReadonlyMap<string, { tier: Tier; assessedAt: string }>,
): Portfolio {
  const order = (s: Stage) => STAGE_ORDER.indexOf(s);
  const initiatives = registry
    .list('Initiative')
    .map((i): PortfolioInitiative => {
      const declared = i.spec.riskTier ?? null;
      const a = assessed.get(i.name);
      const tier: TierInForce = a
        ? { tier: a.tier, source: 'assessment', assessedAt: a.assessedAt, declared }
        : { tier: declared, source: declared ? 'declared' : 'none', assessedAt: null, declared };
      const group = stageGroup(i.spec.stage);
      return {
        name: i.name,
        title: i.spec.title,
        type: i.spec.type,
        stage: i.spec.stage,
        stageSince: i.spec.stageSince ?? null,
        stageGroup: group,
        active: group === 'active',
        owner: i.spec.owner,
        businessUnit: i.spec.businessUnit,
        outcomes: i.spec.outcomes?.length ?? 0,
        tier,
      };
    })
    .sort((a, b) => order(a.stage) - order(b.stage) || a.name.localeCompare(b.name));

  const perStage = (of: PortfolioInitiative[]): PerStage =>
    Object.fromEntries(STAGES.map((s) => [s, of.filter((i) => i.stage === s).length])) as PerStage;
  const rowOf = (i: PortfolioInitiative): TierRow => i.tier.tier ?? 'untiered';
  return {
    initiatives,
    counts: {
      total: initiatives.length,
      byStage: perStage(initiatives),
      byStageGroup: {
        planned: initiatives.filter((i) => i.stageGroup === 'planned').length,
        active: initiatives.filter((i) => i.stageGroup === 'active').length,
        retired: initiatives.filter((i) => i.stageGroup === 'retired').length,
      },
      byTier: TIER_ROWS.map((tier) => {
        const of = initiatives.filter((i) => rowOf(i) === tier);
        return { tier, total: of.length, byStage: perStage(of) };
      }),
    },
  };
}
