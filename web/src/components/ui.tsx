// The console's building blocks: page header, cards, status pills, empty and error states.
import { type ReactNode, useId } from 'react';
import { ApiError } from '../lib/api';
import { titleCase } from '../lib/format';
import { VisibleText, visibleString } from './visible-text';

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

export function Card({
  title,
  subtitle,
  children,
  actions,
  className = '',
  id,
}: {
  title?: ReactNode;
  subtitle?: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
  className?: string;
  id?: string;
}) {
  return (
    <section className={`card ${className}`} id={id} aria-label={typeof title === 'string' ? visibleString(title) : undefined}>
      {(title || actions) && (
        <div className="card-head">
          <div>
            {title && <h2>{title}</h2>}
            {subtitle && <p className="card-sub">{subtitle}</p>}
          </div>
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

export type Tone = 'good' | 'warn' | 'bad' | 'neutral' | 'info';

const TONES: Record<string, Tone> = {
  pass: 'good',
  scale: 'good',
  allow: 'good',
  approved: 'good',
  active: 'good',
  measured: 'good',
  resolved: 'good',
  closed: 'neutral',
  partial: 'warn',
  'at-risk': 'warn',
  approval_required: 'warn',
  pending: 'warn',
  open: 'warn',
  mitigated: 'info',
  'self-reported': 'info',
  monitor: 'info',
  assumed: 'neutral',
  fail: 'bad',
  deny: 'bad',
  denied: 'bad',
  suspended: 'bad',
  rejected: 'bad',
  expired: 'neutral',
  revoked: 'neutral',
  used: 'neutral',
  unknown: 'neutral',
  enforce: 'neutral',
  retired: 'neutral',
};

export function toneOf(value: string): Tone {
  return TONES[value] ?? 'neutral';
}

export function Pill({ value, tone, label }: { value: string; tone?: Tone; label?: string }) {
  return <span className={`pill pill-${tone ?? toneOf(value)}`}>{label ?? titleCase(value)}</span>;
}

const RISK_TONE: Record<string, Tone> = { minimal: 'neutral', low: 'info', medium: 'warn', high: 'bad', prohibited: 'bad' };
export function RiskPill({ tier }: { tier: string | undefined }) {
  if (!tier) return <span className="pill pill-outline">Untiered</span>;
  return <span className={`pill pill-${RISK_TONE[tier] ?? 'neutral'}`}>{titleCase(tier)}</span>;
}

/** Where a number comes from, always next to it: measured, self-reported or assumed. */
export function Provenance({ value }: { value: string }) {
  const title =
    value === 'measured'
      ? 'Measured from telemetry'
      : value === 'self-reported'
        ? 'Reported by the team or agent, not measured'
        : value === 'assumed'
          ? 'Rests on a stated assumption (e.g. value per unit)'
          : 'No value yet';
  return (
    <span className={`prov prov-${value}`} title={title}>
      {value === 'none' ? 'no data' : value}
    </span>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty" role="status">
      <p className="empty-title">{title}</p>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}

export function ErrorNote({ error }: { error: Error }) {
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <div className="error-note" role="alert">
      <strong>{forbidden ? 'Not allowed' : 'Could not load this'}</strong>
      {/* A server's message may quote what a caller sent (a name, a model id). */}
      <span>
        <VisibleText text={forbidden ? `Your roles do not allow this view (${error.message}).` : error.message} />
      </span>
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

/** Loading, error or the content: the three states of every panel. */
export function Loaded<T>({
  state,
  children,
}: {
  state: { data?: T; error?: Error; loading: boolean };
  children: (data: T) => ReactNode;
}) {
  if (state.data !== undefined) return <>{children(state.data)}</>;
  if (state.error) return <ErrorNote error={state.error} />;
  return <Loading />;
}

export function Stat({ label, value, hint, tone }: { label: string; value: ReactNode; hint?: ReactNode; tone?: Tone }) {
  return (
    <div className={`stat ${tone ? `stat-${tone}` : ''}`}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {hint && <div className="stat-hint">{hint}</div>}
    </div>
  );
}

/** A progress bar from baseline (0) to target (1); beyond either end is clamped but labelled. */
export function Progress({ value, label }: { value: number | null; label: string }) {
  const pct = value === null ? 0 : Math.max(0, Math.min(1, value)) * 100;
  const tone = value === null ? 'neutral' : value >= 1 ? 'good' : value >= 0.5 ? 'info' : value >= 0 ? 'warn' : 'bad';
  return (
    <div
      className={`progress progress-${tone}`}
      role="progressbar"
      aria-label={visibleString(label)}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(pct)}
    >
      <span style={{ width: `${pct}%` }} />
    </div>
  );
}

/** A labelled form control; the label points at the control by id, so its name is the label alone. */
export function Field({
  label,
  className = '',
  children,
}: {
  label: string;
  className?: string;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className={`field ${className}`}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}
