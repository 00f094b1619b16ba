// Incidents: open and past incidents, serious ones with the EU AI Act Art. 73 reporting clock, and
// each one's timeline on demand.
import { type FormEvent, useState } from 'react';
import type { Schemas } from '../../../src/client/index';
import { Card, Empty, Field, Loaded, PageHeader, Pill, Stat } from '../components/ui';
import { VisibleText } from '../components/visible-text';
import { can, ok } from '../lib/api';
import { fmtDateTime, fmtNumber, titleCase, who } from '../lib/format';
import { useLoad, useSession } from '../lib/use-api';

type Incident = Schemas['Incident'];

const SEVERITY_TONE = { sev1: 'bad', sev2: 'bad', sev3: 'warn', sev4: 'neutral' } as const;
const STATUSES = ['open', 'mitigated', 'resolved', 'closed'];

export function IncidentsPage() {
  const state = useLoad((api) => ok(api.GET('/v1/incidents', { params: { query: { overdue: false, limit: 200 } } })), []);
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
                      <IncidentRow key={i.id} i={i} onChange={state.reload} />
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

function IncidentRow({ i, onChange }: { i: Incident; onChange(): void }) {
  const { me } = useSession();
  const [open, setOpen] = useState(false);
  const detail = useLoad(
    (api) => (open ? ok(api.GET('/v1/incidents/{id}', { params: { path: { id: i.id } } })) : Promise.resolve(null)),
    [open, i.updatedAt],
  );
  // The server's rule (docs/auth.md): every role but viewer may work on incidents, and so may the
  // incident's owner; closing it takes platform, reviewer:risk, admin or that owner.
  const owns = me.type === 'person' && me.id === i.owner;
  const mayWrite = can(me, 'incidents.write') || owns;
  const mayClose = can(me, 'incidents.close') || owns;
  const r = i.reporting;
  return (
    <article className={`incident ${r?.overdue ? 'incident-overdue' : ''}`}>
      <div className="incident-head">
        <div>
          <h3>
            <VisibleText text={i.title} />
          </h3>
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
            ? `Reported to the authority ${fmtDateTime(r.reportedAt)}${i.reportReference ? ` (reference ${i.reportReference})` : ''}.`
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
        {open ? 'Hide timeline' : mayWrite ? 'Show timeline and actions' : 'Show timeline'}
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
                  {t.note && (
                    <>
                      : <VisibleText text={t.note} />
                    </>
                  )}
                </li>
              ))}
            </ol>
          )}
        </Loaded>
      )}
      {open && mayWrite && <IncidentActions key={i.status} i={i} mayClose={mayClose} onChange={onChange} />}
    </article>
  );
}

/** Move an incident forward (with a note) and, for a serious one, record the Art. 73 report (who may close it). */
function IncidentActions({ i, mayClose, onChange }: { i: Incident; mayClose: boolean; onChange(): void }) {
  const { api } = useSession();
  const next = STATUSES.slice(STATUSES.indexOf(i.status) + 1).filter((s) => mayClose || s !== 'closed');
  const [to, setTo] = useState(next[0] ?? '');
  const [note, setNote] = useState('');
  const [reference, setReference] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = (call: () => Promise<unknown>) => async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call();
      setNote('');
      setReference('');
      onChange();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const id = { path: { id: i.id } };
  return (
    <div className="incident-actions">
      {next.length > 0 && (
        <form
          className="approval-actions"
          onSubmit={run(() =>
            ok(
              api.POST('/v1/incidents/{id}/transitions', {
                params: id,
                body: { to: to as Incident['status'], ...(note.trim() ? { note: note.trim() } : {}) },
              }),
            ),
          )}
        >
          <Field label="Move to">
            {(id) => (
              <select id={id} value={to} onChange={(e) => setTo(e.target.value)}>
                {next.map((s) => (
                  <option key={s} value={s}>
                    {titleCase(s)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Note" className="grow">
            {(id) => <input id={id} value={note} onChange={(e) => setNote(e.target.value)} maxLength={10_000} />}
          </Field>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            Update
          </button>
        </form>
      )}
      {i.seriousIncident && !i.reporting?.reportedAt && mayClose && (
        <form
          className="approval-actions"
          onSubmit={run(() => ok(api.POST('/v1/incidents/{id}/report', { params: id, body: { reference: reference.trim() } })))}
        >
          <Field label="Authority's reference for the Art. 73 report" className="grow">
            {(id) => <input id={id} value={reference} onChange={(e) => setReference(e.target.value)} required maxLength={500} />}
          </Field>
          <button type="submit" className="btn" disabled={busy}>
            Record report
          </button>
        </form>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
