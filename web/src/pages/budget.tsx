// Budget: allocation against actual spend per category (spend lines plus telemetry), with the part
// of the year elapsed, spend without outcomes and spend on stalled pilots; the budget's spend imports
// (spend-imports.tsx); and the LLM gateway's spend limits with their burn-down (spend-limits.tsx).
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Table } from '../components/table';
import { Card, Empty, Field, Loaded, PageHeader, Pill, Stat } from '../components/ui';
import { ok } from '../lib/api';
import { fmtDate, fmtMoney, fmtNumber, fmtPercent, titleCase } from '../lib/format';
import { useLoad } from '../lib/use-api';
import { SpendImports } from './spend-imports';
import { SpendLimits } from './spend-limits';

export function BudgetPage() {
  const budgets = useLoad((api) => ok(api.GET('/v1/budgets')), []);
  const [chosen, setChosen] = useState<string | null>(null);
  return (
    <>
      <PageHeader title="Budget" subtitle="Where the AI money goes, against where it was meant to go." />
      <Loaded state={budgets}>
        {(d) => {
          if (d.items.length === 0)
            return (
              <Card>
                <Empty title="No budget on the register">
                  Add a Budget descriptor, then import spend with POST /v1/budgets/&lt;name&gt;/spend.
                </Empty>
              </Card>
            );
          const today = new Date().toISOString().slice(0, 10);
          const current = d.items.find((b) => b.spec.period.from <= today && today <= b.spec.period.to) ?? d.items[0];
          const name = chosen ?? current?.metadata.name ?? '';
          return (
            <>
              {d.items.length > 1 && (
                <Field label="Budget" className="inline">
                  {(id) => (
                    <select id={id} value={name} onChange={(e) => setChosen(e.target.value)}>
                      {d.items.map((b) => (
                        <option key={b.metadata.name} value={b.metadata.name}>
                          {b.metadata.name} ({fmtDate(b.spec.period.from)} – {fmtDate(b.spec.period.to)})
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              )}
              <BudgetView name={name} />
            </>
          );
        }}
      </Loaded>
      <SpendLimits />
    </>
  );
}

function BudgetView({ name }: { name: string }) {
  const state = useLoad((api) => ok(api.GET('/v1/budgets/{name}/alignment', { params: { path: { name } } })), [name]);
  return (
    <Loaded state={state}>
      {(a) => {
        const allocated = a.categories.reduce((s, c) => s + c.allocated, 0);
        const proRated = a.categories.reduce((s, c) => s + c.proRated, 0);
        const data = a.categories.map((c) => ({ ...c, name: titleCase(c.category) }));
        const money = (v: unknown) => fmtMoney(Number(v), a.currency);
        return (
          <>
            <div className="stats">
              <Stat
                label="Allocated"
                value={fmtMoney(allocated, a.currency, true)}
                hint={`${fmtDate(a.period.from)} – ${fmtDate(a.period.to)}`}
              />
              <Stat
                label="Expected by today"
                value={fmtMoney(proRated, a.currency, true)}
                hint={`${fmtPercent(a.elapsed)} of the period elapsed`}
              />
              <Stat
                label="Spent"
                value={fmtMoney(a.total, a.currency, true)}
                hint={
                  proRated ? `${a.total >= proRated ? '+' : ''}${fmtPercent(a.total / proRated - 1, 1)} against plan` : undefined
                }
                tone={a.total > proRated * 1.1 ? 'bad' : undefined}
              />
              <Stat
                label="Spent without an outcome metric"
                value={fmtMoney(a.spendWithoutOutcomes.total, a.currency, true)}
                hint={`${fmtPercent(a.spendWithoutOutcomes.share, 1)} of spend`}
                tone={a.spendWithoutOutcomes.total > 0 ? 'warn' : 'good'}
              />
            </div>
            {/* No silent zero: model calls whose cost is not in these actuals are said, with why. */}
            {(a.telemetryNotIncludedUsd ?? 0) > 0 && (
              <p className="callout callout-warn" role="note">
                {fmtMoney(a.telemetryNotIncludedUsd ?? 0, 'USD')} of model calls measured from telemetry this period is not in
                these actuals: this budget is in {a.currency}, and Fulcrum converts no currency. Import that spend in {a.currency}{' '}
                as spend lines to count it.
              </p>
            )}
            {a.unpricedModelCalls > 0 && (
              <p className="callout callout-warn" role="note">
                {fmtNumber(a.unpricedModelCalls)} model call{a.unpricedModelCalls === 1 ? '' : 's'} this period had no price (a
                model not registered, or not priced that day): their cost is unknown and in no category, so model licences and
                compute are lower bounds. The Agents page lists them; price the model to count them.
              </p>
            )}
            <Card
              title="Allocation against actual, per category"
              subtitle="Expected by today is the allocation pro-rated to the part of the period elapsed"
            >
              <div
                className="chart"
                role="img"
                aria-label={`Bar chart: ${data.map((c) => `${c.name} allocated ${money(c.allocated)}, actual ${money(c.actual)}`).join('; ')}`}
              >
                <ResponsiveContainer width="100%" height={320}>
                  <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }} barGap={2}>
                    <CartesianGrid vertical={false} stroke="#e2e8f0" />
                    <XAxis dataKey="name" tick={{ fontSize: 12 }} interval={0} tickLine={false} />
                    <YAxis
                      tickFormatter={(v) => fmtMoney(Number(v), a.currency, true)}
                      tick={{ fontSize: 12 }}
                      width={72}
                      axisLine={false}
                      tickLine={false}
                    />
                    <Tooltip formatter={(v) => money(v)} />
                    <Legend formatter={(v) => <span className="legend-label">{v}</span>} />
                    <Bar dataKey="allocated" name="Allocated" fill="#cbd5e1" isAnimationActive={false} />
                    <Bar dataKey="proRated" name="Expected by today" fill="#93c5fd" isAnimationActive={false} />
                    <Bar dataKey="actual" name="Actual" fill="#1d4ed8" isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              </div>
              <Table
                columns={[
                  'Category',
                  { label: 'Allocated', num: true },
                  { label: 'Expected by today', num: true },
                  { label: 'Actual', num: true },
                  { label: 'Against plan', num: true },
                  { label: 'Flag', hidden: true },
                ]}
              >
                {a.categories.map((c) => (
                  <tr key={c.category}>
                    <td>{titleCase(c.category)}</td>
                    <td className="num">{money(c.allocated)}</td>
                    <td className="num">{money(c.proRated)}</td>
                    <td className="num">{money(c.actual)}</td>
                    <td className={`num ${(c.deviation ?? 0) > 0.1 ? 'text-bad' : ''}`}>
                      {c.deviation === null ? '—' : `${c.deviation > 0 ? '+' : ''}${fmtPercent(c.deviation, 1)}`}
                    </td>
                    <td>{c.offPlan && <Pill value="off plan" tone="warn" label="Off plan" />}</td>
                  </tr>
                ))}
              </Table>
            </Card>
            <div className="grid-2">
              <Card title="Spend on initiatives without an outcome metric">
                {a.spendWithoutOutcomes.initiatives.length === 0 ? (
                  <Empty title="None">Every initiative with spend has an outcome metric.</Empty>
                ) : (
                  <ul className="plain-list">
                    {a.spendWithoutOutcomes.initiatives.map((i) => (
                      <li key={i.initiative}>
                        <span className="strong">{i.initiative}</span>: {money(i.amount)}
                      </li>
                    ))}
                  </ul>
                )}
              </Card>
              <Card title="Spend on stalled pilots">
                {a.spendOnStalledPilots.length === 0 ? (
                  <Empty title="None">No money is going to a pilot that has stalled.</Empty>
                ) : (
                  <ul className="plain-list">
                    {a.spendOnStalledPilots.map((s) => (
                      <li key={s.initiative}>
                        <span className="strong">{s.initiative}</span>: {money(s.amount)} (in pilot since {fmtDate(s.since)})
                      </li>
                    ))}
                  </ul>
                )}
              </Card>
            </div>
            <SpendImports budget={name} currency={a.currency} onChange={state.reload} />
          </>
        );
      }}
    </Loaded>
  );
}
