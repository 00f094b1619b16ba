// The board report: one model gathered from the same facts as the diagnostic, rendered three ways
// (Markdown, HTML, PDF). Nothing in it is typed in by hand: every number comes from the registry,
// the guard, telemetry, reviews, incidents or imported spend, with its provenance.
import { type Incident, type IncidentService, SEVERITIES, STATUSES } from '../governance/incidents.js';
import { formatMoney as money } from '../money.js';
import type { BudgetAlignment, Diagnostic } from './diagnostic.js';
import type { Roi } from './roi.js';
import type { Signals } from './signals.js';

export interface ReportMetric {
  name: string;
  unit: string;
  direction: 'increase' | 'decrease';
  baseline: number;
  target: number;
  current: number | null;
  progress: number | null;
  provenance: 'measured' | 'self-reported' | 'none';
}

export interface ReportInitiative {
  name: string;
  title: string;
  stage: string;
  riskTier: string | null;
  owner: string;
  businessUnit: string;
  metrics: ReportMetric[];
  roi: Pick<Roi, 'roi' | 'provenance'> & {
    /** null when no outcome could be valued (not 0: nothing was valued). */
    value: number | null;
    valueProvenance: string;
    cost: number;
    costIncomplete: string[];
  };
}

export interface ReportBudget {
  name: string;
  currency: string;
  period: { from: string; to: string };
  categories: BudgetAlignment['categories'];
  total: { allocated: number; proRated: number; actual: number | null };
  withoutOutcomes: Array<{ initiative: string; amount: number }>;
  stalledPilots: Array<{ initiative: string; since: string; amount: number }>;
  /** A budget in another currency: the USD telemetry cost its actuals leave out. */
  telemetryNotIncludedUsd?: number;
  /** Model calls in its period to date without a price: their cost is unknown, in no category. */
  unpricedModelCalls: number;
}

export interface ReportRisk {
  initiative: string;
  tier: string;
  stage: string;
  oversightOwner: string | null;
  incidentOwner: string | null;
}

/** A board reads counts and the few incidents that matter most, not every row (found by review: a
 *  bad quarter listed hundreds); `GET /v1/incidents` lists them all. */
export interface ReportIncidents {
  /** The most pressing open or mitigated incidents (pressing(), most first), at most `listed`. */
  open: Incident[];
  openCount: number;
  /** The most pressing incidents opened in the last 90 days, at most `listed`. */
  recent: Incident[];
  recentCount: number;
  recentBySeverity: Record<(typeof SEVERITIES)[number], number>;
  recentByStatus: Record<(typeof STATUSES)[number], number>;
  /** The incidents the report lists: the most pressing of those open or mitigated (however old) and
   *  those opened in the last 90 days, at most `listed` (an overdue serious incident opened long ago
   *  is listed, not only counted: found by review). */
  pressing: Incident[];
  /** How many incidents `pressing` is drawn from (open or mitigated, or opened in the last 90 days). */
  pressingCount: number;
  /** How many each list holds at most. */
  listed: number;
  overdue: number;
}

export const REPORT_INCIDENTS_LISTED = 10;

/**
 * Most pressing first: a serious incident whose report is overdue, then serious ones, then by severity
 * (sev1 first), then the unresolved before the resolved and closed, then the newest.
 */
export function pressing(a: Incident, b: Incident): number {
  const rank = (i: Incident) => [
    i.reporting?.overdue ? 0 : 1,
    i.seriousIncident ? 0 : 1,
    SEVERITIES.indexOf(i.severity),
    STATUSES.indexOf(i.status),
  ];
  const [x, y] = [rank(a), rank(b)];
  for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return (x[k] ?? 0) - (y[k] ?? 0);
  return b.openedAt.localeCompare(a.openedAt);
}

/** What the report reads of incidents: counts by severity and status, and the few rows it lists. */
export type IncidentReader = Pick<IncidentService, 'reportCounts' | 'mostPressing'>;

/**
 * The report's incidents: open ones and those opened since `since`, counted, the most pressing listed.
 * The database counts them and sorts them (in pressing()'s order): only the rows listed are read, so
 * neither memory nor the answer grows with the incidents (found by review: it read the 1,000 newest
 * and counted those, short past 1,000, and missed older open ones).
 */
export async function reportIncidents(
  incidents: IncidentReader,
  since: string,
  overdue: number,
  listed = REPORT_INCIDENTS_LISTED,
): Promise<ReportIncidents> {
  const counts = await incidents.reportCounts(since);
  const total = (of: (c: (typeof counts)[number]) => number, keep = (_: (typeof counts)[number]) => true) =>
    counts.filter(keep).reduce((sum, c) => sum + of(c), 0);
  const recentBy = <K extends string>(keys: readonly K[], of: (c: (typeof counts)[number]) => string) =>
    Object.fromEntries(
      keys.map((k) => [
        k,
        total(
          (c) => c.recent,
          (c) => of(c) === k,
        ),
      ]),
    ) as Record<K, number>;
  return {
    open: await incidents.mostPressing('open', since, listed),
    openCount: total(
      (c) => c.n,
      (c) => c.status === 'open' || c.status === 'mitigated',
    ),
    recent: await incidents.mostPressing('recent', since, listed),
    recentCount: total((c) => c.recent),
    pressing: await incidents.mostPressing('either', since, listed),
    pressingCount: total((c) => c.n),
    recentBySeverity: recentBy(SEVERITIES, (c) => c.severity),
    recentByStatus: recentBy(STATUSES, (c) => c.status),
    listed,
    overdue,
  };
}

/** "sev1 3, sev2 40, sev4 2" and "open 5, closed 40": the non-zero counts of the recent incidents. */
export function incidentCounts(r: ReportIncidents): { bySeverity: string; byStatus: string } {
  const line = (counts: Record<string, number>) =>
    Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  return { bySeverity: line(r.recentBySeverity), byStatus: line(r.recentByStatus) };
}

/** What the incidents table leaves out, as a sentence; empty when it lists them all. */
export function incidentsNotListed(r: ReportIncidents): string {
  const more = r.pressingCount - r.pressing.length;
  return more > 0
    ? `The ${r.pressing.length} most pressing of those open or opened in the last 90 days are listed, and ${more} more (GET /v1/incidents lists them all).`
    : '';
}

export interface BoardReport {
  title: string;
  generatedAt: string;
  window: { from: string; to: string };
  diagnostic: Diagnostic;
  initiatives: ReportInitiative[];
  budgets: ReportBudget[];
  incidents: ReportIncidents;
  risks: ReportRisk[];
  signals: Signals;
  /** Unregistered agents seen in the window (identities as the guard records them, e.g. `telemetry:NAME`). */
  shadowAgents: string[];
  /** The plan's calls as lines (report-plan.ts); absent in reports built before the plan existed. */
  plan?: string[];
}

/** Plain-language label of a verdict, for headings. */
export const VERDICT_LABEL: Record<string, string> = {
  scale: 'Scale: the portfolio is ready to scale',
  'at-risk': 'At risk: scaling, with gaps to close',
  fail: 'Fail: not ready to scale',
};

export const STATUS_LABEL: Record<string, string> = { pass: 'Pass', partial: 'Partial', fail: 'Fail', unknown: 'Unknown' };

/** A number as a reader expects it in its unit: ratios as percentages, money with a currency sign. */
export function formatValue(value: number | null, unit: string): string {
  // A value that is not a finite number (data written before the input bounds) reads as unknown.
  if (value === null || !Number.isFinite(value)) return '—';
  if (unit === 'ratio') return `${(value * 100).toFixed(1)}%`;
  // Cents, and a cost under half a cent is "< $0.01", never $0.00.
  if (unit === 'USD') return formatMoney(value);
  // Three significant figures at most, no fewer than the value has: 0.42 stays 0.42, 1234.5 is 1235.
  return `${Number.isInteger(value) ? value : Number(value.toPrecision(Math.max(3, Math.ceil(Math.log10(Math.abs(value) + 1)))))} ${unit}`;
}

/** An amount of money as the report writes it: `$` or the currency's code, 12k and 1.20M, "< $0.01" (src/money.ts). */
export const formatMoney = (value: number | null, currency = 'USD'): string => money(value, currency, { abbreviate: true });

export const formatUsd = (value: number | null): string => formatMoney(value, 'USD');

/** An initiative's value and cost in the ROI table: "not valued" when nothing was; "at least" a cost that leaves something out. */
export const roiValueLabel = (roi: ReportInitiative['roi']): string => (roi.value === null ? 'not valued' : formatUsd(roi.value));
export const roiCostLabel = (roi: ReportInitiative['roi']): string =>
  `${roi.costIncomplete.length > 0 ? 'at least ' : ''}${formatUsd(roi.cost)}`;

/** The ROI, or why there is none: a valued initiative whose cost is incomplete or nil is not "not valued". */
export function roiLabel(roi: ReportInitiative['roi']): string {
  if (roi.roi !== null && Number.isFinite(roi.roi)) return `${roi.roi >= 0 ? '+' : ''}${Math.round(roi.roi * 100)}%`;
  if (roi.value === null) return 'not valued';
  if (roi.costIncomplete.length > 0) return 'unmeasured: cost incomplete';
  return roi.cost > 0 ? 'unmeasured' : 'unmeasured: no cost recorded';
}

/** Colours shared by the HTML and PDF renderings. */
export const STATUS_COLOUR: Record<string, string> = { pass: '#1b7f4b', partial: '#b26a00', fail: '#b3261e', unknown: '#5f6368' };
export const VERDICT_COLOUR: Record<string, string> = { scale: '#1b7f4b', 'at-risk': '#b26a00', fail: '#b3261e' };

export function formatPercent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 100)}%`;
}

/** What a metric's progress says, in words. */
export function progressLabel(m: ReportMetric): string {
  if (m.current === null || m.progress === null) return 'not measured';
  if (m.progress >= 1) return `target met (${Math.round(m.progress * 100)}%)`;
  if (m.progress <= 0) return 'no better than baseline';
  // Short of the target is never printed as 100%.
  return `${Math.min(99, Math.round(m.progress * 100))}% of the way`;
}
