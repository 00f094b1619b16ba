// Record a value for one of an initiative's self-reported (manual) outcome metrics
// (POST /v1/initiatives/<n>/measurements). Offered to who the server lets: the initiative's owner,
// platform and admin; the hints here are hints, the server judges the value, and its refusal is shown.
import { type FormEvent, useState } from 'react';
import { Field } from '../components/ui';
import { VisibleText } from '../components/visible-text';
import { can, ok, type Whoami } from '../lib/api';
import { useSession } from '../lib/use-api';

/** Whether the server would let `me` record for an initiative `owner` owns (evidence-service addMeasurement). */
export function mayRecord(me: Whoami, owner: string | undefined): boolean {
  return can(me, 'registry.write') || (me.type === 'person' && me.id === owner);
}

const thisMonth = () => new Date().toISOString().slice(0, 7);

function hint(value: string, period: string): string | null {
  if (value.trim() === '' || !Number.isFinite(Number(value))) return 'a number';
  if (Math.abs(Number(value)) > 1e12) return 'at most 10¹² either way';
  if (!/^\d{4}-\d{2}$/.test(period.trim())) return 'the period is usually a month, YYYY-MM';
  return null;
}

export function MeasurementForm({ name, metrics, onRecorded }: { name: string; metrics: string[]; onRecorded(): void }) {
  const { api } = useSession();
  const [metric, setMetric] = useState(metrics[0] ?? '');
  const [value, setValue] = useState('');
  const [period, setPeriod] = useState(thisMonth);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const h = hint(value, period);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      // A value that is not a number is sent as typed: the server says what is wrong with it.
      const sent = value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : (value as unknown as number);
      const m = await ok(
        api.POST('/v1/initiatives/{name}/measurements', { params: { path: { name } }, body: { metric, value: sent, period } }),
      );
      setDone(`Recorded ${m.value} for ${m.period}.`);
      setValue('');
      onRecorded();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="approval-actions" data-testid="measurement-form" onSubmit={submit} noValidate>
      <Field label="Metric">
        {(id) => (
          <select id={id} value={metric} onChange={(e) => setMetric(e.target.value)}>
            {metrics.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Value">
        {(id) => <input id={id} inputMode="decimal" value={value} maxLength={40} onChange={(e) => setValue(e.target.value)} />}
      </Field>
      <Field label="Period">
        {(id) => <input id={id} value={period} maxLength={100} onChange={(e) => setPeriod(e.target.value)} />}
      </Field>
      <button type="submit" className="btn btn-primary" disabled={busy || !metric}>
        {busy ? 'Recording…' : 'Record measurement'}
      </button>
      {h && <span className="small muted field-hint">{h}</span>}
      {error && (
        <p className="form-error" role="alert">
          <VisibleText text={error} />
        </p>
      )}
      {done && !error && (
        <p className="small" role="status">
          <VisibleText text={done} />
        </p>
      )}
    </form>
  );
}
