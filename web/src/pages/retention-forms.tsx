// The Retention page's actions: change the periods (PUT /v1/retention) and, in the purge's
// confirmation, the server's preview of what it would remove (POST /v1/retention/purge?dryRun=true),
// counted by the purge's own queries. The hints here are hints: the server judges every value.
import { type FormEvent, useState } from 'react';
import type { paths } from '../../../src/client/index';
import { Field, Loading } from '../components/ui';
import { VisibleText } from '../components/visible-text';
import { ok } from '../lib/api';
import { fmtDate, fmtNumber } from '../lib/format';
import { cutoff, type DataType, type Policy, TYPE_KEYS, TYPES } from '../lib/retention';
import { useLoad, useSession } from '../lib/use-api';

/** Human acts are kept at least this long: the server refuses less (docs/governance.md). */
const ACTS_FLOOR_DAYS = 183;
const MAX_DAYS = 36_500;
type Periods = paths['/v1/retention']['put']['requestBody']['content']['application/json'];

/** What the field's text would send: a whole number as a number, anything else as typed, for the server to refuse by name. */
const asSent = (text: string): number | string => (/^\s*\d{1,15}\s*$/.test(text) ? Number(text) : text);

function hint(k: DataType, text: string): string | null {
  const v = asSent(text);
  if (typeof v !== 'number') return 'a whole number of days';
  if (v < 1 || v > MAX_DAYS) return `between 1 and ${fmtNumber(MAX_DAYS)} days`;
  if (k === 'auditEntries' && v < ACTS_FLOOR_DAYS) return `at least ${ACTS_FLOOR_DAYS} days: the record of who did what`;
  return null;
}

/** The periods as a form (registry.write): only the changed ones are sent. */
export function PeriodsForm({ policy, onSaved }: { policy: Policy; onSaved(): void }) {
  const { api } = useSession();
  const [text, setText] = useState<Record<DataType, string>>(
    () => Object.fromEntries(TYPE_KEYS.map((k) => [k, String(policy.periods[k])])) as Record<DataType, string>,
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const changed = TYPE_KEYS.filter((k) => text[k] !== String(policy.periods[k]));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const body = Object.fromEntries(changed.map((k) => [k, asSent(text[k])])) as Periods;
      await ok(api.PUT('/v1/retention', { body }));
      setSaved(true);
      onSaved();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="retention-form" data-testid="retention-form" onSubmit={submit} noValidate>
      <div className="form-grid">
        {TYPE_KEYS.map((k) => {
          const h = hint(k, text[k]);
          return (
            <Field key={k} label={`${TYPES[k].label} (days)`}>
              {(id) => (
                <>
                  <input
                    id={id}
                    name={k}
                    inputMode="numeric"
                    value={text[k]}
                    maxLength={40}
                    aria-invalid={h ? true : undefined}
                    onChange={(e) => setText((t) => ({ ...t, [k]: e.target.value }))}
                  />
                  {h && <span className="small muted field-hint">{h}</span>}
                </>
              )}
            </Field>
          );
        })}
      </div>
      {error && (
        <p className="form-error" role="alert">
          <VisibleText text={error} />
        </p>
      )}
      {saved && !error && (
        <p className="small" role="status">
          Saved. The next purge uses these periods.
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy || changed.length === 0}>
        {busy ? 'Saving…' : 'Save periods'}
      </button>
    </form>
  );
}

/**
 * The purge's confirmation: the server's count of what a purge now would remove and hold. A preview
 * refused or failed is said as a note, not an alert: the purge itself may still be tried, and its
 * refusal is the dialog's alert.
 */
export function PurgePreview({ policy }: { policy: Policy }) {
  const preview = useLoad((a) => ok(a.POST('/v1/retention/purge', { params: { query: { dryRun: true } } })), []);
  const p = preview.data;
  return (
    <>
      <p>
        This cannot be undone. Past its period, each kind of data is removed; counted by the server just now, changing nothing:
      </p>
      <ul className="plain-list" data-testid="purge-preview">
        {TYPE_KEYS.map((k) => (
          <li key={k} data-type={k}>
            <span className="strong">{TYPES[k].label}</span> from before {fmtDate(cutoff(policy.periods[k]))}:{' '}
            <span className="strong" data-testid={`preview-${k}`}>
              {p ? fmtNumber(p[k]) : preview.error ? 'not counted' : '…'}
            </span>
            , {TYPES[k].action}
          </li>
        ))}
      </ul>
      {!p && !preview.error && <Loading label="Counting what a purge would remove…" />}
      {preview.error && (
        <p className="callout callout-warn" role="note" data-testid="preview-error">
          The preview could not be counted: <VisibleText text={preview.error.message} />
        </p>
      )}
      {p?.auditHeldBack && (
        <p className="callout callout-warn" role="note">
          No audit entry would be purged: <VisibleText text={p.auditHeldBack} />
        </p>
      )}
      <p data-testid="preview-held">
        Held back: logs of high-risk and prohibited initiatives' agents younger than {policy.highRiskFloorDays} days
        {p ? ` (${fmtNumber(p.held.highRiskCount)} agents)` : ''}, and data of agents linked to an incident that is not closed
        {p ? ` (${fmtNumber(p.held.incidentCount)} agents)` : ''}. What arrives, opens or closes before you confirm can change the
        counts; the purge's own are shown after it and recorded in the audit log.
      </p>
    </>
  );
}
