// Portfolio: every initiative by stage and risk tier, its outcomes (with trend) and ROI with where
// each number comes from; stalled pilots stand out.
import { Fragment } from 'react';
import { Sparkline } from '../components/sparkline';
import { Card, Empty, Loaded, PageHeader, Pill, Progress, Provenance, RiskPill } from '../components/ui';
import { fmtDate, fmtMetric, fmtMoney, fmtNumber, fmtPercent, titleCase } from '../lib/format';
import { ACTIVE_STAGES, loadInitiatives, loadOutcomes, loadTiers, type TierInForce } from '../lib/portfolio';
import type { Descriptor, InitiativeSpec, Outcomes, Roi, Signals } from '../lib/types';
import { useLoad } from '../lib/use-api';

const STAGES = ['proposed', 'pilot', 'production', 'scaled', 'retired'];
const TIERS = ['minimal', 'low', 'medium', 'high', 'prohibited', 'untiered'];

interface Data {
  initiatives: Descriptor<InitiativeSpec>[];
  outcomes: Map<string, Outcomes>;
  roi: Map<string, Roi>;
  signals: Signals;
  tiers: Map<string, TierInForce>;
}

export function PortfolioPage() {
  const state = useLoad<Data>(async (api) => {
    const [initiatives, signals] = await Promise.all([loadInitiatives(api), api.get<Signals>('/v1/signals')]);
    const active = initiatives.filter((i) => ACTIVE_STAGES.includes(i.spec.stage));
    const [outcomes, rois, tiers] = await Promise.all([
      loadOutcomes(api, initiatives),
      Promise.all(active.map((i) => api.get<Roi>(`/v1/initiatives/${encodeURIComponent(i.metadata.name)}/roi`))),
      loadTiers(api, initiatives),
    ]);
    return { initiatives, outcomes, roi: new Map(rois.map((r) => [r.initiative, r])), signals, tiers };
  }, []);
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
  if (d.initiatives.length === 0)
    return (
      <Card>
        <Empty title="No initiatives on the register">
          Apply Initiative descriptors (fulcrum apply -f …) to see the portfolio.
        </Empty>
      </Card>
    );
  const stalled = new Map(d.signals.stalledPilots.map((s) => [s.initiative, s]));
  const tierOf = (i: Descriptor<InitiativeSpec>) => d.tiers.get(i.metadata.name)?.tier ?? 'untiered';
  // Most mature first; what is only proposed or retired comes last.
  const order = (i: Descriptor<InitiativeSpec>) => ['scaled', 'production', 'pilot', 'proposed', 'retired'].indexOf(i.spec.stage);
  const sorted = [...d.initiatives].sort((a, b) => order(a) - order(b) || a.metadata.name.localeCompare(b.metadata.name));
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
                {STAGES.map((s) => (
                  <th key={s} scope="col">
                    {titleCase(s)}
                  </th>
                ))}
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {TIERS.filter((t) => d.initiatives.some((i) => tierOf(i) === t)).map((t) => (
                <tr key={t}>
                  <th scope="row">
                    <RiskPill tier={t === 'untiered' ? undefined : t} />
                  </th>
                  {STAGES.map((s) => {
                    const n = d.initiatives.filter((i) => tierOf(i) === t && i.spec.stage === s).length;
                    return (
                      <td key={s} className={n ? `cell-${Math.min(n, 4)}` : 'cell-0'}>
                        {n || ''}
                      </td>
                    );
                  })}
                  <td className="total">{d.initiatives.filter((i) => tierOf(i) === t).length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      <Card title="Initiatives" subtitle="Outcomes over the last 30 days with the monthly trend; ROI over the same window">
        <div className="initiatives">
          {sorted.map((i) => (
            <InitiativeRow
              key={i.metadata.name}
              i={i}
              outcomes={d.outcomes.get(i.metadata.name)}
              roi={d.roi.get(i.metadata.name)}
              stalled={stalled.get(i.metadata.name)}
              tier={d.tiers.get(i.metadata.name)}
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
  tier,
}: {
  i: Descriptor<InitiativeSpec>;
  outcomes: Outcomes | undefined;
  roi: Roi | undefined;
  stalled: { days: number } | undefined;
  tier: TierInForce | undefined;
}) {
  const s = i.spec;
  return (
    <article className={`initiative ${stalled ? 'initiative-stalled' : ''}`} id={`initiative-${i.metadata.name}`} tabIndex={-1}>
      <div className="initiative-head">
        <div>
          <h3>{s.title ?? i.metadata.name}</h3>
          <div className="muted small">
            {i.metadata.name} · {titleCase(s.type)} · {s.businessUnit ?? 'no business unit'} · owner {s.owner ?? '—'}
          </div>
        </div>
        <div className="initiative-tags">
          <Pill value={s.stage} tone={s.stage === 'scaled' ? 'good' : s.stage === 'production' ? 'info' : 'neutral'} />
          <span
            title={
              tier?.assessedAt
                ? `Risk assessment of ${fmtDate(tier.assessedAt)}${tier.declared && tier.declared !== tier.tier ? ` (declared: ${tier.declared})` : ''}`
                : 'Declared in the descriptor; not assessed yet'
            }
          >
            <RiskPill tier={tier?.tier} />
          </span>
          {stalled && <Pill value="stalled" tone="bad" label={`Stalled ${stalled.days} days`} />}
          {s.stageSince && <span className="muted small">since {fmtDate(s.stageSince)}</span>}
        </div>
      </div>
      {ACTIVE_STAGES.includes(s.stage) && (
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
                        <td>{m.name}</td>
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
            title={roi.value.items
              .map((i) => `${i.metric}: ${fmtNumber(i.improvement, 2)} ${i.unit} × ${fmtMoney(i.valuePerUnit)}`)
              .join('\n')}
          >
            <strong>{fmtMoney(roi.value.total)}</strong> <Provenance value={roi.value.provenance} />
          </span>
        ) : (
          <span className="muted small" title={roi.value.notValued.map((n) => `${n.metric}: ${n.why}`).join('\n')}>
            not valued: no outcome states a value per unit
          </span>
        )}
      </div>
      <div className="roi-part">
        <span className="stat-label">Cost {fmtMoney(roi.cost.total)}</span>
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
