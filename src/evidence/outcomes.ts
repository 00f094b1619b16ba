// Outcome metrics of an initiative, measured from the daily rollups of its agents (never from raw
// events) or, for `manual` metrics, from self-reported measurements. Current value: the last 30
// days; series: calendar months.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { RegistrySnapshot } from '../registry/model.js';
import { durationUnitMs, foreignCurrencyOf, type InitiativeSpec } from '../registry/schemas.js';
import { loadMembership, type Membership } from './membership.js';

type Metric = InitiativeSpec['outcomes'][number];

export interface Totals {
  resolved: number;
  escalated: number;
  failed: number;
  abandoned: number;
  handleMs: number;
  handled: number;
  cost: number;
  /** Model calls without a price (their cost is in no `cost`). */
  unpriced: number;
}

export interface MetricReport {
  name: string;
  source: Metric['source'];
  unit: string;
  direction: 'increase' | 'decrease';
  baseline: { value: number; period: string };
  target: number;
  current: number | null;
  provenance: 'measured' | 'self-reported' | 'none';
  /** (current − baseline) / (target − baseline): 0 at baseline, 1 at target. */
  progress: number | null;
  series: Array<{ period: string; value: number }>;
  /** Money per unit of improvement: an assumption the initiative states, not a measurement. */
  valuePerUnit?: { value: number; assumption: true };
  note?: string;
}

export interface OutcomeReport {
  initiative: string;
  window: { from: string; to: string };
  agents: string[];
  metrics: MetricReport[];
}

const DAY = 86_400_000;

/**
 * Each measured metric's current value as measured, before rounding for display: ROI and progress are
 * taken over it (found by review: 1 of 3 resolved against a baseline of 0.4 at 1,000,000 a unit was
 * valued from 0.3333, −66,700 instead of −66,666.67, and 0.59996 rounded to 0.6 read "target met").
 * Kept beside the report, not in it: the API answers the report as its schema describes it.
 */
const exactValues = new WeakMap<MetricReport, number>();

/** `m`'s current value as measured (its `current` unrounded), or null when it has none. */
export function exactCurrent(m: MetricReport): number | null {
  return m.current === null ? null : (exactValues.get(m) ?? m.current);
}

/** A telemetry formula over totals, or null when there is nothing to measure. */
export function formula(m: Metric, t: Totals, baselineHandleMs: number | null): number | null {
  const completed = t.resolved + t.escalated + t.failed + t.abandoned;
  switch (m.source) {
    case 'resolution_rate':
      return completed ? t.resolved / completed : null;
    case 'escalation_rate':
      return completed ? t.escalated / completed : null;
    case 'error_rate':
      return completed ? t.failed / completed : null;
    case 'cost_per_resolved_task':
      // A call without a price is a cost unknown, not a cost of 0: the quotient is not measured. Nor is
      // it against a baseline in another currency (apply refuses one; a descriptor stored before did not).
      return t.resolved && !t.unpriced && foreignCurrencyOf(m.unit) === undefined ? t.cost / t.resolved : null;
    case 'avg_handle_time': {
      // A unit Fulcrum does not read (apply refuses it; a descriptor stored before it did) is left
      // unmeasured, never guessed.
      const ms = durationUnitMs(m.unit);
      return t.handled && ms !== null ? t.handleMs / t.handled / ms : null;
    }
    case 'time_saved_hours': {
      // In the metric's own unit of time when it names one, as avg_handle_time (hours read as minutes
      // were 60 times too few); else in hours, as the source says ("hours saved" stays what it was).
      const ms = durationUnitMs(m.unit) ?? 3_600_000;
      return baselineHandleMs !== null && t.handled && t.resolved
        ? ((baselineHandleMs - t.handleMs / t.handled) * t.resolved) / ms
        : null;
    }
    default:
      return null;
  }
}

export async function computeOutcomes(
  db: Kysely<Database>,
  registry: RegistrySnapshot,
  initiative: string,
  asOf: Date,
  /** The agents' membership history, when the caller has loaded it already (one per request). */
  known?: Membership,
): Promise<OutcomeReport> {
  const spec = registry.get('Initiative', initiative)?.spec as InitiativeSpec;
  const agents = registry
    .list('Agent')
    .filter((a) => a.spec.initiative === initiative)
    .map((a) => a.name);
  const to = asOf.toISOString().slice(0, 10);
  const from = new Date(asOf.getTime() - 29 * DAY).toISOString().slice(0, 10);
  const since = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - 11, 1)).toISOString().slice(0, 10);
  // Each agent's days while it worked for the initiative: those of an agent that has left it stay
  // here, and those of an agent that joined from another are that one's until the day of its move.
  const membership = known ?? (await loadMembership(db, registry));
  const members = membership.agentsOf(initiative);
  const rows =
    members.length === 0
      ? []
      : await db
          .selectFrom('evidence_daily')
          .select((eb) => [
            'day',
            'agent',
            eb.fn.sum<number>('tasks_resolved').as('resolved'),
            eb.fn.sum<number>('tasks_escalated').as('escalated'),
            eb.fn.sum<number>('tasks_failed').as('failed'),
            eb.fn.sum<number>('tasks_abandoned').as('abandoned'),
            eb.fn.sum<number>('handle_ms').as('handleMs'),
            eb.fn.sum<number>('handled').as('handled'),
            eb.fn.sum<number>(eb('cost_measured_usd', '+', eb.ref('cost_reported_usd'))).as('cost'),
            eb.fn.sum<number>('unpriced_calls').as('unpriced'),
          ])
          .where('agent', 'in', members)
          .where('day', '>=', since)
          .where('day', '<=', to)
          .groupBy(['day', 'agent'])
          .execute();
  const days = rows.filter((r) => membership.initiativeOn(r.agent, r.day) === initiative);
  const sum = (rows: typeof days): Totals => {
    const t: Totals = { resolved: 0, escalated: 0, failed: 0, abandoned: 0, handleMs: 0, handled: 0, cost: 0, unpriced: 0 };
    for (const r of rows) for (const k of Object.keys(t) as Array<keyof Totals>) t[k] += Number(r[k] ?? 0);
    return t;
  };
  const window = sum(days.filter((d) => d.day >= from));
  const months = [...new Set(days.map((d) => d.day.slice(0, 7)))].sort();
  const monthly = months.map((p) => ({ period: p, totals: sum(days.filter((d) => d.day.startsWith(p))) }));
  const handleMetric = spec.outcomes.find((o) => o.source === 'avg_handle_time');
  const handleUnitMs = handleMetric ? durationUnitMs(handleMetric.unit) : null;
  const baselineHandleMs = handleMetric && handleUnitMs !== null ? handleMetric.baseline.value * handleUnitMs : null;

  const manual = await db
    .selectFrom('measurements')
    .selectAll()
    .where('initiative', '=', initiative)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();

  const metrics = spec.outcomes.map((m): MetricReport => {
    const base = {
      name: m.name,
      source: m.source,
      unit: m.unit,
      direction: m.direction,
      baseline: m.baseline,
      target: m.target,
      ...(m.valuePerUnit !== undefined ? { valuePerUnit: { value: m.valuePerUnit, assumption: true as const } } : {}),
    };
    if (m.source === 'manual') {
      const latestPerPeriod = new Map<string, number>();
      for (const r of manual.filter((x) => x.metric === m.name)) latestPerPeriod.set(r.period, r.value);
      const series = [...latestPerPeriod]
        .map(([period, value]) => ({ period, value }))
        .sort((a, b) => a.period.localeCompare(b.period));
      const last = manual.filter((x) => x.metric === m.name).at(-1);
      // The current value is one recorded in the window (the last 30 days), as the diagnostic counts
      // it: a value reported long ago says nothing about now.
      const fresh = last !== undefined && last.recorded_at.slice(0, 10) >= from;
      const current = fresh ? last.value : null;
      return {
        ...base,
        current,
        provenance: fresh ? 'self-reported' : 'none',
        progress: progress(m, current),
        series,
        ...(last && !fresh
          ? { note: `last reported on ${last.recorded_at.slice(0, 10)}, before the last 30 days: record a current value` }
          : {}),
      };
    }
    const series = monthly
      .map(({ period, totals }) => ({ period, value: formula(m, totals, baselineHandleMs) }))
      .filter((p): p is { period: string; value: number } => p.value !== null)
      .map((p) => ({ period: p.period, value: round(p.value) }));
    const measured = formula(m, window, baselineHandleMs);
    const current = measured === null ? null : round(measured);
    const note =
      m.source === 'avg_handle_time' && durationUnitMs(m.unit) === null
        ? `unit "${m.unit}" is not a unit of time Fulcrum reads: re-apply the initiative with one it does (docs/evidence.md)`
        : m.source === 'time_saved_hours' && baselineHandleMs === null
          ? 'needs an avg_handle_time metric with a baseline on the same initiative'
          : m.source === 'cost_per_resolved_task' && foreignCurrencyOf(m.unit) !== undefined
            ? `unit "${m.unit}" is in ${foreignCurrencyOf(m.unit)}, and costs are measured in USD: re-apply the initiative with USD (docs/evidence.md)`
            : m.source === 'cost_per_resolved_task' && window.unpriced > 0
              ? `${window.unpriced} model call${window.unpriced === 1 ? '' : 's'} in the last 30 days ha${window.unpriced === 1 ? 's' : 've'} no price, so the cost is not known (GET /v1/signals lists them)`
              : undefined;
    const report: MetricReport = {
      ...base,
      current,
      provenance: current === null ? 'none' : 'measured',
      progress: progress(m, measured),
      series,
      ...(note ? { note } : {}),
    };
    if (measured !== null) exactValues.set(report, measured);
    return report;
  });
  return { initiative, window: { from, to }, agents, metrics };
}

function progress(m: Metric, current: number | null): number | null {
  if (current === null || m.target === m.baseline.value) return null;
  const exact = (current - m.baseline.value) / (m.target - m.baseline.value);
  // Short of the target reads short of it, however little: rounded, 0.99996 was 1, "target met".
  const shown = round(exact);
  return exact < 1 && shown >= 1 ? 0.9999 : shown;
}

/**
 * Four decimal places; a value those would read as 0 keeps four significant digits (found by review:
 * a cost per resolved task of $0.00004 was answered as 0, a task that cost nothing).
 */
function round(v: number): number {
  return v !== 0 && Math.abs(v) < 0.00005 ? Number(v.toPrecision(4)) : Math.round(v * 10_000) / 10_000;
}
