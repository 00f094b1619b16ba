// Monitors: every Monitor descriptor with its threshold and its last evaluation on this node (GET
// /v1/monitors/status): breached, within, not evaluated (and why), or too few samples to say; and
// evaluating them now, for the people the server lets (registry.write), docs/governance.md "Monitors".
import { useState } from 'react';
import type { GetResult } from '../../../src/client/index';
import { ConfirmDialog } from '../components/dialog';
import { Table } from '../components/table';
import { Card, Empty, Loaded, PageHeader, Pill, type Tone } from '../components/ui';
import { VisibleText, visibleString } from '../components/visible-text';
import { can, ok } from '../lib/api';
import { fmtDateTime, fmtNumber, fmtPercent } from '../lib/format';
import { useLoad, useSession } from '../lib/use-api';

type Monitor = GetResult<'/v1/monitors'>['items'][number];
type Status = GetResult<'/v1/monitors/status'>['items'][number];
/** Metrics that are fractions of decisions or tasks, and need minSamples of them (src/governance/monitors.ts). */
const RATES = new Set(['deny_rate', 'approval_rate', 'error_rate', 'escalation_rate']);
const STATUS_POLL_MS = 30_000;

/** What a monitor's last evaluation says, as a person reads it. */
export function stateOf(m: Monitor | undefined, s: Status | undefined): { label: string; tone: Tone; why?: string } {
  if (!s) return { label: 'Not evaluated yet', tone: 'neutral', why: 'no evaluation on this node since it started' };
  if (s.error) return { label: 'Not evaluated', tone: 'warn', why: s.error };
  if (s.breached) return { label: 'Breached', tone: 'bad' };
  const min = m?.spec.minSamples ?? 0;
  if (RATES.has(s.metric) && s.samples < min)
    return { label: 'Too few samples', tone: 'neutral', why: `${fmtNumber(s.samples)} of the ${fmtNumber(min)} it needs` };
  return { label: 'OK', tone: 'good' };
}

/** A value in its metric's unit: rates as percentages, cost per day in USD (or a budget share), counts. */
function valueText(metric: string, value: number, budget: string | undefined): string {
  if (RATES.has(metric)) return fmtPercent(value, 1);
  if (metric === 'cost_per_day') return budget ? `${fmtPercent(value, 0)} of plan` : `$${fmtNumber(value, 2)}/day`;
  return fmtNumber(value, 2);
}

export function MonitorsPage() {
  const { api, me } = useSession();
  const mayEvaluate = can(me, 'registry.write');
  const monitors = useLoad((a) => ok(a.GET('/v1/monitors')), []);
  // The node's timer evaluates every FULCRUM_MONITOR_INTERVAL_SECONDS (60 by default): read again while the tab is visible.
  const status = useLoad((a) => ok(a.GET('/v1/monitors/status')), [], STATUS_POLL_MS);
  const [asking, setAsking] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const suspending = (monitors.data?.items ?? []).filter((m) => m.spec.suspendOnBreach).map((m) => m.metadata.name);

  return (
    <>
      <PageHeader
        title="Monitors"
        subtitle="Each monitor watches one metric over a window and opens an incident when it goes above its threshold. Every node evaluates them on a timer; this is this node's last evaluation."
        actions={
          mayEvaluate && (
            <button type="button" className="btn btn-primary" onClick={() => setAsking(true)}>
              Evaluate now
            </button>
          )
        }
      />
      {done && (
        <p className="form-ok" role="status">
          {done}
        </p>
      )}
      <Loaded state={monitors}>
        {(d) => <Loaded state={status}>{(s) => <MonitorTable monitors={d.items} status={s.items} />}</Loaded>}
      </Loaded>
      {asking && (
        <ConfirmDialog
          title="Evaluate every monitor now?"
          confirmLabel="Evaluate now"
          danger={suspending.length > 0}
          onClose={() => setAsking(false)}
          onConfirm={async () => {
            const r = await ok(api.POST('/v1/monitors/evaluate'));
            const breached = r.items.filter((i) => i.breached).length;
            setDone(`Evaluated ${r.items.length} monitor(s): ${breached} breached.`);
            status.reload();
          }}
        >
          <p>A breach opens an incident (unless that monitor's last one is still open).</p>
          {suspending.length > 0 && (
            <p>A breach of {suspending.join(', ')} also suspends the agents in its scope: the kill switch.</p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}

function MonitorTable({ monitors, status }: { monitors: Monitor[]; status: Status[] }) {
  const byName = new Map(status.map((s) => [s.monitor, s]));
  // Monitors deleted since the evaluation still show what it found.
  const names = [...new Set([...monitors.map((m) => m.metadata.name), ...status.map((s) => s.monitor)])];
  if (names.length === 0)
    return (
      <Card>
        <Empty title="No monitor on the register">
          Add a Monitor descriptor (docs/governance.md, Monitors) with fulcrum apply, or PUT /v1/monitors/&lt;name&gt;.
        </Empty>
      </Card>
    );
  const spec = new Map(monitors.map((m) => [m.metadata.name, m]));
  return (
    <Card>
      <Table
        testId="monitors"
        columns={['Monitor', 'Metric', { label: 'Value', num: true }, { label: 'Threshold', num: true }, 'State', 'Evaluated']}
      >
        {names.map((name) => {
          const m = spec.get(name);
          const s = byName.get(name);
          const state = stateOf(m, s);
          const metric = s?.metric ?? m?.spec.metric ?? '';
          const budget = m?.spec.budget;
          const scope = m ? (m.spec.agent ?? m.spec.initiative ?? 'every agent') : 'deleted since';
          return (
            <tr key={name} data-monitor={visibleString(name)}>
              <td className="monitor-cell">
                <div className="strong mono">
                  <VisibleText text={name} />
                </div>
                <div className="small muted">
                  <VisibleText text={`${scope}${m ? ` · ${m.spec.window} · ${m.spec.severity}` : ''}`} />
                  {m?.spec.suspendOnBreach && ' · suspends on breach'}
                </div>
                {m?.spec.description && (
                  <div className="small">
                    <VisibleText text={m.spec.description} />
                  </div>
                )}
              </td>
              <td className="mono">{metric}</td>
              <td className="num nowrap">
                {/* A rate over no decisions or tasks is no 0 %: there is nothing to measure. */}
                {!s || s.error ? '—' : RATES.has(metric) && s.samples === 0 ? 'no data' : valueText(metric, s.value, budget)}
                {s && !s.error && RATES.has(metric) && s.samples > 0 && (
                  <div className="small muted">{fmtNumber(s.samples)} samples</div>
                )}
              </td>
              <td className="num nowrap">{valueText(metric, s?.threshold ?? m?.spec.threshold ?? 0, budget)}</td>
              <td>
                <Pill value={state.label} tone={state.tone} label={state.label} />
                {state.why && (
                  <div className="small muted state-why">
                    <VisibleText text={state.why} />
                  </div>
                )}
                {s?.incident && (
                  <div className="small">
                    incident <span className="mono">{s.incident}</span>
                    {s.deduplicated && ' (already open)'}
                    {s.suspended?.length ? `; suspended ${s.suspended.join(', ')}` : ''}
                  </div>
                )}
              </td>
              <td className="nowrap">{s ? fmtDateTime(s.evaluatedAt) : '—'}</td>
            </tr>
          );
        })}
      </Table>
    </Card>
  );
}
