// ROI of an initiative over the last 30 days: value (each outcome's improvement × its stated
// valuePerUnit) against cost (telemetry and recorded spend), every number labelled with where it
// comes from — measured, self-reported or assumed.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { loadMembership, type Membership } from '../evidence/membership.js';
import { computeOutcomes, exactCurrent, type OutcomeReport } from '../evidence/outcomes.js';
import type { RegistrySnapshot } from '../registry/model.js';
import { spendLinesOf } from './spend.js';

type Provenance = 'measured' | 'self-reported' | 'assumed';

export interface Roi {
  initiative: string;
  window: { from: string; to: string };
  value: {
    total: number;
    provenance: Provenance;
    items: Array<{
      metric: string;
      unit: string;
      improvement: number;
      improvementProvenance: string;
      valuePerUnit: number;
      value: number;
    }>;
    /** Metrics that give no value: no valuePerUnit, or no current value. */
    notValued: Array<{ metric: string; why: string }>;
  };
  cost: {
    total: number;
    items: Array<{ source: string; amountUsd: number; provenance: Provenance }>;
    /**
     * What the total leaves out, as sentences (empty when it is whole): model calls without a price,
     * spend lines in another currency than USD. A total that leaves something out is a lower bound.
     */
    incomplete: string[];
  };
  /** (value − cost) ÷ cost; null without cost, when the cost is incomplete, or when no outcome is valued. */
  roi: number | null;
  provenance: Provenance;
}

const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;
/**
 * An amount to the cent, but one under half a cent to four significant digits: to the micro-dollar,
 * as before, a cost under $0.0000005 (a few cheap tokens) was 0 and read "no cost".
 */
const money = (v: number) => (v !== 0 && Math.abs(v) < 0.005 ? Number(v.toPrecision(4)) : round(v));

export async function computeRoi(
  db: Kysely<Database>,
  registry: RegistrySnapshot,
  initiative: string,
  now = new Date(),
  /** The initiative's outcome report for `now`, when the caller has it already. */
  known?: OutcomeReport,
  /** The agents' membership history, when the caller has loaded it already (one per request). */
  knownMembership?: Membership,
): Promise<Roi> {
  const membership = knownMembership ?? (await loadMembership(db, registry));
  const outcomes = known ?? (await computeOutcomes(db, registry, initiative, now, membership));
  const { from, to } = outcomes.window;
  const items: Roi['value']['items'] = [];
  const notValued: Roi['value']['notValued'] = [];
  let exactValue = 0;
  for (const m of outcomes.metrics) {
    if (m.valuePerUnit === undefined) notValued.push({ metric: m.name, why: 'no valuePerUnit stated' });
    else if (m.current === null) notValued.push({ metric: m.name, why: 'no current value in the window' });
    else {
      // Improvement in the metric's own unit, positive when it moved the right way, from the value as
      // measured (m.current is rounded for display).
      const improvement = (m.direction === 'increase' ? 1 : -1) * ((exactCurrent(m) ?? m.current) - m.baseline.value);
      exactValue += improvement * m.valuePerUnit.value;
      items.push({
        metric: m.name,
        unit: m.unit,
        improvement: round(improvement, 4),
        improvementProvenance: m.provenance,
        valuePerUnit: m.valuePerUnit.value,
        value: money(improvement * m.valuePerUnit.value),
      });
    }
  }
  // The telemetry of the days each agent worked for the initiative (src/evidence/membership.ts): an
  // agent's cost from before it moved here is its old initiative's.
  const members = membership.agentsOf(initiative);
  const rows =
    members.length === 0
      ? []
      : await db
          .selectFrom('evidence_daily')
          .select((eb) => [
            'day',
            'agent',
            eb.fn.sum<number>('cost_measured_usd').as('measured'),
            eb.fn.sum<number>('cost_reported_usd').as('reported'),
            eb.fn.sum<number>('unpriced_calls').as('unpriced'),
          ])
          .where('agent', 'in', members)
          .where('day', '>=', from)
          .where('day', '<=', to)
          .groupBy(['day', 'agent'])
          .execute();
  const telemetry = { measured: 0, reported: 0, unpriced: 0 };
  for (const r of rows)
    if (membership.initiativeOn(r.agent, r.day) === initiative) {
      telemetry.measured += Number(r.measured ?? 0);
      telemetry.reported += Number(r.reported ?? 0);
      telemetry.unpriced += Number(r.unpriced ?? 0);
    }
  let spendLines = 0;
  // Spend lines in other currencies: Fulcrum converts none (no exchange rates), so they are named.
  const unconverted = new Map<string, number>();
  for (const b of registry.list('Budget'))
    for (const a of await spendLinesOf(db, registry, b.name))
      if (a.initiative === initiative && a.date >= from && a.date <= to) {
        if (b.spec.currency === 'USD') spendLines += a.amount;
        else unconverted.set(b.spec.currency, (unconverted.get(b.spec.currency) ?? 0) + a.amount);
      }
  const incomplete: string[] = [];
  const unpriced = telemetry.unpriced;
  if (unpriced > 0)
    incomplete.push(
      `${unpriced} model call${unpriced === 1 ? '' : 's'} in the window ha${unpriced === 1 ? 's' : 've'} no price (GET /v1/signals lists them)`,
    );
  for (const [currency, amount] of unconverted)
    incomplete.push(`${currency} ${round(amount)} of spend lines booked to the initiative, not converted to USD`);
  const costItems: Roi['cost']['items'] = [
    {
      source: 'model and tool calls (telemetry, priced at ingest)',
      amountUsd: money(telemetry.measured),
      provenance: 'measured',
    },
    {
      source: 'costs agents reported with their tasks',
      amountUsd: money(telemetry.reported),
      provenance: 'self-reported',
    },
    { source: 'spend lines booked to the initiative', amountUsd: money(spendLines), provenance: 'self-reported' },
  ];
  // Sums and the ROI over the amounts as measured, not as rounded for display: rounded to the cent,
  // a cost of $0.003 was no cost, and one of $0.006 a cost of $0.01 (ROI off by half).
  const exactCost = telemetry.measured + telemetry.reported + spendLines;
  const cost = money(exactCost);
  const value = money(exactValue);
  return {
    initiative,
    window: { from, to },
    // Value always rests on valuePerUnit, which the initiative states: an assumption.
    value: { total: value, provenance: 'assumed', items, notValued },
    cost: { total: cost, items: costItems, incomplete },
    roi: exactCost > 0 && items.length > 0 && incomplete.length === 0 ? round((exactValue - exactCost) / exactCost, 4) : null,
    provenance: 'assumed',
  };
}
