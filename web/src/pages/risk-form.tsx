// Assess an initiative's risk (POST /v1/initiatives/<n>/risk-assessment) from the questionnaire the
// server serves (GET /v1/risk-questionnaire): every question answered yes or no, the Art. 5 practices
// ticked that apply, notes. Offered to who holds `risk.assess` and does not own the initiative (the
// server also refuses a past owner, and says so); nothing is pre-answered, so each answer is given on
// purpose, and an unanswered question is the server's to name.
import { type FormEvent, useState } from 'react';
import { VisibleText } from '../components/visible-text';
import { can, ok, type Whoami } from '../lib/api';
import { useSession } from '../lib/use-api';

/** Whether to offer the form: the permission, and not the initiative's owner (separation of duties). */
export function mayAssess(me: Whoami, owner: string | undefined): boolean {
  return can(me, 'risk.assess') && !(me.type === 'person' && me.id === owner);
}

type Answer = 'yes' | 'no' | undefined;

export function RiskForm({
  name,
  questions,
  practices,
  onAssessed,
}: {
  name: string;
  questions: Record<string, string>;
  practices: Record<string, string>;
  onAssessed(): void;
}) {
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [ticked, setTicked] = useState<string[]>([]);
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const unanswered = Object.keys(questions).filter((q) => answers[q] === undefined).length;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      // Only what was answered is sent: the server names any question left open.
      const sent: Record<string, unknown> = { prohibitedPractices: ticked };
      for (const [q, a] of Object.entries(answers)) if (a) sent[q] = a === 'yes';
      const a = await ok(
        api.POST('/v1/initiatives/{name}/risk-assessment', {
          params: { path: { name } },
          body: { answers: sent, ...(notes.trim() ? { notes } : {}) },
        }),
      );
      setDone(`Assessed: ${a.tier} (version ${a.version}).${a.warning ? ` ${a.warning}` : ''}`);
      setOpen(false);
      setAnswers({});
      setTicked([]);
      setNotes('');
      onAssessed();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!open)
    return (
      <div className="approval-actions">
        <button type="button" className="btn" onClick={() => setOpen(true)}>
          Assess risk…
        </button>
        {done && (
          <p className="small" role="status">
            <VisibleText text={done} />
          </p>
        )}
      </div>
    );
  return (
    <form data-testid="risk-form" onSubmit={submit} noValidate>
      {Object.entries(questions).map(([q, text]) => (
        <fieldset key={q} className="risk-question">
          <legend className="small">
            <VisibleText text={text} />
          </legend>
          {(['yes', 'no'] as const).map((v) => (
            <label key={v} className="small">
              <input
                type="radio"
                name={`risk-${q}`}
                value={v}
                checked={answers[q] === v}
                onChange={() => setAnswers((s) => ({ ...s, [q]: v }))}
              />{' '}
              {v === 'yes' ? 'Yes' : 'No'}
            </label>
          ))}
        </fieldset>
      ))}
      <fieldset className="risk-question">
        <legend className="small">Prohibited practices (EU AI Act Art. 5) it uses, if any</legend>
        {Object.entries(practices).map(([p, text]) => (
          <label key={p} className="small risk-practice">
            <input
              type="checkbox"
              checked={ticked.includes(p)}
              onChange={(e) => setTicked((s) => (e.target.checked ? [...s, p] : s.filter((x) => x !== p)))}
            />{' '}
            <VisibleText text={text} />
          </label>
        ))}
      </fieldset>
      <label className="small" htmlFor="risk-notes">
        Notes
      </label>
      <textarea id="risk-notes" value={notes} maxLength={10_000} rows={3} onChange={(e) => setNotes(e.target.value)} />
      <div className="approval-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Assessing…' : 'Record assessment'}
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)} disabled={busy}>
          Cancel
        </button>
        {unanswered > 0 && <span className="small muted field-hint">{unanswered} question(s) not answered yet</span>}
      </div>
      {error && (
        <p className="form-error" role="alert">
          <VisibleText text={error} />
        </p>
      )}
    </form>
  );
}
