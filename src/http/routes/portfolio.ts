// The portfolio over HTTP: every initiative with its stage group and risk tier in force, and the counts
// by stage and tier (src/insight/portfolio.ts).
import { Type as T, type TInteger } from '@sinclair/typebox';
import { type PortfolioService, TIER_ROWS } from '../../insight/portfolio.js';
import { RISK_TIERS, STAGES } from '../../registry/schemas.js';
import { STAGE_GROUPS, type Stage, type StageGroup } from '../../registry/stages.js';
import type { Server } from '../schemas.js';

const enumOf = <V extends readonly string[]>(values: V, description?: string) =>
  T.Unsafe<V[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
const Nullable = <S extends Parameters<typeof T.Union>[0][number]>(s: S) => T.Union([s, T.Null()]);
const Count = T.Integer({ minimum: 0 });
const PerStage = T.Object(Object.fromEntries(STAGES.map((s) => [s, Count])) as Record<Stage, TInteger>, {
  description: 'initiatives per stage',
});
const Tier = enumOf(RISK_TIERS);

const TierInForce = T.Object(
  {
    tier: Nullable(Tier),
    source: enumOf(
      ['assessment', 'declared', 'none'] as const,
      'assessment: the latest risk assessment decided it; declared: the descriptor’s riskTier (not assessed yet); none: neither',
    ),
    assessedAt: Nullable(T.String({ format: 'date-time', description: 'when the assessment in force was made' })),
    declared: Nullable(Tier),
  },
  { description: 'the risk tier in force: the latest risk assessment’s, else the declared one' },
);

const Portfolio = T.Object(
  {
    initiatives: T.Array(
      T.Object({
        name: T.String(),
        title: T.String(),
        type: enumOf(['chatbot', 'copilot', 'agent'] as const),
        stage: enumOf(STAGES),
        stageSince: Nullable(T.String({ format: 'date' })),
        stageGroup: enumOf(STAGE_GROUPS, 'planned (proposed), active (pilot, production, scaled) or retired'),
        active: T.Boolean({ description: 'in pilot, production or scaled: it runs, spends and is measured' }),
        owner: T.String(),
        businessUnit: T.String(),
        outcomes: T.Integer({ minimum: 0, description: 'outcome metrics the descriptor declares' }),
        tier: TierInForce,
      }),
      { description: 'most mature first (scaled, production, pilot), then proposed, then retired; by name within a stage' },
    ),
    counts: T.Object({
      total: Count,
      byStage: PerStage,
      byStageGroup: T.Object(Object.fromEntries(STAGE_GROUPS.map((g) => [g, Count])) as Record<StageGroup, TInteger>),
      byTier: T.Array(T.Object({ tier: enumOf(TIER_ROWS), total: Count, byStage: PerStage }), {
        description: 'one row per tier in force, least risky first, then untiered; rows with no initiative included',
      }),
    }),
  },
  { $id: 'Portfolio' },
);

export function portfolioRoutes(server: Server, portfolio: PortfolioService): void {
  server.addSchema(Portfolio);
  server.get(
    '/v1/portfolio',
    {
      schema: {
        tags: ['insight'],
        operationId: 'getPortfolio',
        summary: 'Every initiative with its stage group and risk tier in force, and the counts by stage and tier',
        response: { 200: T.Ref(Portfolio) },
      },
    },
    async (req) => portfolio.portfolio(req.principal),
  );
}
