// The scale-or-fail diagnostic: the brief's six checklist questions answered from what Fulcrum
// knows (registry, telemetry, spend), never from a questionnaire. A pure function of the facts.
import { SIGN_OFFS } from '../governance/review-rules.js';
import { centsAddingUp, formatAmount, formatMoney } from '../money.js';
import type { Desired, RegistrySnapshot } from '../registry/model.js';
import { BUDGET_CATEGORIES } from '../registry/schemas.js';
import { ACTIVE_STAGES, daysInStage } from '../registry/stages.js';

export type Status = 'pass' | 'partial' | 'fail' | 'unknown';
export type Verdict = 'scale' | 'at-risk' | 'fail';

export interface Evidence {
  label: string;
  value: string | number;
}

export interface Area {
  area: 'outcomes' | 'agents' | 'data-infrastructure' | 'governance' | 'operating-model' | 'budget';
  question: string;
  status: Status;
  evidence: Evidence[];
  action: string;
  /** Why the status is unknown, when it is. */
  why?: string;
}

export interface Diagnostic {
  verdict: Verdict;
  areas: Area[];
  window: { from: string; to: string };
  generatedAt: string;
}

/** The defaults of the rules; each can be overridden. */
export const DEFAULT_THRESHOLDS = {
  /** Active initiatives with quantified, measured outcomes needed to pass `outcomes`. */
  minMeasuredInitiatives: 5,
  /** Below this share of standardised active agents, `agents` fails. */
  minStandardisedShare: 0.5,
  /** Below this share of assessed data domains, `data-infrastructure` fails. */
  minAssessedDomainShare: 0.8,
  /** Below this share of risk-tiered active initiatives, `governance` fails. */
  minTieredShare: 0.8,
  /** Allowed deviation of actual spend from the pro-rated allocation, per category. */
  budgetTolerance: 0.25,
  /** Largest share of spend on initiatives without quantified outcomes. */
  maxUnmeasuredSpendShare: 0.2,
  /** A pilot older than this is stalled. */
  stalledPilotDays: 180,
};
export type Thresholds = typeof DEFAULT_THRESHOLDS;

export interface Facts {
  now: Date;
  window: { from: string; to: string };
  registry: RegistrySnapshot;
  /** An agent's effective status (a suspension overrides the descriptor). */
  agentStatus(agent: string): string;
  /** An initiative's risk tier in force (the latest assessment, else the descriptor's). */
  riskTier(initiative: string): string | undefined;
  /** Active initiatives with at least one metric with baseline, target and a current value in the window. */
  measuredInitiatives: ReadonlySet<string>;
  /** Shadow agents seen in the window. */
  shadowAgents: ReadonlyArray<{ identity: string; source: string }>;
  /** Model calls in the window by the model key the rollups keep (a registry Model, or as reported). */
  modelCalls: ReadonlyArray<{ model: string; calls: number }>;
  /**
   * Telemetry cost (measured + self-reported) per day, agent and model key, since the earliest budget,
   * with the initiative the agent worked for that day (src/evidence/membership.ts; none when deleted).
   */
  telemetrySpend: ReadonlyArray<{
    day: string;
    agent: string;
    model: string;
    costUsd: number;
    /** Model calls without a price: their cost is in no costUsd. */
    unpricedCalls?: number;
    initiative?: string;
  }>;
  /** Every spend line per budget: the descriptor's actuals and imported lines. */
  spendLines(budget: string): ReadonlyArray<{ date: string; category: string; amount: number; initiative?: string }>;
  /** Incident management is part of governance; until it exists this is undefined. */
  overdueSeriousIncidents?: number;
}

const DAY = 86_400_000;

const ACTIONS: Record<Area['area'], string> = {
  outcomes: 'Prioritise use cases and define value metrics',
  agents: 'Consolidate tools and define agent archetypes',
  'data-infrastructure': 'Map data maturity and infra constraints',
  governance: 'Create and communicate AI governance guardrails',
  'operating-model': 'Define platform, domain and oversight roles',
  budget: 'Rebalance spend across models, infra, data, agents',
};
const QUESTIONS: Record<Area['area'], string> = {
  outcomes: 'Do we have 5–10 AI initiatives with clear, quantified outcomes?',
  agents: 'Do we have a standard pattern and platform for agents?',
  'data-infrastructure': 'Do we know which domains have production-ready data and capacity?',
  governance: 'Do teams know what’s allowed and how to get AI approved?',
  'operating-model': 'Is there a coherent structure for AI ownership and decision-making?',
  budget: 'Are budgets aligned with our AI priorities and constraints?',
};

const list = (names: string[], max = 8) =>
  names.length === 0 ? 'none' : names.slice(0, max).join(', ') + (names.length > max ? ` and ${names.length - max} more` : '');
const pct = (x: number) => `${Math.round(x * 100)}%`;

export function diagnose(f: Facts, t: Thresholds = DEFAULT_THRESHOLDS): Diagnostic {
  const r = f.registry;
  const active = r.list('Initiative').filter((i) => ACTIVE_STAGES.has(i.spec.stage));
  const activeAgents = r
    .list('Agent')
    .filter(
      (a) => f.agentStatus(a.name) === 'active' && ACTIVE_STAGES.has(r.get('Initiative', a.spec.initiative)?.spec.stage ?? ''),
    );
  const area = (name: Area['area'], status: Status, evidence: Evidence[], why?: string): Area => ({
    area: name,
    question: QUESTIONS[name],
    status,
    evidence,
    action: ACTIONS[name],
    ...(why ? { why } : {}),
  });

  // Outcomes
  const measured = active.filter((i) => f.measuredInitiatives.has(i.name)).map((i) => i.name);
  const outcomes = area(
    'outcomes',
    measured.length >= t.minMeasuredInitiatives ? 'pass' : measured.length === 0 ? 'fail' : 'partial',
    [
      { label: 'active initiatives', value: active.length },
      { label: `with a measured outcome in the window (need ${t.minMeasuredInitiatives})`, value: measured.length },
      { label: 'measured', value: list(measured) },
      { label: 'not measured', value: list(active.map((i) => i.name).filter((n) => !measured.includes(n))) },
    ],
  );

  // Agents
  const archetypes = r.list('Archetype');
  const standardised = activeAgents.filter((a) => {
    const arch = a.spec.archetype ? r.get('Archetype', a.spec.archetype) : undefined;
    return arch && a.spec.framework !== undefined && arch.spec.frameworks.includes(a.spec.framework);
  });
  const adHoc = activeAgents.filter((a) => !a.spec.archetype).map((a) => a.name);
  const offFramework = activeAgents.filter((a) => a.spec.archetype && !standardised.includes(a)).map((a) => a.name);
  const share = activeAgents.length ? standardised.length / activeAgents.length : 1;
  const agents = area(
    'agents',
    archetypes.length === 0 || share < t.minStandardisedShare
      ? 'fail'
      : standardised.length === activeAgents.length && f.shadowAgents.length === 0
        ? 'pass'
        : 'partial',
    [
      { label: 'archetypes', value: archetypes.length },
      { label: 'active agents', value: activeAgents.length },
      { label: 'standardised (archetype and a framework it lists)', value: `${standardised.length} (${pct(share)})` },
      { label: 'ad-hoc agents (no archetype)', value: list(adHoc) },
      { label: 'agents on a framework their archetype does not list', value: list(offFramework) },
      { label: 'shadow agents seen in the window', value: list(f.shadowAgents.map((s) => `${s.identity} (${s.source})`)) },
    ],
  );

  // Data and infrastructure
  const domains = r.list('DataDomain');
  const assessed = domains.filter((d) => d.spec.maturity !== undefined);
  const assessedShare = domains.length ? assessed.length / domains.length : 0;
  const touched = new Set<string>();
  for (const a of r.list('Agent')) {
    const stage = r.get('Initiative', a.spec.initiative)?.spec.stage;
    if (stage !== 'production' && stage !== 'scaled') continue;
    for (const d of (a.spec.archetype && r.get('Archetype', a.spec.archetype)?.spec.dataDomains) || []) touched.add(d);
    for (const tool of a.spec.extraTools) for (const d of r.get('Tool', tool)?.spec.dataDomains ?? []) touched.add(d);
  }
  const unready = [...touched].filter((d) => !r.get('DataDomain', d)?.spec.maturity?.productionReady).sort();
  const pools = r.list('ComputePool');
  const short = pools.filter((p) => p.spec.forecastDemand !== undefined && p.spec.forecastDemand > p.spec.capacity);
  const data = area(
    'data-infrastructure',
    domains.length === 0 || assessedShare < t.minAssessedDomainShare || pools.length === 0
      ? 'fail'
      : assessed.length === domains.length && unready.length === 0 && short.length === 0
        ? 'pass'
        : 'partial',
    [
      { label: 'data domains assessed', value: `${assessed.length} of ${domains.length} (${pct(assessedShare)})` },
      { label: 'unassessed', value: list(domains.filter((d) => !d.spec.maturity).map((d) => d.name)) },
      { label: 'not production-ready but used in production', value: list(unready) },
      { label: 'compute pools', value: pools.length },
      {
        label: 'forecast demand above capacity',
        value: list(short.map((p) => `${p.name} (${p.spec.forecastDemand}/${p.spec.capacity} ${p.spec.unit})`)),
      },
    ],
  );

  // Governance
  const tiered = active.filter((i) => f.riskTier(i.name) !== undefined);
  const tieredShare = active.length ? tiered.length / active.length : 1;
  const highWithoutOwners = active
    .filter((i) => f.riskTier(i.name) === 'high' && (!i.spec.oversightOwner || !i.spec.incidentOwner))
    .map((i) => i.name);
  // Tiered is not allowed: an active initiative found to be an Art. 5 practice is one to retire (its
  // agents are denied), and it passed as governed (found by review).
  const prohibited = active.filter((i) => f.riskTier(i.name) === 'prohibited').map((i) => i.name);
  const approvedModels = r.list('Model').filter((m) => m.spec.status === 'approved');
  const unapproved = f.modelCalls
    .filter((m) => m.calls > 0 && r.get('Model', m.model)?.spec.status !== 'approved')
    .map((m) => `${m.model} (${r.get('Model', m.model)?.spec.status ?? 'not in the registry'}, ${m.calls} calls)`);
  const knownOk =
    tieredShare === 1 &&
    highWithoutOwners.length === 0 &&
    prohibited.length === 0 &&
    approvedModels.length > 0 &&
    unapproved.length === 0;
  const incidentsKnown = f.overdueSeriousIncidents !== undefined;
  const governanceStatus: Status =
    tieredShare < t.minTieredShare
      ? 'fail'
      : !knownOk || (incidentsKnown && (f.overdueSeriousIncidents as number) > 0)
        ? 'partial'
        : incidentsKnown
          ? 'pass'
          : 'unknown';
  const governance = area(
    'governance',
    governanceStatus,
    [
      { label: 'active initiatives risk-tiered', value: `${tiered.length} of ${active.length} (${pct(tieredShare)})` },
      { label: 'untiered', value: list(active.filter((i) => !f.riskTier(i.name)).map((i) => i.name)) },
      { label: 'high-risk without oversight or incident owner', value: list(highWithoutOwners) },
      { label: 'active initiatives assessed a prohibited practice (retire them)', value: list(prohibited) },
      { label: 'approved models', value: approvedModels.length },
      { label: 'non-approved models seen in telemetry', value: list(unapproved) },
      {
        label: 'serious incidents past their reporting deadline',
        value: incidentsKnown ? (f.overdueSeriousIncidents as number) : 'unknown',
      },
    ],
    governanceStatus === 'unknown' ? 'incident management (serious-incident reporting clocks) is not available yet' : undefined,
  );

  // Operating model
  const people = r.list('Person');
  const holders = (role: string) => people.filter((p) => (p.spec.roles as string[]).includes(role)).length;
  const orphaned = active
    .filter((i) => !r.has('Person', i.spec.owner) || !r.has('BusinessUnit', i.spec.businessUnit))
    .map((i) => i.name);
  // The roles promotions need at each active initiative's tier; `owner` is the initiative's own owner.
  const neededRoles = [...new Set(active.flatMap((i) => SIGN_OFFS[f.riskTier(i.name) ?? 'minimal'] ?? []))]
    .filter((r) => r !== 'owner')
    .sort();
  // An admin may give any sign-off, so a role only admins hold is not unstaffed, but it is not a
  // structure either (found by review: it read as held by nobody).
  const admins = holders('admin');
  const missingRoles = neededRoles.filter((role) => holders(role) === 0 && admins === 0);
  const adminOnly = neededRoles.filter((role) => holders(role) === 0 && admins > 0);
  // One person gives one sign-off per review, and never the owner in another role (review-rules.ts):
  // each role needs its own person. Four reviewer roles held by one person staffed every role, and
  // no review could close (found by review).
  const unsignable = active
    .filter((i) => r.has('Person', i.spec.owner))
    .filter((i) => !distinctSigners(SIGN_OFFS[f.riskTier(i.name) ?? 'minimal'] ?? [], people, i.spec.owner))
    .map((i) => i.name);
  const operating = area(
    'operating-model',
    orphaned.length > 0
      ? 'fail'
      : holders('platform') > 0 && missingRoles.length === 0 && adminOnly.length === 0 && unsignable.length === 0
        ? 'pass'
        : 'partial',
    [
      { label: 'active initiatives without an existing owner or business unit', value: list(orphaned) },
      { label: 'people with the platform role', value: holders('platform') },
      { label: 'sign-off roles the active tiers need', value: list(neededRoles) },
      { label: 'needed but held by nobody', value: list(missingRoles) },
      { label: 'needed and held only through the admin role', value: list(adminOnly) },
      { label: 'active initiatives whose promotion no set of distinct people can sign', value: list(unsignable) },
    ],
  );

  const budget = budgetArea(f, t, area);
  const areas = [outcomes, agents, data, governance, operating, budget];
  const fails = areas.filter((a) => a.status === 'fail').length;
  const verdict: Verdict = fails >= 2 ? 'fail' : areas.every((a) => a.status === 'pass') ? 'scale' : 'at-risk';
  return { verdict, areas, window: f.window, generatedAt: f.now.toISOString() };
}

/** A budget's allocations against its actual spend to date (spend lines + telemetry), and the signals on it. */
/** A budget's allocation against actual spend, as GET /v1/budgets/<name>/alignment answers it. */
export type BudgetAlignment = NonNullable<ReturnType<typeof budgetAlignment>>;

export function budgetAlignment(f: Facts, t: Thresholds, budget: string) {
  const r = f.registry;
  const b = r.get('Budget', budget);
  if (!b) return undefined;
  const today = f.now.toISOString().slice(0, 10);
  const { from, to } = b.spec.period;
  const elapsed = Math.max(
    0,
    Math.min(1, (Date.parse(today) - Date.parse(from) + DAY) / (Date.parse(to) - Date.parse(from) + DAY)),
  );
  const allocated = new Map<string, number>();
  for (const a of b.spec.allocations) allocated.set(a.category, (allocated.get(a.category) ?? 0) + a.amount);
  const actual = new Map<string, number>();
  const byInitiative = new Map<string, number>();
  const add = (category: string, initiative: string | undefined, amount: number) => {
    actual.set(category, (actual.get(category) ?? 0) + amount);
    const key = initiative ?? '';
    byInitiative.set(key, (byInitiative.get(key) ?? 0) + amount);
  };
  // The budget's own period only: a budget rolled over to its next period (its period moved on) keeps
  // the lines imported in the last one, which are not this period's spend (found by review: last
  // year's invoices were this year's actual, every category far off plan from the first day).
  for (const line of f.spendLines(b.name))
    if (line.date >= from && line.date <= to && line.date <= today) add(line.category, line.initiative, line.amount);
  // Model-call cost from telemetry: model licences, or infrastructure for self-hosted models. It is in
  // USD: a budget in another currency does not take it (Fulcrum converts nothing), and says how much
  // it leaves out (found by review: USD was added to a EUR budget as if it were euros). Only the
  // budget's own period: a closed budget read today took every call since its end as its own.
  let telemetryUsd = 0;
  // Calls without a price are a cost unknown, in no category: counted and said, never read as 0 spent
  // (found by review: a budget whose agents called only an unregistered model read nothing spent).
  let unpricedModelCalls = 0;
  for (const s of f.telemetrySpend) {
    if (s.day < from || s.day > today || s.day > to) continue;
    unpricedModelCalls += s.unpricedCalls ?? 0;
    if (b.spec.currency !== 'USD') {
      telemetryUsd += s.costUsd;
      continue;
    }
    const hosting = r.get('Model', s.model)?.spec.hosting;
    add(hosting === 'self-hosted' ? 'infrastructure-compute' : 'model-licences', s.initiative, s.costUsd);
  }
  // Each category's actual in cents that add up to the total printed under them (money.ts).
  const actualCents = centsAddingUp(BUDGET_CATEGORIES.map((category) => actual.get(category) ?? 0));
  const categories = BUDGET_CATEGORIES.map((category, i) => {
    const proRated = (allocated.get(category) ?? 0) * elapsed;
    const spent = actual.get(category) ?? 0;
    return {
      category,
      allocated: allocated.get(category) ?? 0,
      proRated: Math.round(proRated * 100) / 100,
      // null, not Infinity: stored amounts that overflow a number are said to, not sent as a number.
      actual: Number.isFinite(spent) ? (actualCents[i] as number) : null,
      deviation: proRated > 0 ? Math.round(((spent - proRated) / proRated) * 10_000) / 10_000 : null,
      // Spend in a category the budget allocates nothing to is off plan: nobody planned it (it was
      // never flagged, having no allocation to deviate from).
      offPlan:
        proRated > 0
          ? Math.abs(spent - proRated) > t.budgetTolerance * proRated
          : (allocated.get(category) ?? 0) === 0 && spent > 0,
    };
  });
  const total = [...actual.values()].reduce((x, y) => x + y, 0);
  // Spend booked to no initiative (platform, security…) is not spend on an initiative without outcomes.
  const withoutOutcomes = [...byInitiative]
    .filter(([i]) => i && (r.get('Initiative', i)?.spec.outcomes.length ?? 0) === 0)
    .map(([initiative, amount]) => ({ initiative, amount: Math.round(amount * 100) / 100 }));
  const unmeasured = withoutOutcomes.reduce((sum, x) => sum + x.amount, 0);
  const stalledPilots = r
    .list('Initiative')
    .filter(
      (i) =>
        i.spec.stage === 'pilot' &&
        i.spec.stageSince !== undefined &&
        daysInStage(i.spec.stageSince, f.now) > t.stalledPilotDays &&
        (byInitiative.get(i.name) ?? 0) > 0,
    )
    .map((i) => ({
      initiative: i.name,
      since: i.spec.stageSince as string,
      amount: Math.round((byInitiative.get(i.name) ?? 0) * 100) / 100,
    }));
  return {
    budget: b.name,
    currency: b.spec.currency,
    period: { from, to },
    elapsed: Math.round(elapsed * 10_000) / 10_000,
    categories,
    // The sum of the rows above when each is a number (the same cents); rounded on its own otherwise.
    total: actualCents.every(Number.isFinite)
      ? Math.round(actualCents.reduce((x, y) => x + y * 100, 0)) / 100
      : Math.round(total * 100) / 100,
    spendWithoutOutcomes: {
      total: Math.round(unmeasured * 100) / 100,
      share: total ? Math.round((unmeasured / total) * 10_000) / 10_000 : 0,
      initiatives: withoutOutcomes,
    },
    spendOnStalledPilots: stalledPilots,
    unpricedModelCalls,
    ...(b.spec.currency !== 'USD' ? { telemetryNotIncludedUsd: Math.round(telemetryUsd * 100) / 100 } : {}),
  };
}

function budgetArea(f: Facts, t: Thresholds, area: (n: Area['area'], s: Status, e: Evidence[]) => Area): Area {
  const today = f.now.toISOString().slice(0, 10);
  const covering = f.registry
    .list('Budget')
    .filter((b) => b.spec.period.from <= today && today <= b.spec.period.to)
    .sort((a, b) => b.spec.period.from.localeCompare(a.spec.period.from));
  const a = covering[0] && budgetAlignment(f, t, covering[0].name);
  if (!a) return area('budget', 'fail', [{ label: 'budgets covering today', value: 0 }]);
  const missing = a.categories.filter((c) => c.allocated === 0).map((c) => c.category);
  const off = a.categories.filter((c) => c.offPlan).map((c) => c.category);
  const stalled = a.spendOnStalledPilots.map((s) => s.initiative);
  const status: Status =
    missing.length === 0 && off.length === 0 && a.spendWithoutOutcomes.share <= t.maxUnmeasuredSpendShare && stalled.length === 0
      ? 'pass'
      : 'partial';
  const money = (v: number | null) => (v === null ? 'out of range' : `${a.currency} ${formatAmount(v, 'whole')}`);
  return area('budget', status, [
    { label: 'budget', value: `${a.budget} (${a.period.from} … ${a.period.to}, ${pct(a.elapsed)} elapsed)` },
    { label: 'categories not allocated', value: list(missing) },
    ...a.categories.map((c) => ({
      label: `${c.category}: actual vs pro-rated allocation`,
      value: `${money(c.actual)} vs ${money(c.proRated)}`,
    })),
    // A budget in another currency takes no telemetry (priced in USD, never converted): said, so that
    // its model licences do not read as nothing spent (found by review: EUR 0, off plan by -100 %).
    ...(a.telemetryNotIncludedUsd
      ? [
          {
            label: 'model calls measured in USD, not in these actuals (no currency is converted)',
            value: formatMoney(a.telemetryNotIncludedUsd, 'USD'),
          },
        ]
      : []),
    ...(a.unpricedModelCalls > 0
      ? [{ label: 'model calls without a price, not in these actuals (GET /v1/signals lists them)', value: a.unpricedModelCalls }]
      : []),
    { label: `categories off by more than ${pct(t.budgetTolerance)}`, value: list(off) },
    {
      label: 'spend on initiatives without quantified outcomes',
      value: `${money(a.spendWithoutOutcomes.total)} (${pct(a.spendWithoutOutcomes.share)})`,
    },
    { label: `spend on pilots older than ${t.stalledPilotDays} days`, value: list(stalled) },
  ]);
}

/**
 * Whether each sign-off role but the owner's can go to a different person, none of them the owner
 * (an admin can take any role): a matching of roles to people, found by augmenting paths (a tier
 * needs at most five roles besides the owner's).
 */
function distinctSigners(roles: readonly string[], people: ReadonlyArray<Desired<'Person'>>, owner: string): boolean {
  const needed = roles.filter((r) => r !== 'owner');
  const candidates = needed.map((role) =>
    people
      .filter(
        (p) => p.name !== owner && ((p.spec.roles as string[]).includes(role) || (p.spec.roles as string[]).includes('admin')),
      )
      .map((p) => p.name),
  );
  const holderOf = new Map<string, number>(); // person → the role (index) they sign
  const assign = (role: number, seen: Set<string>): boolean => {
    for (const person of candidates[role] ?? []) {
      if (seen.has(person)) continue;
      seen.add(person);
      const other = holderOf.get(person);
      if (other === undefined || assign(other, seen)) {
        holderOf.set(person, role);
        return true;
      }
    }
    return false;
  };
  return needed.every((_, role) => assign(role, new Set()));
}
