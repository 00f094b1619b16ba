// One initiative whole: who answers for it, its outcome metrics against baseline and target with every
// measurement behind them, its ROI and its risk assessment. Each part loads on its own, so a refusal or
// a failure shows where it happened; a value Fulcrum has not measured says so, never a zero.
import { useEffect, useRef } from 'react';
import type { GetResult } from '../../../src/client/index';
import { Table } from '../components/table';
import { Card, ErrorNote, Loaded, Pill, Progress, Provenance, RiskPill } from '../components/ui';
import { VisibleText, visibleString } from '../components/visible-text';
import { ok } from '../lib/api';
import { fmtDate, fmtDateTime, fmtMetric, fmtMoney, fmtPercent, titleCase, who } from '../lib/format';
import { Link } from '../lib/router';
import { useLoad, useSession } from '../lib/use-api';
import { RiskCard, RoiCard } from './initiative-roi-risk';
import { MeasurementForm, mayRecord } from './measurement-form';

type Outcomes = GetResult<'/v1/initiatives/{name}/outcomes'>;
type Metric = Outcomes['metrics'][number];
type Recorded = GetResult<'/v1/initiatives/{name}/measurements'>['items'];

export function InitiativeView({ name }: { name: string }) {
  const { me } = useSession();
  const params = { params: { path: { name } } };
  const initiative = useLoad((api) => ok(api.GET('/v1/initiatives/{name}', params)), [name]);
  const outcomes = useLoad((api) => ok(api.GET('/v1/initiatives/{name}/outcomes', params)), [name]);
  // Who reported each self-reported value (the outcomes keep only the latest per period).
  const recorded = useLoad((api) => ok(api.GET('/v1/initiatives/{name}/measurements', params)), [name]);
  const ref = useRef<HTMLDivElement>(null);
  // A link here names the initiative: the view is what the reader came for, above the list.
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'start' });
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div className="initiative-view" ref={ref} tabIndex={-1} id={`initiative-${name}`} data-testid="initiative-view">
      <Card
        title={<VisibleText text={initiative.data?.spec.title ?? name} />}
        subtitle={name}
        actions={
          <Link href="/initiatives" className="btn btn-sm">
            Close
          </Link>
        }
      >
        <Loaded state={initiative}>
          {(i) => (
            <>
              {i.spec.description && (
                <p>
                  <VisibleText text={i.spec.description} />
                </p>
              )}
              <dl className="facts-list">
                <dt>Type and stage</dt>
                <dd>
                  {titleCase(i.spec.type)} · <Pill value={i.spec.stage} tone="neutral" />
                  {i.spec.stageSince ? ` since ${fmtDate(i.spec.stageSince)}` : ''}
                </dd>
                <dt>Declared risk tier</dt>
                <dd>
                  <RiskPill tier={i.spec.riskTier} />{' '}
                  <span className="muted small">(the tier in force is the latest assessment’s, below)</span>
                </dd>
                <dt>Owner</dt>
                <dd>
                  {i.spec.owner}, {i.spec.businessUnit}
                </dd>
                <dt>Human oversight</dt>
                <dd>{i.spec.oversightOwner ?? <span className="muted">nobody named</span>}</dd>
                <dt>Incidents</dt>
                <dd>{i.spec.incidentOwner ?? <span className="muted">nobody named</span>}</dd>
              </dl>
            </>
          )}
        </Loaded>
      </Card>
      <Card
        title="Outcomes"
        subtitle="Each metric against its baseline and target; now is the last 30 days, or the latest measurement"
      >
        <Loaded state={outcomes}>{(o) => <OutcomesTable o={o} />}</Loaded>
      </Card>
      <Card
        title="Measurements"
        subtitle="Every value behind the outcomes: calendar months from telemetry, or the periods a team reported"
      >
        <Loaded state={outcomes}>{(o) => <Measurements o={o} recorded={recorded.data?.items} />}</Loaded>
        {recorded.error && <ErrorNote error={recorded.error} />}
        {outcomes.data && mayRecord(me, initiative.data?.spec.owner) && (
          <ManualForm
            name={name}
            metrics={outcomes.data.metrics.filter((m) => m.source === 'manual').map((m) => m.name)}
            onRecorded={() => {
              outcomes.reload();
              recorded.reload();
            }}
          />
        )}
      </Card>
      <div className="grid-2">
        <RoiCard name={name} />
        <RiskCard name={name} declared={initiative.data?.spec.riskTier} owner={initiative.data?.spec.owner} />
      </div>
    </div>
  );
}

function source(m: Metric): string {
  return m.source === 'manual' ? 'reported by the team' : `telemetry: ${m.source.replaceAll('_', ' ')}`;
}

function OutcomesTable({ o }: { o: Outcomes }) {
  if (o.metrics.length === 0)
    return <p className="muted">No outcome metric declared: nothing says what success looks like for this initiative.</p>;
  return (
    <>
      <p className="small muted">
        Measured {fmtDate(o.window.from)} to {fmtDate(o.window.to)} from{' '}
        {o.agents.length > 0 ? `the telemetry of ${o.agents.join(', ')}` : 'no agent’s telemetry: the initiative has no agent'}.
      </p>
      <Table columns={['Outcome', 'Now', 'Baseline → target', 'Progress', 'Value per unit']} testId="outcomes">
        {o.metrics.map((m) => (
          <tr key={m.name} data-metric={visibleString(m.name)}>
            <td>
              <div className="strong">
                <VisibleText text={m.name} />
              </div>
              <div className="muted small">{source(m)}</div>
            </td>
            <td>
              {m.current === null ? (
                <>
                  <span className="strong">Not measured</span> <Provenance value={m.provenance} />
                  {m.note && (
                    <div className="muted small">
                      <VisibleText text={m.note} />
                    </div>
                  )}
                </>
              ) : (
                <span className="nowrap">
                  <VisibleText text={fmtMetric(m.current, m.unit)} /> <Provenance value={m.provenance} />
                </span>
              )}
            </td>
            <td>
              <VisibleText text={`${fmtMetric(m.baseline.value, m.unit)} → ${fmtMetric(m.target, m.unit)}`} />
              <div className="muted small">
                baseline <VisibleText text={m.baseline.period} />, to {m.direction}
              </div>
            </td>
            <td className="progress-cell">
              {m.progress === null ? (
                <span className="muted">unknown: nothing measured to compare</span>
              ) : (
                <>
                  <Progress value={m.progress} label={`${m.name} progress`} />
                  <span className="small muted">{fmtPercent(m.progress)}</span>
                </>
              )}
            </td>
            <td>
              {m.valuePerUnit ? (
                <>
                  {fmtMoney(m.valuePerUnit.value)} <Provenance value="assumed" />
                </>
              ) : (
                <span className="muted">none stated: not valued</span>
              )}
            </td>
          </tr>
        ))}
      </Table>
    </>
  );
}

function Measurements({ o, recorded }: { o: Outcomes; recorded: Recorded | undefined }) {
  if (o.metrics.length === 0) return <p className="muted">No outcome metric declared, so nothing is measured.</p>;
  return (
    <Table columns={['Outcome', 'Where from', 'Values']} testId="measurements">
      {o.metrics.map((m) => (
        <tr key={m.name} data-metric={visibleString(m.name)}>
          <td className="strong">
            <VisibleText text={m.name} />
          </td>
          <td>{m.source === 'manual' ? <Provenance value="self-reported" /> : <Provenance value="measured" />}</td>
          <td>
            {m.source === 'manual' && recorded?.some((r) => r.metric === m.name) ? (
              <ul className="plain-list small">
                {recorded
                  .filter((r) => r.metric === m.name)
                  .map((r) => (
                    <li key={`${r.recordedAt}/${r.period}/${r.value}`}>
                      <span className="muted">
                        <VisibleText text={r.period} />:
                      </span>{' '}
                      <VisibleText text={fmtMetric(r.value, m.unit)} />{' '}
                      <span className="muted">
                        reported by {who(r.recordedBy)}, {fmtDateTime(r.recordedAt)}
                      </span>
                    </li>
                  ))}
              </ul>
            ) : m.series.length === 0 ? (
              <span className="muted">
                {m.source === 'manual' ? 'No measurement reported yet.' : 'No telemetry for this metric yet.'}
              </span>
            ) : (
              <ul className="series-inline small">
                {m.series.map((s) => (
                  <li key={s.period}>
                    <span className="muted">
                      <VisibleText text={s.period} />:
                    </span>{' '}
                    <VisibleText text={fmtMetric(s.value, m.unit)} />
                  </li>
                ))}
              </ul>
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}

/** The form, for an initiative with a self-reported metric to record. */
function ManualForm({ name, metrics, onRecorded }: { name: string; metrics: string[]; onRecorded(): void }) {
  return metrics.length > 0 ? <MeasurementForm name={name} metrics={metrics} onRecorded={onRecorded} /> : null;
}
