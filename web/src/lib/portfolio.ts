// Loads what several pages share: the portfolio (GET /v1/portfolio: each initiative's stage group and
// risk tier in force, computed by the server) and, for the active initiatives, their outcomes.
import type { GetResult } from '../../../src/client/index';
import { type Api, ok } from './api';

export type Portfolio = GetResult<'/v1/portfolio'>;
export type PortfolioInitiative = Portfolio['initiatives'][number];
export type Outcomes = GetResult<'/v1/initiatives/{name}/outcomes'>;
export type Alignment = GetResult<'/v1/budgets/{name}/alignment'>;
export type Budget = GetResult<'/v1/budgets'>['items'][number];

export function loadPortfolio(api: Api): Promise<Portfolio> {
  return ok(api.GET('/v1/portfolio'));
}

/** Outcomes of every active initiative that declares some, by initiative name. */
export async function loadOutcomes(api: Api, portfolio: Portfolio): Promise<Map<string, Outcomes>> {
  const withOutcomes = portfolio.initiatives.filter((i) => i.active && i.outcomes > 0);
  const all = await Promise.all(
    withOutcomes.map((i) => ok(api.GET('/v1/initiatives/{name}/outcomes', { params: { path: { name: i.name } } }))),
  );
  return new Map(all.map((o) => [o.initiative, o]));
}

/** The budget whose period holds today, else the latest one; null when there is none. */
export async function loadCurrentBudget(api: Api): Promise<{ budget: Budget; alignment: Alignment } | null> {
  const budgets = (await ok(api.GET('/v1/budgets'))).items;
  const today = new Date().toISOString().slice(0, 10);
  const sorted = [...budgets].sort((a, b) => b.spec.period.from.localeCompare(a.spec.period.from));
  const budget = sorted.find((b) => b.spec.period.from <= today && today <= b.spec.period.to) ?? sorted[0];
  if (!budget) return null;
  const alignment = await ok(api.GET('/v1/budgets/{name}/alignment', { params: { path: { name: budget.metadata.name } } }));
  return { budget, alignment };
}
