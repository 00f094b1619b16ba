// Costs: spend by agent, initiative, model or business unit over a period the person picks (GET
// /v1/costs), with the model calls that have no price, and why, said beside every sum they are not in:
// their cost is unknown, never 0 (docs/evidence.md, "Cost").
import { type FormEvent, useState } from 'react';
import type { GetResult } from '../../../src/client/index';
import { Table } from '../components/table';
import { Card, Empty, ErrorNote, Field, Loaded, PageHeader, Stat } from '../components/ui';
import { VisibleText, visibleString } from '../components/visible-text';
import { ok } from '../lib/api';
import { fmtDate, fmtMoney, fmtNumber } from '../lib/format';
import { useLoad } from '../lib/use-api';

type Costs = GetResult<'/v1/costs'>;
type Row = Costs['rows'][number];
type Unpriced = Row['unpriced'];
const GROUPS = { agent: 'Agent', initiative: 'Initiative', model: 'Model', 'business-unit': 'Business unit' } as const;
type Group = keyof typeof GROUPS;
/** The most groups the API answers at once. */
const LIMIT = 1000;

const REASONS: Record<keyof Unpriced, string> = {
  unknownModel: 'model not in the registry',
  noPrice: 'no USD price that day',
  noUsage: 'token counts not reported',
  serviceTier: 'billed above the price (service tier)',
};
/** Rows that are no registry name, as the API names them. */
const SPECIAL: Record<string, string> = {
  '(unregistered)': 'cost of no registered agent (or of an agent deleted since)',
  '(no model)': 'model calls that named no model, and cost the agents reported themselves',
  '(other unregistered)': "unregistered model names past an agent's 50 a day, counted together",
};

/** "3 model not in the registry, 1 no USD price that day": the unpriced calls by reason. */
export function reasons(u: Unpriced): string {
  return (Object.keys(REASONS) as (keyof Unpriced)[])
    .filter((k) => u[k] > 0)
    .map((k) => `${fmtNumber(u[k])} ${REASONS[k]}`)
    .join(', ');
}

/** Sums every group's numbers: the totals of the period (every grouping adds up to the same). */
function total(rows: Row[]): Row {
  const sum = (f: (r: Row) => number) => rows.reduce((s, r) => s + f(r), 0);
  const unpriced = Object.fromEntries(
    (Object.keys(REASONS) as (keyof Unpriced)[]).map((k) => [k, sum((r) => r.unpriced[k])]),
  ) as Unpriced;
  return {
    key: 'total',
    costUsd: sum((r) => r.costUsd),
    inputTokens: sum((r) => r.inputTokens),
    outputTokens: sum((r) => r.outputTokens),
    calls: sum((r) => r.calls),
    unpricedCalls: sum((r) => r.unpricedCalls),
    unpriced,
  };
}

/** A cost with unpriced calls in it is a lower bound; with nothing priced, unknown. */
function costText(r: Row): string {
  if (r.unpricedCalls === 0) return fmtMoney(r.costUsd);
  return r.costUsd === 0 ? 'unknown' : `at least ${fmtMoney(r.costUsd)}`;
}
/** Tokens of calls that reported none are not in the count: a lower bound then. */
const tokensText = (n: number, r: Row) => (r.unpriced.noUsage > 0 ? `at least ${fmtNumber(n)}` : fmtNumber(n));

export function CostsPage() {
  const [draft, setDraft] = useState({ from: '', to: '' });
  const [period, setPeriod] = useState({ from: '', to: '' });
  const [groupBy, setGroupBy] = useState<Group>('agent');
  const [formError, setFormError] = useState<string | null>(null);
  const query = (g: Group) => ({
    groupBy: g,
    limit: LIMIT,
    ...(period.from ? { from: period.from } : {}),
    ...(period.to ? { to: period.to } : {}),
  });
  const costs = useLoad((api) => ok(api.GET('/v1/costs', { params: { query: query(groupBy) } })), [groupBy, period]);
  // The totals from the grouping with the fewest groups, so they cover every group even when the chosen
  // one has more than the API answers at once.
  const totals = useLoad((api) => ok(api.GET('/v1/costs', { params: { query: query('business-unit') } })), [period]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      setFormError(`The first day (${draft.from}) is after the last (${draft.to}).`);
      return;
    }
    setFormError(null);
    setPeriod(draft);
  };

  return (
    <>
      <PageHeader
        title="Costs"
        subtitle="What the AI costs, by agent, initiative, model or business unit: measured model calls priced from the registry, and cost the agents reported. Calls without a price are counted apart, never as $0."
      />
      <Card>
        <form className="filters" onSubmit={apply} aria-label="Choose the period and grouping">
          <Field label="Group by">
            {(id) => (
              <select id={id} value={groupBy} onChange={(e) => setGroupBy(e.target.value as Group)}>
                {(Object.keys(GROUPS) as Group[]).map((g) => (
                  <option key={g} value={g}>
                    {GROUPS[g]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="From">
            {(id) => (
              <input id={id} type="date" value={draft.from} onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))} />
            )}
          </Field>
          <Field label="To">
            {(id) => (
              <input id={id} type="date" value={draft.to} onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))} />
            )}
          </Field>
          <button type="submit" className="btn btn-sm">
            Show
          </button>
        </form>
        {formError && (
          <p className="form-error" role="alert">
            {formError}
          </p>
        )}
        <p className="small muted">Without dates: the last 30 days, to today (UTC).</p>
      </Card>
      {/* A refused period is said, not hidden behind the previous one's figures. */}
      {costs.error && costs.data && <ErrorNote error={costs.error} />}
      <Loaded state={totals}>{(t) => <Totals costs={t} />}</Loaded>
      <Loaded state={costs}>{(c) => <CostTable costs={c} />}</Loaded>
    </>
  );
}

function Totals({ costs }: { costs: Costs }) {
  const t = total(costs.rows);
  const partial = costs.totalRows > costs.rows.length;
  return (
    <>
      <div className="stats" data-testid="cost-totals">
        <Stat
          label="Spend"
          value={costs.rows.length === 0 ? 'none recorded' : costText(t)}
          hint={`${fmtDate(costs.from)} – ${fmtDate(costs.to)}, USD`}
          tone={t.unpricedCalls > 0 ? 'warn' : undefined}
        />
        <Stat label="Model calls" value={fmtNumber(t.calls)} />
        <Stat
          label="Calls without a price"
          value={fmtNumber(t.unpricedCalls)}
          hint={t.unpricedCalls > 0 ? 'cost unknown, not in the spend' : 'every call is priced'}
          tone={t.unpricedCalls > 0 ? 'warn' : 'good'}
        />
        <Stat label="Tokens in" value={tokensText(t.inputTokens, t)} hint={`out: ${tokensText(t.outputTokens, t)}`} />
      </div>
      {t.unpricedCalls > 0 && (
        <p className="callout callout-warn" role="note">
          {fmtNumber(t.unpricedCalls)} of {fmtNumber(t.calls)} model call{t.calls === 1 ? '' : 's'} in this period had no price (
          {reasons(t.unpriced)}): their cost is unknown and in none of these sums, so the spend is a lower bound. Register the
          model, or price it on the day, to count them.
        </p>
      )}
      {t.unpriced.noUsage > 0 && (
        <p className="callout callout-info" role="note">
          {fmtNumber(t.unpriced.noUsage)} call{t.unpriced.noUsage === 1 ? '' : 's'} did not report both token counts: what they
          used is not in the token totals (never counted as 0).
        </p>
      )}
      {partial && (
        <p className="callout callout-warn" role="note">
          The totals cover the first {fmtNumber(costs.rows.length)} of {fmtNumber(costs.totalRows)} business units only.
        </p>
      )}
    </>
  );
}

function CostTable({ costs }: { costs: Costs }) {
  const group = GROUPS[costs.groupBy];
  const special = [...new Set(costs.rows.map((r) => r.key).filter((k) => k in SPECIAL))];
  return (
    <Card
      title={`By ${group.toLowerCase()}`}
      subtitle={`${fmtDate(costs.from)} – ${fmtDate(costs.to)}; most spend first. Each group is booked where the registry places its agent now.`}
    >
      {costs.rows.length === 0 ? (
        <Empty title="No spend recorded in this period">
          Cost comes from model calls in OTLP traces and through the LLM gateway, priced from the registry's Models, and from the
          costUsd agents report with their task events.
        </Empty>
      ) : (
        <>
          <Table
            testId="costs"
            columns={[
              group,
              { label: 'Spend (USD)', num: true },
              { label: 'Model calls', num: true },
              { label: 'Without a price', num: true },
              { label: 'Tokens in', num: true },
              { label: 'Tokens out', num: true },
            ]}
          >
            {costs.rows.map((r) => (
              <tr key={r.key} data-key={visibleString(r.key)}>
                <td className="mono">
                  <VisibleText text={r.key} />
                </td>
                <td className={`num nowrap ${r.unpricedCalls > 0 ? 'text-warn' : ''}`}>{costText(r)}</td>
                <td className="num">{fmtNumber(r.calls)}</td>
                <td className="num">
                  {r.unpricedCalls > 0 ? (
                    <>
                      <span className="strong">{fmtNumber(r.unpricedCalls)}</span>
                      <span className="small muted unpriced-reasons"> {reasons(r.unpriced)}</span>
                    </>
                  ) : (
                    '0'
                  )}
                </td>
                <td className="num">{tokensText(r.inputTokens, r)}</td>
                <td className="num">{tokensText(r.outputTokens, r)}</td>
              </tr>
            ))}
          </Table>
          {costs.totalRows > costs.rows.length && (
            <p className="small muted" role="status">
              The {fmtNumber(costs.rows.length)} groups with the most spend of {fmtNumber(costs.totalRows)}; the totals above
              count every one.
            </p>
          )}
          {special.length > 0 && (
            <ul className="plain-list small muted">
              {special.map((k) => (
                <li key={k}>
                  <span className="mono">{k}</span>: {SPECIAL[k]}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Card>
  );
}
