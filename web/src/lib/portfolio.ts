// Loads what several pages share: the initiatives and, for the active ones, their outcomes.
import type { Api } from './api';
import type { Alignment, BudgetSpec, Descriptor, InitiativeSpec, Items, Outcomes } from './types';

export const ACTIVE_STAGES = ['pilot', 'production', 'scaled'];

export async function loadInitiatives(api: Api): Promise<Descriptor<InitiativeSpec>[]> {
  return (await api.get<Items<Descriptor<InitiativeSpec>>>('/v1/initiatives')).items;
}

export interface TierInForce {
  tier: string | undefined;
  /** Set when a risk assessment decided the tier (it overrides the descriptor's riskTier). */
  assessedAt?: string;
  declared: string | undefined;
}

/** Each initiative's risk tier in force: its latest assessment's, else the tier its descriptor declares. */
export async function loadTiers(api: Api, initiatives: Descriptor<InitiativeSpec>[]): Promise<Map<string, TierInForce>> {
  const latest = await Promise.all(
    initiatives.map(async (i) => {
      const { items } = await api.get<Items<{ tier: string; assessedAt: string }>>(
        `/v1/initiatives/${encodeURIComponent(i.metadata.name)}/risk-assessments`,
      );
      const a = items[0];
      const declared = i.spec.riskTier;
      return [i.metadata.name, a ? { tier: a.tier, assessedAt: a.assessedAt, declared } : { tier: declared, declared }] as const;
    }),
  );
  return new Map(latest);
}

/** Outcomes of every active initiative that declares some, by initiative name. */
export async function loadOutcomes(api: Api, initiatives: Descriptor<InitiativeSpec>[]): Promise<Map<string, Outcomes>> {
  const withOutcomes = initiatives.filter((i) => ACTIVE_STAGES.includes(i.spec.stage) && (i.spec.outcomes?.length ?? 0) > 0);
  const all = await Promise.all(
    withOutcomes.map((i) => api.get<Outcomes>(`/v1/initiatives/${encodeURIComponent(i.metadata.name)}/outcomes`)),
  );
  return new Map(all.map((o) => [o.initiative, o]));
}

/** The budget whose period holds today, else the latest one; null when there is none. */
export async function loadCurrentBudget(api: Api): Promise<{ budget: Descriptor<BudgetSpec>; alignment: Alignment } | null> {
  const budgets = (await api.get<Items<Descriptor<BudgetSpec>>>('/v1/budgets')).items;
  const today = new Date().toISOString().slice(0, 10);
  const sorted = [...budgets].sort((a, b) => b.spec.period.from.localeCompare(a.spec.period.from));
  const budget = sorted.find((b) => b.spec.period.from <= today && today <= b.spec.period.to) ?? sorted[0];
  if (!budget) return null;
  const alignment = await api.get<Alignment>(`/v1/budgets/${encodeURIComponent(budget.metadata.name)}/alignment`);
  return { budget, alignment };
}
