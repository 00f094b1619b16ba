// The plan's roadmap: each initiative to scale (or fix, then scale) placed in the first of the next
// four calendar quarters where its extra cost at scale fits the budget's headroom and its extra
// compute fits a pool in a region its data may live in; what does not fit waits, with the shortfall.
// Stopped initiatives retire in the first quarter and free their run rate.
import type { Desired, RegistrySnapshot } from '../registry/model.js';
import { BUDGET_CATEGORIES } from '../registry/schemas.js';
import type { BudgetAlignment } from './diagnostic.js';
import { type InitiativePlan, initiativeSpend, type PlanFacts, type PlanThresholds } from './plan.js';

type Provenance = 'measured' | 'self-reported' | 'assumed';
type Category = (typeof BUDGET_CATEGORIES)[number];
type PerCategory = Partial<Record<Category, number>>;

export interface Quarter {
  label: string;
  from: string;
  to: string;
  days: number;
}

export interface ComputeNeed {
  /** none: no self-hosted model; fits / short: checked against the best pool; unknown: cannot be checked (why in detail). */
  status: 'none' | 'fits' | 'short' | 'unknown';
  detail: string;
  pool?: string;
  unit?: string;
  /** Extra demand at scale over today's, in the pool's unit. */
  extra?: number;
  /** The pools in regions its models run in and its data may live in. */
  eligible: string[];
}

export interface ScaleCase {
  initiative: string;
  tasksNow: number;
  volume: {
    now: number;
    atScale: number | null;
    basis: 'forecast' | 'trend' | 'current' | 'none';
    provenance: Provenance;
    detail: string;
  };
  factor: number | null;
  value: { annualUsd: number | null; provenance: 'assumed'; why?: string };
  cost: { annualUsd: number | null; provenance: Provenance; why?: string };
  netValueUsd: number | null;
  /** Extra spend a day at scale, per budget category (per-task costs × (factor − 1)). */
  extraPerDay: PerCategory;
  /** Spend a day now, per category (what stopping frees). */
  runRatePerDay: PerCategory;
  compute: ComputeNeed;
}

export interface Shortfall {
  kind: 'budget' | 'compute';
  /** A budget category, or a compute pool. */
  what: string;
  quarter: string;
  needed: number;
  available: number;
  missing: number;
  unit: string;
}

export interface RoadmapEntry {
  initiative: string;
  action: 'scale' | 'retire';
  recommendation: InitiativePlan['recommendation'];
  /** The quarter it starts in, or null: it waits (see `shortfalls`). */
  quarter: string | null;
  status: 'scheduled' | 'waits';
  volume: ScaleCase['volume'];
  value: ScaleCase['value'];
  cost: ScaleCase['cost'];
  netValueUsd: number | null;
  compute: ComputeNeed;
  /** Per quarter and category: extra spend (scale) or freed spend (retire), USD. */
  spendPerQuarter: PerCategory;
  shortfalls: Shortfall[];
  notes: string[];
}

export interface Roadmap {
  quarters: Array<Quarter & { budget: string | null; budgetProvenance: 'declared' | 'assumed' | 'none' }>;
  entries: RoadmapEntry[];
  assumptions: string[];
}

const DAY = 86_400_000;
const WINDOW_DAYS = 30;
const r2 = (v: number) => Math.round(v * 100) / 100;
const weakest = (ps: Provenance[]): Provenance =>
  ps.includes('assumed') ? 'assumed' : ps.includes('self-reported') ? 'self-reported' : 'measured';
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The four calendar quarters after the one `now` is in. */
export function nextQuarters(now: Date): Quarter[] {
  const q0 = Math.floor(now.getUTCMonth() / 3);
  return [1, 2, 3, 4].map((k) => {
    const start = Date.UTC(now.getUTCFullYear(), (q0 + k) * 3, 1);
    const end = Date.UTC(now.getUTCFullYear(), (q0 + k + 1) * 3, 1) - DAY;
    const d = new Date(start);
    return {
      label: `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`,
      from: iso(start),
      to: iso(end),
      days: Math.round((end - start) / DAY) + 1,
    };
  });
}

/** Data domains an initiative's agents touch: their archetype's and their extra tools'. */
export function domainsOf(r: RegistrySnapshot, initiative: string): string[] {
  const domains = new Set<string>();
  for (const a of r.list('Agent').filter((x) => x.spec.initiative === initiative && x.spec.status !== 'retired')) {
    for (const d of (a.spec.archetype && r.get('Archetype', a.spec.archetype)?.spec.dataDomains) || []) domains.add(d);
    for (const tool of a.spec.extraTools) for (const d of r.get('Tool', tool)?.spec.dataDomains ?? []) domains.add(d);
  }
  return [...domains].sort();
}

const categoryOf = (f: PlanFacts, model: string): Category =>
  f.registry.get('Model', model)?.spec.hosting === 'self-hosted' ? 'infrastructure-compute' : 'model-licences';

/** Volume, value, cost and compute at scale for every active initiative. */
export function scaleCases(f: PlanFacts, t: PlanThresholds, active: Desired<'Initiative'>[]): Map<string, ScaleCase> {
  const r = f.registry;
  const quarters = nextQuarters(f.now);
  const horizonEnd = Date.parse(quarters[3]?.to ?? f.window.to);
  const today = Date.parse(f.window.to);
  const out = new Map<string, ScaleCase>();
  for (const i of active) {
    // Daily tasks over the trend period, days without a row counted as zero from the first day with
    // tasks: those of the days its agents worked for it (an agent's from before it moved here are not).
    const perDay = new Map<string, number>();
    for (const d of f.dailyTasks) if (d.initiative === i.name) perDay.set(d.day, (perDay.get(d.day) ?? 0) + d.tasks);
    const tasksNow = [...perDay].filter(([day]) => day >= f.window.from).reduce((s, [, n]) => s + n, 0);
    const active = [...perDay]
      .filter(([, n]) => n > 0)
      .map(([day]) => day)
      .sort();
    let volume: ScaleCase['volume'];
    const forecast = i.spec.forecast?.tasksPerMonth;
    if (forecast !== undefined)
      volume = {
        now: tasksNow,
        atScale: forecast,
        basis: 'forecast',
        provenance: 'self-reported',
        detail: `declared forecast: ${forecast} tasks a month`,
      };
    else if (active.length >= t.minTrendDays) {
      const first = Date.parse(active[0] as string);
      const xs: number[] = [];
      const ys: number[] = [];
      for (let day = first; day <= today; day += DAY) {
        xs.push((day - today) / DAY);
        ys.push(perDay.get(iso(day)) ?? 0);
      }
      const { slope, intercept } = linearFit(xs, ys);
      const ahead = (horizonEnd - today) / DAY;
      const atScale = Math.max(0, intercept + slope * ahead) * WINDOW_DAYS;
      volume = {
        now: tasksNow,
        atScale: Math.round(atScale),
        basis: 'trend',
        provenance: 'measured',
        detail: `linear trend of ${xs.length} days (${slope >= 0 ? '+' : ''}${slope.toFixed(2)} tasks/day each day) projected to ${quarters[3]?.to}`,
      };
    } else if (tasksNow > 0)
      volume = {
        now: tasksNow,
        atScale: tasksNow,
        basis: 'current',
        provenance: 'measured',
        detail: `current volume held: ${active.length} days with tasks in the last ${t.trendDays} (a trend needs ${t.minTrendDays})`,
      };
    else
      volume = { now: 0, atScale: null, basis: 'none', provenance: 'measured', detail: 'no tasks in the window and no forecast' };
    const factor = volume.atScale !== null && tasksNow > 0 ? volume.atScale / tasksNow : null;

    // Per-task (variable) costs by category from telemetry; spend lines (fixed) held at their level.
    const variable: PerCategory = {};
    let measured = 0;
    let reported = 0;
    for (const c of f.windowCost) {
      if (c.initiative !== i.name) continue;
      const cat = categoryOf(f, c.model);
      variable[cat] = (variable[cat] ?? 0) + c.measured + c.reported;
      measured += c.measured;
      reported += c.reported;
    }
    const fixed: PerCategory = {};
    for (const b of r.list('Budget').filter((x) => x.spec.currency === 'USD'))
      for (const l of f.spendLines(b.name))
        if (l.initiative === i.name && l.date >= f.window.from && l.date <= f.window.to)
          fixed[l.category as Category] = (fixed[l.category as Category] ?? 0) + l.amount;
    const sum = (x: PerCategory) => Object.values(x).reduce((s, v) => s + (v ?? 0), 0);
    const roi = f.roi.get(i.name);
    const perYear = 365 / WINDOW_DAYS;
    const valued = roi && roi.value.items.length > 0;
    const value: ScaleCase['value'] =
      factor === null
        ? { annualUsd: null, provenance: 'assumed', why: volume.detail }
        : valued
          ? { annualUsd: r2((roi?.value.total ?? 0) * factor * perYear), provenance: 'assumed' }
          : {
              annualUsd: null,
              provenance: 'assumed',
              why: 'no outcome metric can be valued (no valuePerUnit, or no current value)',
            };
    const costProvenance = weakest([
      ...(measured > 0 ? (['measured'] as const) : []),
      ...(reported > 0 || sum(fixed) > 0 ? (['self-reported'] as const) : []),
      volume.provenance,
    ]);
    const cost: ScaleCase['cost'] =
      factor === null
        ? { annualUsd: null, provenance: costProvenance, why: volume.detail }
        : { annualUsd: r2((sum(variable) * factor + sum(fixed)) * perYear), provenance: costProvenance };
    const extraPerDay: PerCategory = {};
    const runRatePerDay: PerCategory = {};
    for (const c of BUDGET_CATEGORIES) {
      if (factor !== null && variable[c]) extraPerDay[c] = ((variable[c] ?? 0) * (factor - 1)) / WINDOW_DAYS;
      const now = (variable[c] ?? 0) + (fixed[c] ?? 0);
      if (now) runRatePerDay[c] = now / WINDOW_DAYS;
    }
    out.set(i.name, {
      initiative: i.name,
      tasksNow,
      volume,
      factor: factor === null ? null : Math.round(factor * 1000) / 1000,
      value,
      cost,
      // A cost that leaves something out (a call without a price) is a lower bound, so value minus it
      // is no net value: unmeasured, as the ROI is (found by review: it was reported, and ranked, as
      // value minus the part of the cost that is known).
      netValueUsd:
        value.annualUsd !== null && cost.annualUsd !== null && (roi?.cost.incomplete.length ?? 0) === 0
          ? r2(value.annualUsd - cost.annualUsd)
          : null,
      extraPerDay,
      runRatePerDay,
      compute: computeNeed(f, i, tasksNow, volume.atScale),
    });
  }
  return out;
}

function linearFit(xs: number[], ys: number[]): { slope: number; intercept: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let k = 0; k < n; k++) {
    sxy += ((xs[k] as number) - mx) * ((ys[k] as number) - my);
    sxx += ((xs[k] as number) - mx) ** 2;
  }
  const slope = sxx ? sxy / sxx : 0;
  return { slope, intercept: my - slope * mx };
}

/** Free capacity of a pool: capacity − forecast demand (null when the pool declares no forecast). */
const freeOf = (p: Desired<'ComputePool'>) =>
  p.spec.forecastDemand === undefined ? null : p.spec.capacity - p.spec.forecastDemand;

function computeNeed(f: PlanFacts, i: Desired<'Initiative'>, tasksNow: number, atScale: number | null): ComputeNeed {
  const r = f.registry;
  const selfHosted = [
    ...new Set(
      f.windowCost
        .filter((c) => c.initiative === i.name && c.calls > 0 && r.get('Model', c.model)?.spec.hosting === 'self-hosted')
        .map((c) => c.model),
    ),
  ].sort();
  if (selfHosted.length === 0)
    return { status: 'none', detail: 'no self-hosted model in use: no compute pool needed', eligible: [] };
  // Regions its self-hosted models run in, narrowed to where every data domain it touches may live.
  let regions = new Set(r.get('Model', selfHosted[0] as string)?.spec.regions ?? []);
  for (const m of selfHosted.slice(1)) regions = new Set((r.get('Model', m)?.spec.regions ?? []).filter((x) => regions.has(x)));
  const residency: string[] = [];
  for (const d of domainsOf(r, i.name)) {
    const allowed = r.get('DataDomain', d)?.spec.regions ?? [];
    if (allowed.length === 0) continue;
    regions = new Set([...regions].filter((x) => allowed.includes(x)));
    residency.push(`${d}: ${allowed.join(', ')}`);
  }
  const eligible = r
    .list('ComputePool')
    .filter((p) => regions.has(p.spec.region))
    .map((p) => p.name)
    .sort();
  const where = `${selfHosted.join(', ')} in ${[...regions].join(', ') || 'no common region'}${residency.length ? ` (data residency ${residency.join('; ')})` : ''}`;
  if (eligible.length === 0) return { status: 'short', detail: `no compute pool in a region it may use: ${where}`, eligible };
  const perTask = i.spec.forecast?.computePerTask;
  if (perTask === undefined)
    return {
      status: 'unknown',
      detail: `runs ${where}; compute per task is not declared (Initiative spec.forecast.computePerTask), so its demand at scale is unmeasured`,
      eligible,
    };
  if (atScale === null) return { status: 'unknown', detail: 'volume at scale is unmeasured', eligible };
  const extra = (atScale - tasksNow) * perTask;
  const best = r
    .list('ComputePool')
    .filter((p) => eligible.includes(p.name))
    .sort(
      (a, b) => (freeOf(b) ?? Number.NEGATIVE_INFINITY) - (freeOf(a) ?? Number.NEGATIVE_INFINITY),
    )[0] as Desired<'ComputePool'>;
  const free = freeOf(best);
  if (free === null)
    return {
      status: 'unknown',
      detail: `${best.name} declares no forecastDemand, so its free capacity is unknown`,
      eligible,
      pool: best.name,
      unit: best.spec.unit,
      extra: r2(extra),
    };
  const fits = extra <= Math.max(0, free) || extra <= 0;
  return {
    status: fits ? 'fits' : 'short',
    detail: fits
      ? `${r2(extra)} ${best.spec.unit} more at scale fits ${best.name} (${r2(free)} free)`
      : `${r2(extra)} ${best.spec.unit} more at scale does not fit ${best.name}, the eligible pool with the most room (${r2(free)} free): ${r2(extra - free)} missing`,
    pool: best.name,
    unit: best.spec.unit,
    extra: r2(extra),
    eligible,
  };
}

/** Places the initiatives to scale into quarters, within budget headroom and pool capacity. */
export function roadmap(
  f: PlanFacts,
  initiatives: InitiativePlan[],
  cases: Map<string, ScaleCase>,
  alignment: BudgetAlignment | undefined,
  t: PlanThresholds,
): Roadmap {
  const r = f.registry;
  const quarters = nextQuarters(f.now);
  const latest = r.list('Budget').sort((a, b) => b.spec.period.to.localeCompare(a.spec.period.to))[0];
  // Each quarter's allocation per category: the budget covering it, else the latest one carried forward.
  const qs = quarters.map((q) => {
    const declared = r
      .list('Budget')
      .filter((b) => b.spec.period.from <= q.from && q.from <= b.spec.period.to)
      .sort((a, b) => b.spec.period.from.localeCompare(a.spec.period.from))[0];
    const b = declared ?? latest;
    const allocation: PerCategory = {};
    if (b) {
      const days = (Date.parse(b.spec.period.to) - Date.parse(b.spec.period.from)) / DAY + 1;
      for (const a of b.spec.allocations) allocation[a.category] = (allocation[a.category] ?? 0) + (a.amount * q.days) / days;
    }
    return {
      ...q,
      budget: b?.name ?? null,
      budgetProvenance: declared ? ('declared' as const) : b ? ('assumed' as const) : ('none' as const),
      currency: b?.spec.currency,
      allocation,
    };
  });
  // Today's run rate per category (the covering budget's actual spend to date ÷ elapsed days).
  const elapsedDays = alignment ? (Date.parse(f.window.to) - Date.parse(alignment.period.from)) / DAY + 1 : 0;
  const runRate: PerCategory = {};
  for (const c of alignment?.categories ?? [])
    runRate[c.category as Category] = elapsedDays > 0 && c.actual !== null ? c.actual / elapsedDays : 0;
  // The run rate is in the covering budget's currency and the extra cost in USD: a run rate in yen
  // taken from a USD allocation made growth wait for "dollars" it never needed (found by review).
  const budgetKnown =
    alignment !== undefined && alignment.currency === 'USD' && qs.every((q) => q.budget !== null && q.currency === 'USD');
  const headroom = qs.map((q) =>
    Object.fromEntries(BUDGET_CATEGORIES.map((c) => [c, (q.allocation[c] ?? 0) - (runRate[c] ?? 0) * q.days])),
  ) as Array<Record<Category, number>>;
  const poolFree = new Map(r.list('ComputePool').map((p) => [p.name, freeOf(p)]));
  const entries: RoadmapEntry[] = [];

  // Stops first: they free their run rate from the first quarter, on the basis the headroom took it
  // away: no more than their own share of today's run rate (their spend in the budget to date ÷ the
  // days elapsed). Found by review: a lump-sum invoice booked to a stopped initiative weighed ~100 a day
  // in the run rate but "freed" its last 30 days (1,000 a day), and growth was scheduled at five times
  // a quarter's allocation.
  const ownShare = (initiative: string, cat: Category) =>
    alignment && elapsedDays > 0 ? initiativeSpend(f, alignment.budget, initiative, cat) / elapsedDays : 0;
  for (const i of initiatives.filter((x) => x.recommendation === 'stop')) {
    const c = cases.get(i.name) as ScaleCase;
    const freed: PerCategory = {};
    for (const [cat, recent] of Object.entries(c.runRatePerDay) as Array<[Category, number]>) {
      const perDay = Math.min(recent, ownShare(i.name, cat));
      if (perDay <= 0) continue;
      freed[cat] = r2(perDay * (quarters[0]?.days ?? 91));
      qs.forEach((q, k) => {
        (headroom[k] as Record<Category, number>)[cat] += perDay * q.days;
      });
    }
    entries.push({
      initiative: i.name,
      action: 'retire',
      recommendation: i.recommendation,
      quarter: quarters[0]?.label ?? null,
      status: 'scheduled',
      volume: c.volume,
      value: c.value,
      cost: c.cost,
      netValueUsd: c.netValueUsd,
      compute: c.compute,
      spendPerQuarter: freed,
      shortfalls: [],
      notes: [
        `retiring frees its share of today's run rate (its last 30 days, at most its spend in the budget to date per day elapsed) from ${quarters[0]?.label}`,
      ],
    });
  }

  const readiness = { scale: 0, 'fix-then-scale': 1 } as Record<string, number>;
  const toScale = initiatives
    .filter((i) => i.recommendation === 'scale' || i.recommendation === 'fix-then-scale')
    .sort(
      (a, b) =>
        (readiness[a.recommendation] ?? 2) - (readiness[b.recommendation] ?? 2) ||
        (cases.get(b.name)?.netValueUsd ?? Number.NEGATIVE_INFINITY) -
          (cases.get(a.name)?.netValueUsd ?? Number.NEGATIVE_INFINITY) ||
        a.name.localeCompare(b.name),
    );
  for (const i of toScale) {
    const c = cases.get(i.name) as ScaleCase;
    const earliest = i.recommendation === 'scale' ? 0 : 1;
    const notes: string[] = [];
    if (!budgetKnown)
      notes.push(
        !alignment
          ? 'budget not checked: no Budget covers today, so there is no run rate to plan from'
          : alignment.currency !== 'USD'
            ? `budget not checked: today's run rate is in ${alignment.currency} (${alignment.budget}), and Fulcrum converts no currency`
            : 'budget not checked: a quarter has no USD budget to compare with',
      );
    if (c.compute.status === 'unknown') notes.push(`compute not checked: ${c.compute.detail}`);
    if (c.factor === null) notes.push(`cost at scale unmeasured: ${c.volume.detail}`);
    const gaps = f.roi.get(i.name)?.cost.incomplete ?? [];
    if (gaps.length > 0) notes.push(`cost at scale is a lower bound: ${gaps.join('; ')}`);
    const extras = Object.entries(c.extraPerDay).filter(([, v]) => (v ?? 0) > 0) as Array<[Category, number]>;
    const pool = c.compute.pool;
    const extraCompute = c.compute.status === 'fits' || c.compute.status === 'short' ? (c.compute.extra ?? 0) : 0;
    let placed: number | null = null;
    let shortfalls: Shortfall[] = [];
    for (let k = earliest; k < qs.length && placed === null; k++) {
      const missing: Shortfall[] = [];
      if (budgetKnown)
        for (const [cat, perDay] of extras)
          for (let m = k; m < qs.length; m++) {
            const q = qs[m] as (typeof qs)[number];
            const needed = perDay * q.days;
            const available = (headroom[m] as Record<Category, number>)[cat];
            if (needed > available) {
              missing.push({
                kind: 'budget',
                what: cat,
                quarter: q.label,
                needed: r2(needed),
                available: r2(available),
                missing: r2(needed - Math.max(0, available)),
                unit: 'USD',
              });
              break;
            }
          }
      if (c.compute.status === 'short' && !pool)
        missing.push({
          kind: 'compute',
          what: 'no eligible pool',
          quarter: qs[k]?.label ?? '',
          needed: extraCompute,
          available: 0,
          missing: extraCompute,
          unit: c.compute.unit ?? '',
        });
      else if (pool && extraCompute > 0) {
        const free = poolFree.get(pool);
        if (free !== null && free !== undefined && extraCompute > free)
          missing.push({
            kind: 'compute',
            what: pool,
            quarter: qs[k]?.label ?? '',
            needed: extraCompute,
            available: r2(free),
            missing: r2(extraCompute - Math.max(0, free)),
            unit: c.compute.unit ?? '',
          });
      }
      if (missing.length === 0) placed = k;
      else if (k === earliest) shortfalls = missing;
    }
    if (placed !== null) {
      for (const [cat, perDay] of extras)
        for (let m = placed; m < qs.length; m++) (headroom[m] as Record<Category, number>)[cat] -= perDay * (qs[m]?.days ?? 0);
      if (pool && extraCompute > 0 && poolFree.get(pool) != null)
        poolFree.set(pool, (poolFree.get(pool) as number) - extraCompute);
      if (placed > earliest) notes.push(`does not fit before ${qs[placed]?.label}: ${describe(shortfalls)}`);
    }
    entries.push({
      initiative: i.name,
      action: 'scale',
      recommendation: i.recommendation,
      quarter: placed === null ? null : (qs[placed]?.label ?? null),
      status: placed === null ? 'waits' : 'scheduled',
      volume: c.volume,
      value: c.value,
      cost: c.cost,
      netValueUsd: c.netValueUsd,
      compute: c.compute,
      spendPerQuarter: Object.fromEntries(extras.map(([cat, perDay]) => [cat, r2(perDay * (quarters[0]?.days ?? 91))])),
      shortfalls: placed === null ? shortfalls : [],
      notes,
    });
  }
  return {
    quarters: qs.map(({ allocation: _a, currency: _c, ...q }) => q),
    entries,
    assumptions: [
      `Volume at scale: the initiative's declared forecast (spec.forecast.tasksPerMonth) where given, else the linear trend of its daily tasks over the last ${t.trendDays} days (at least ${t.minTrendDays} with tasks) projected to ${quarters[3]?.to}, else its current volume.`,
      'Value and per-task costs (telemetry, agent-reported) grow in proportion to volume; spend lines stay at their last-30-days level.',
      'A fix-then-scale initiative needs one quarter to clear its blockers before it scales.',
      "Budget headroom per quarter: the allocation of the budget covering it (or the latest budget's, carried forward: assumed), pro-rated, minus today's run rate (the covering budget's actual spend to date ÷ elapsed days).",
      'Stopped initiatives retire in the first quarter and free their run rate; compute capacity stays as declared (capacity − forecastDemand per pool).',
    ],
  };
}

function describe(s: Shortfall[]): string {
  return s.map((x) => `${x.what} short by ${x.missing} ${x.unit} in ${x.quarter}`).join('; ');
}
