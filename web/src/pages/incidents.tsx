// Incidents: open and past incidents, serious ones with the EU AI Act Art. 73 reporting clock, and
// each one's timeline on demand.
import { useState } from 'react';
import { Card, Empty, Loaded, PageHeader, Pill, Stat } from '../components/ui';
import { fmtDateTime, fmtNumber, titleCase, who } from '../lib/format';
import type { Incident, Items } from '../lib/types';
import { useLoad } from '../lib/use-api';

const SEVERITY_TONE = { sev1: 'bad', sev2: 'bad', sev3: 'warn', sev4: 'neutral' } as const;

export function IncidentsPage() {
  const state = useLoad((api) => api.get<Items<Incident>>('/v1/incidents?limit=200'), []);
  return (
    <>
      <PageHeader title="Incidents" subtitle="What went wrong, who owns it, and the regulator's clock for serious incidents." />
      <Loaded state={state}>
        {(d) => {
          const open = d.items.filter((i) => i.status === 'open' || i.status === 'mitigated');
          const serious = d.items.filter((i) => i.seriousIncident && !i.reporting?.reportedAt);
          const overdue = d.items.filter((i) => i.reporting?.overdue);
          return (
            <>
              <div className="stats">
                <Stat label="Open or mitigated" value={fmtNumber(open.length)} tone={open.length ? 'warn' : 'good'} />
                <Stat
                  label="Serious, not yet reported"
                  value={fmtNumber(serious.length)}
                  tone={serious.length ? 'warn' : undefined}
                />
                <Stat
                  label="Past the reporting deadline"
                  value={fmtNumber(overdue.length)}
                  tone={overdue.length ? 'bad' : 'good'}
                />
                <Stat label="All incidents" value={fmtNumber(d.items.length)} />
              </div>
              <Card title="Incidents" subtitle="Newest first">
                {d.items.length === 0 ? (
                  <Empty title="No incidents recorded">
                    Incidents are opened with <code>POST /v1/incidents</code>, or by a monitor that detects a breach.
                  </Empty>
                ) : (
                  <div className="incident-list">
                    {d.items.map((i) => (
                      <IncidentRow key={i.id} i={i} />
                    ))}
                  </div>
                )}
              </Card>
            </>
          );
        }}
      </Loaded>
    </>
  );
}

function IncidentRow({ i }: { i: Incident }) {
  const [open, setOpen] = useState(false);
  const detail = useLoad(
    (api) => (open ? api.get<Incident>(`/v1/incidents/${encodeURIComponent(i.id)}`) : Promise.resolve(null)),
    [open],
  );
  const r = i.reporting;
  return (
    <article className={`incident ${r?.overdue ? 'incident-overdue' : ''}`}>
      <div className="incident-head">
        <div>
          <h3>{i.title}</h3>
          <div className="muted small">
            {i.id} · opened {fmtDateTime(i.openedAt)} · owner {i.owner ?? 'none'} · {i.source}
          </div>
        </div>
        <div className="incident-tags">
          <Pill
            value={i.severity}
            tone={SEVERITY_TONE[i.severity as keyof typeof SEVERITY_TONE] ?? 'neutral'}
            label={i.severity.toUpperCase()}
          />
          <Pill value={i.status} />
          {i.seriousIncident && <Pill value="serious" tone="bad" label="Serious (Art. 73)" />}
        </div>
      </div>
      {r && (
        <p className={`clock ${r.overdue ? 'clock-bad' : r.reportedAt ? 'clock-good' : 'clock-warn'}`}>
          {r.reportedAt
            ? `Reported to the authority ${fmtDateTime(r.reportedAt)}.`
            : r.overdue
              ? `Report overdue: it was due ${fmtDateTime(r.dueAt)}.`
              : `Report due ${fmtDateTime(r.dueAt)} (${fmtNumber(r.daysLeft)} days left).`}
        </p>
      )}
      <p className="small">
        {i.agents.length > 0 && (
          <>
            <span className="muted">Agents:</span> {i.agents.join(', ')}{' '}
          </>
        )}
        {i.initiatives.length > 0 && (
          <>
            <span className="muted">Initiatives:</span> {i.initiatives.join(', ')}
          </>
        )}
      </p>
      <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {open ? 'Hide timeline' : 'Show timeline'}
      </button>
      {open && (
        <Loaded state={detail}>
          {(full) => (
            <ol className="timeline">
              {(full?.timeline ?? []).map((t, n) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the timeline is append-only and in order
                <li key={n}>
                  <span className="muted small">{fmtDateTime(t.at)}</span> <span className="strong">{who(t.actor)}</span>{' '}
                  {titleCase(t.kind)}
                  {t.status ? ` → ${t.status}` : ''}
                  {t.note ? `: ${t.note}` : ''}
                </li>
              ))}
            </ol>
          )}
        </Loaded>
      )}
    </article>
  );
}
