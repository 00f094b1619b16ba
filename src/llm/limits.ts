// Which SpendLimits apply to an agent's call, the UTC calendar period each is counted in, and money
// as the ledger keeps it: integer micro-USD, so the admission check (spent + reserved + cost <= limit)
// is exact on both engines and never drifts with floating-point sums.
import type { RegistrySnapshot } from '../registry/model.js';
import type { SpendLimitSpec } from '../registry/schemas.js';

export type Period = SpendLimitSpec['period'];

export interface ApplicableLimit {
  name: string;
  spec: SpendLimitSpec;
  /** The period's first day (YYYY-MM-DD): the ledger row this call counts in. */
  periodStart: string;
  amountMicro: number;
}

/** Micro-USD for a cost, rounded up: the ledger never charges less than the price says. */
export function toMicro(usd: number): number {
  return Math.max(0, Math.ceil(usd * 1e6 - 1e-6));
}

/** Micro-USD a limit admits, rounded down. */
export function limitMicro(usd: number): number {
  return Math.floor(usd * 1e6 + 1e-6);
}

export function fromMicro(micro: number): number {
  return Math.round(micro) / 1e6;
}

/** The UTC period `at` falls in: [from, to) as ISO times, and its first day. */
export function periodOf(period: Period, at: Date): { start: string; from: string; to: string } {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  let from: Date;
  let to: Date;
  if (period === 'day') {
    from = new Date(Date.UTC(y, m, d));
    to = new Date(Date.UTC(y, m, d + 1));
  } else if (period === 'week') {
    const sinceMonday = (at.getUTCDay() + 6) % 7; // ISO weeks start on Monday
    from = new Date(Date.UTC(y, m, d - sinceMonday));
    to = new Date(Date.UTC(y, m, d - sinceMonday + 7));
  } else {
    from = new Date(Date.UTC(y, m, 1));
    to = new Date(Date.UTC(y, m + 1, 1));
  }
  return { start: from.toISOString().slice(0, 10), from: from.toISOString(), to: to.toISOString() };
}

// Per registry snapshot: limits by scope, so finding an agent's is three map reads.
const indexes = new WeakMap<RegistrySnapshot, Map<string, Array<{ name: string; spec: SpendLimitSpec }>>>();

function indexOf(registry: RegistrySnapshot) {
  let index = indexes.get(registry);
  if (!index) {
    index = new Map();
    for (const l of registry.list('SpendLimit')) {
      const s = l.spec.scope;
      const key = s.agent ? `agent/${s.agent}` : s.initiative ? `initiative/${s.initiative}` : `businessUnit/${s.businessUnit}`;
      const list = index.get(key) ?? [];
      list.push({ name: l.name, spec: l.spec });
      index.set(key, list);
    }
    indexes.set(registry, index);
  }
  return index;
}

/**
 * Every SpendLimit a call of `agent` counts against: the agent's own, its initiative's and that
 * initiative's business unit's, sorted by name (every transaction takes their rows in this order, so
 * two never wait on each other in a cycle).
 */
export function limitsFor(registry: RegistrySnapshot, agent: string, at: Date): ApplicableLimit[] {
  const index = indexOf(registry);
  const initiative = registry.get('Agent', agent)?.spec.initiative;
  const unit = initiative ? registry.get('Initiative', initiative)?.spec.businessUnit : undefined;
  const found = [
    ...(index.get(`agent/${agent}`) ?? []),
    ...(initiative ? (index.get(`initiative/${initiative}`) ?? []) : []),
    ...(unit ? (index.get(`businessUnit/${unit}`) ?? []) : []),
  ];
  return found
    .map((l) => ({ ...l, periodStart: periodOf(l.spec.period, at).start, amountMicro: limitMicro(l.spec.amountUsd) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
