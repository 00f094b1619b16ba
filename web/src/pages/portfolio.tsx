// Portfolio: every initiative by stage and risk tier, its outcomes (with trend) and ROI with where
// each number comes from; stalled pilots stand out.
import { Fragment } from 'react';
import type { GetResult } from '../../../src/client/index';
import { Sparkline } from '../components/sparkline';
import { Card, Empty, Loaded, PageHeader, Pill, Progress, Provenance, RiskPill } from '../components/ui';
import { VisibleText, visibleString } from '../components/visible-text';
import { type Api, ok } from '../lib/api';
import { fmtDate, fmtMetric, fmtMoney, fmtNumber, fmtPercent, titleCase } from '../lib/format';
import { loadOutcomes, loadPortfolio, type Outcomes, type PortfolioInitiative } from '../lib/portfolio';
import { useLoad } from '../lib/use-api';

type Roi = GetResult<'/v1/initiatives/{name}/roi'>;

async function load(api: Api) {
  const [portfolio, signals] = await Promise.all([loadPortfolio(api), ok(api.GET('/v1/signals'))]);
  const active = portfolio.initiatives.filter((i) => i.active);
  const [outcomes, rois] = await Promise.all([
    loadOutcomes(api, portfolio),
    Promise.all(active.map((i) => ok(api.GET('/v1/initiatives/{name}/roi', { params: { path: { name: i.name } } })))),
  ]);
  return { portfolio, outcomes, roi: new Map(rois.map((r) => [r.initiative, r])), signals };
}
type Data = Awaited<ReturnType<typeof load>>;

export function PortfolioPage() {
  const state = useLoad(load, []);
  return (
    <>
      <PageHeader
        title="Portfolio"
        subtitle="Every AI initiative on the register: where it stands, what it delivers, what it returns."
      />
      <Loaded state={state}>{(d) => <Portfolio d={d} />}</Loaded>
    </>
  );
}

function Portfolio({ d }: { d: Data }) {
  const { initiatives, counts } = d.portfolio;
  if (initiatives.length === 0)
    return (
      <Card>
        <Empty title="No initiatives on the register">
          Apply Initiative descriptors (fulcrum apply -f …) to see the portfolio.
        </Empty>
      </Card>
    );
  const stalled = new Map(d.signals.stalledPilots.map((s) => [s.initiative, s]));
  const stages = Object.keys(counts.byStage) as Array<keyof typeof counts.byStage>;
  return (
    <>
      {d.signals.stalledPilots.length > 0 && (
        <div className="callout callout-warn" role="note">
          <strong>Stalled pilots.</strong>{' '}
          {d.signals.stalledPilots.map((s, i) => (
            <Fragment key={s.initiative}>
              {i > 0 && '; '}
              <a href={`#initiative-${s.initiative}`}>{s.initiative}</a> has been in pilot for {fmtNumber(s.days)} days (since{' '}
              {fmtDate(s.since)})
            </Fragment>
          ))}
          . Decide: fund the path to production, or stop.
        </div>
      )}
      <Card title="By stage and risk tier" subtitle="Number of initiatives">
        <div className="table-wrap">
          <table className="matrix">
            <thead>
              <tr>
                <th scope="col">Risk tier</th>
                {stages.map((s) => (
                  <th key={s} scope="col">
                    {titleCase(s)}
                  </th>
                ))}
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {counts.byTier
                .filter((row) => row.total > 0)
                .map((row) => (
                  <tr key={row.tier}>
                    <th scope="row">
                      <RiskPill tier={row.tier === 'untiered' ? undefined : row.tier} />
                    </th>
                    {stages.map((s) => {
                      const n = row.byStage[s];
                      return (
                        <td key={s} className={n ? `cell-${Math.min(n, 4)}` : 'cell-0'}>
                          {n || ''}
                        </td>
                      );
                    })}
                    <td className="total">{row.total}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </Card>
      <Card title="Initiatives" subtitle="Outcomes over the last 30 days with the monthly trend; ROI over the same window">
        <div className="initiatives">
          {initiatives.map((i) => (
            <InitiativeRow
              key={i.name}
              i={i}
              outcomes={d.outcomes.get(i.name)}
              roi={d.roi.get(i.name)}
              stalled={stalled.get(i.name)}
            />
          ))}
        </div>
      </Card>
    </>
  );
}

function InitiativeRow({
  i,
  outcomes,
  roi,
  stalled,
}: {
  i: PortfolioInitiative;
  outcomes: Outcomes | undefined;
  roi: Roi | undefined;
  stalled: { days: number } | undefined;
}) {
  const tier = i.tier;
  return (
    <article className={`initiative ${stalled ? 'initiative-stalled' : ''}`} id={`initiative-${i.name}`} tabIndex={-1}>
      <div className="initiative-head">
        <div>
          <h3>
            <VisibleText text={i.title} />
          </h3>
          <div className="muted small">
            {i.name} · {titleCase(i.type)} · {i.businessUnit} · owner {i.owner}
          </div>
        </div>
        <div className="initiative-tags">
          <Pill value={i.stage} tone={i.stage === 'scaled' ? 'good' : i.stage === 'production' ? 'info' : 'neutral'} />
          <span
            title={
              tier.source === 'assessment' && tier.assessedAt
                ? `Risk assessment of ${fmtDate(tier.assessedAt)}${tier.declared && tier.declared !== tier.tier ? ` (declared: ${tier.declared})` : ''}`
                : tier.source === 'declared'
                  ? 'Declared in the descriptor; not assessed yet'
                  : 'No tier declared, not assessed yet'
            }
          >
            <RiskPill tier={tier.tier ?? undefined} />
          </span>
          {stalled && <Pill value="stalled" tone="bad" label={`Stalled ${stalled.days} days`} />}
          {i.stageSince && <span className="muted small">since {fmtDate(i.stageSince)}</span>}
        </div>
      </div>
      {i.active && (
        <div className="initiative-body">
          <div className="initiative-outcomes">
            {!outcomes || outcomes.metrics.length === 0 ? (
              <p className="muted small">No outcome metric declared: nothing says what success looks like.</p>
            ) : (
              <div className="table-wrap">
                <table className="metrics">
                  <thead>
                    <tr>
                      <th scope="col">Outcome</th>
                      <th scope="col">Trend</th>
                      <th scope="col">Now</th>
                      <th scope="col">Baseline → target</th>
                      <th scope="col">Progress</th>
                    </tr>
                  </thead>
                  <tbody>
                    {outcomes.metrics.map((m) => (
                      <tr key={m.name}>
                        <td>
                          <VisibleText text={m.name} />
                        </td>
                        <td className="spark-cell">
                          <Sparkline series={m.series} unit={m.unit} target={m.target} label={m.name} />
                        </td>
                        <td className="nowrap">
                          {fmtMetric(m.current, m.unit)} <Provenance value={m.provenance} />
                        </td>
                        <td className="nowrap muted">
                          {fmtMetric(m.baseline.value, m.unit)} → {fmtMetric(m.target, m.unit)}
                        </td>
                        <td className="progress-cell">
                          <Progress value={m.progress} label={`${m.name} progress`} />
                          <span className="small muted">{m.progress === null ? '' : fmtPercent(m.progress)}</span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
          {roi && <RoiBox roi={roi} />}
        </div>
      )}
    </article>
  );
}

// The API's cost sources, named briefly; the full wording stays in the tooltip.
const COST_LABELS: Record<string, string> = {
  'model and tool calls (telemetry, priced at ingest)': 'telemetry',
  'costs agents reported with their tasks': 'reported by agents',
  'spend lines booked to the initiative': 'spend lines',
};

function RoiBox({ roi }: { roi: Roi }) {
  // Without a stated value per unit there is no value to set against cost: say so rather than show -100 %.
  const valued = roi.value.items.length > 0;
  return (
    <div className="roi">
      <div className="roi-main">
        <span className="stat-label">ROI, last 30 days</span>
        <span className="roi-value">{valued && roi.roi !== null ? fmtPercent(roi.roi) : '—'}</span>
        <Provenance value={roi.provenance} />
      </div>
      <div className="roi-part">
        <span className="stat-label">Value</span>
        {valued ? (
          <span
            title={visibleString(
              roi.value.items
                .map((i) => `${i.metric}: ${fmtNumber(i.improvement, 2)} ${i.unit} × ${fmtMoney(i.valuePerUnit)}`)
                .join('\n'),
            )}
          >
            <strong>{fmtMoney(roi.value.total)}</strong> <Provenance value={roi.value.provenance} />
          </span>
        ) : (
          <span className="muted small" title={visibleString(roi.value.notValued.map((n) => `${n.metric}: ${n.why}`).join('\n'))}>
            not valued: no outcome states a value per unit
          </span>
        )}
      </div>
      <div className="roi-part">
        <span className="stat-label">
          Cost {roi.cost.incomplete.length > 0 ? 'at least ' : ''}
          {fmtMoney(roi.cost.total)}
        </span>
        {roi.cost.incomplete.length > 0 && (
          <span className="muted small">
            leaves out: <VisibleText text={roi.cost.incomplete.join('; ')} />
          </span>
        )}
        <span className="roi-costs">
          {roi.cost.items.map((c) => (
            <span key={c.source} title={c.source}>
              {COST_LABELS[c.source] ?? c.source} {fmtMoney(c.amountUsd)} <Provenance value={c.provenance} />
            </span>
          ))}
        </span>
      </div>
    </div>
  );
}
