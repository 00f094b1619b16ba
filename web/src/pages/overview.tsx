// Overview: the board's question answered in ten seconds: scaling or failing, why, and the money.
import { useState } from 'react';
import type { GetResult } from '../../../src/client/index';
import { Sparkline } from '../components/sparkline';
import { Card, Empty, Loaded, PageHeader, Pill, Progress, Provenance, type Tone, toneOf } from '../components/ui';
import { VisibleText } from '../components/visible-text';
import { ok } from '../lib/api';
import { fmtDate, fmtDateTime, fmtMetric, fmtMoney, fmtPercent, titleCase } from '../lib/format';
import { type Alignment, loadCurrentBudget, loadOutcomes, loadPortfolio } from '../lib/portfolio';
import { Link } from '../lib/router';
import { useLoad } from '../lib/use-api';
import { Attention } from './overview-attention';

type Diagnostic = GetResult<'/v1/diagnostic'>;

const VERDICT: Record<Diagnostic['verdict'], { label: string; line: string }> = {
  scale: { label: 'Scaling', line: 'Every area is in place to scale AI across the enterprise.' },
  'at-risk': { label: 'At risk', line: 'AI is delivering in places, but gaps below stand in the way of scaling.' },
  fail: { label: 'Failing', line: 'Foundations are missing: AI is not on a path to scale.' },
};

const AREA_TITLES: Record<string, string> = {
  outcomes: 'Outcomes',
  agents: 'Agents',
  'data-infrastructure': 'Data & infrastructure',
  governance: 'Governance',
  'operating-model': 'Operating model',
  budget: 'Budget',
};

export function OverviewPage() {
  const diagnostic = useLoad((api) => ok(api.GET('/v1/diagnostic')), []);
  return (
    <>
      <PageHeader
        title="Are we scaling or failing?"
        subtitle={
          diagnostic.data
            ? `From live evidence, ${fmtDate(diagnostic.data.window.from)} – ${fmtDate(diagnostic.data.window.to)} · updated ${fmtDateTime(diagnostic.data.generatedAt)}`
            : 'The scale-or-fail diagnostic, from live evidence'
        }
      />
      <Loaded state={diagnostic}>{(d) => <Verdict d={d} />}</Loaded>
      <div className="grid-2">
        <HeadlineOutcomes />
        <div className="stack">
          <SpendVsBudget />
          <Attention />
        </div>
      </div>
    </>
  );
}

function Verdict({ d }: { d: Diagnostic }) {
  const v = VERDICT[d.verdict];
  const count = (s: string) => d.areas.filter((a) => a.status === s).length;
  return (
    <>
      <section className={`verdict verdict-${toneOf(d.verdict)}`} aria-label="Verdict">
        <div className="verdict-main">
          <span className="verdict-kicker">Verdict</span>
          <span className="verdict-label">{v.label}</span>
          <p>{v.line}</p>
        </div>
        <dl className="verdict-counts">
          {(['pass', 'partial', 'fail', 'unknown'] as const).map((s) => (
            <div key={s} className={`count count-${toneOf(s)}`}>
              <dt>{titleCase(s)}</dt>
              <dd>{count(s)}</dd>
            </div>
          ))}
        </dl>
      </section>
      <h2 className="section-title">Scorecard: six areas</h2>
      <div className="scorecard">
        {d.areas.map((a) => (
          <AreaCard key={a.area} area={a} />
        ))}
      </div>
    </>
  );
}

function AreaCard({ area }: { area: Diagnostic['areas'][number] }) {
  const [open, setOpen] = useState(false);
  const tone: Tone = toneOf(area.status);
  const id = `evidence-${area.area}`;
  return (
    <article className={`area area-${tone} ${open ? 'area-open' : ''}`}>
      <div className="area-head">
        <h3>{AREA_TITLES[area.area] ?? titleCase(area.area)}</h3>
        <Pill value={area.status} />
      </div>
      <p className="area-question">
        <VisibleText text={area.question} />
      </p>
      <p className="area-action">
        <span className="muted">{area.status === 'pass' ? 'In place: ' : 'Next step: '}</span>
        <VisibleText text={area.action} />
      </p>
      {area.why && (
        <p className="area-why">
          <VisibleText text={area.why} />
        </p>
      )}
      <button type="button" className="link-button" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
        {open ? 'Hide evidence' : `Show evidence (${area.evidence.length})`}
      </button>
      <dl className="evidence" id={id} aria-label={`Evidence for ${area.area}`}>
        {area.evidence.map((e) => (
          <div key={e.label}>
            <dt>
              <VisibleText text={e.label} />
            </dt>
            <dd>
              <VisibleText text={String(e.value)} />
            </dd>
          </div>
        ))}
      </dl>
    </article>
  );
}

function HeadlineOutcomes() {
  const state = useLoad(async (api) => {
    const portfolio = await loadPortfolio(api);
    const outcomes = await loadOutcomes(api, portfolio);
    // One line per initiative: its first declared outcome that has a value (the primary one), in the
    // portfolio's order (most mature first). Not the best-looking metrics: a headline should not cherry-pick.
    const rows = portfolio.initiatives.flatMap((i) => {
      const m = outcomes.get(i.name)?.metrics.find((x) => x.current !== null);
      return m ? [{ initiative: i.name, title: i.title, m }] : [];
    });
    const declared = [...outcomes.values()].reduce((n, o) => n + o.metrics.length, 0);
    return { rows: rows.slice(0, 6), more: Math.max(0, rows.length - 6), declared };
  }, []);
  return (
    <Card
      title="Headline outcomes"
      subtitle="Each initiative's primary outcome, last 30 days"
      actions={<Link href="/portfolio">Portfolio →</Link>}
    >
      <Loaded state={state}>
        {({ rows, more, declared }) =>
          rows.length === 0 ? (
            <Empty title="No outcome has a value yet">
              {declared > 0
                ? `${declared} outcome metrics are declared on active initiatives, but none has been measured in the last 30 days. Point agents' telemetry at Fulcrum or record self-reported values.`
                : 'No active initiative declares an outcome metric.'}
            </Empty>
          ) : (
            <ul className="outcome-list">
              {rows.map(({ initiative, title, m }) => (
                <li key={`${initiative}/${m.name}`}>
                  <div className="outcome-top">
                    <div>
                      <div className="outcome-name">
                        <VisibleText text={m.name} />
                      </div>
                      <div className="muted small">
                        <VisibleText text={title} />
                      </div>
                    </div>
                    <div className="outcome-spark">
                      <Sparkline series={m.series} unit={m.unit} target={m.target} label={m.name} />
                    </div>
                  </div>
                  <div className="outcome-nums">
                    <span>
                      <strong>{fmtMetric(m.current, m.unit)}</strong> <Provenance value={m.provenance} />
                    </span>
                    <span className="muted small">
                      baseline {fmtMetric(m.baseline.value, m.unit)} → target {fmtMetric(m.target, m.unit)}
                    </span>
                  </div>
                  <Progress value={m.progress} label={`${m.name}: progress from baseline to target`} />
                </li>
              ))}
              {more > 0 && (
                <li className="muted small">
                  and {more} more initiative{more === 1 ? '' : 's'} with measured outcomes: see the{' '}
                  <Link href="/portfolio">portfolio</Link>
                </li>
              )}
            </ul>
          )
        }
      </Loaded>
    </Card>
  );
}

function SpendVsBudget() {
  const state = useLoad((api) => loadCurrentBudget(api), []);
  return (
    <Card
      title="Spend against budget"
      subtitle="Actual to date against the allocation pro-rated to today"
      actions={<Link href="/budget">Budget →</Link>}
    >
      <Loaded state={state}>
        {(b) =>
          b ? (
            <BudgetSummary a={b.alignment} />
          ) : (
            <Empty title="No budget on the register">Add a Budget descriptor to compare spend with its allocation.</Empty>
          )
        }
      </Loaded>
    </Card>
  );
}

function BudgetSummary({ a }: { a: Alignment }) {
  const allocated = a.categories.reduce((s, c) => s + c.allocated, 0);
  const proRated = a.categories.reduce((s, c) => s + c.proRated, 0);
  const deviation = proRated > 0 ? a.total / proRated - 1 : null;
  const max = Math.max(allocated, a.total) || 1;
  const over = a.categories.filter((c) => (c.deviation ?? 0) > 0.1);
  const under = a.categories.filter((c) => (c.deviation ?? 0) < -0.25);
  return (
    <div className="budget-summary">
      <div className="budget-figures">
        <div>
          <div className="stat-label">Spent</div>
          <div className="stat-value">{fmtMoney(a.total, a.currency, true)}</div>
        </div>
        <div>
          <div className="stat-label">Expected by today</div>
          <div className="stat-value">{fmtMoney(proRated, a.currency, true)}</div>
        </div>
        <div>
          <div className="stat-label">Allocated ({a.budget})</div>
          <div className="stat-value">{fmtMoney(allocated, a.currency, true)}</div>
        </div>
      </div>
      <div
        className="budget-bar"
        role="img"
        aria-label={`Spent ${fmtMoney(a.total, a.currency)} of ${fmtMoney(allocated, a.currency)}; ${fmtPercent(a.elapsed)} of the period elapsed`}
      >
        <span className="budget-bar-fill" style={{ width: `${(a.total / max) * 100}%` }} />
        <span className="budget-bar-marker" style={{ left: `${(proRated / max) * 100}%` }} title="expected by today" />
      </div>
      <p className="small muted">
        {fmtPercent(a.elapsed)} of {fmtDate(a.period.from)} – {fmtDate(a.period.to)} elapsed ·{' '}
        {deviation === null ? '' : `${deviation >= 0 ? '+' : ''}${fmtPercent(deviation, 1)} against plan`}
      </p>
      <ul className="budget-flags">
        {over.map((c) => (
          <li key={c.category} className="flag flag-bad">
            {titleCase(c.category)} over plan by {fmtPercent(c.deviation, 0)}
          </li>
        ))}
        {under.map((c) => (
          <li key={c.category} className="flag flag-warn">
            {titleCase(c.category)} under plan by {fmtPercent(Math.abs(c.deviation ?? 0), 0)}
          </li>
        ))}
        {a.spendWithoutOutcomes.total > 0 && (
          <li className="flag flag-warn">
            {fmtMoney(a.spendWithoutOutcomes.total, a.currency)} spent on initiatives without an outcome metric
          </li>
        )}
        {a.spendOnStalledPilots.map((s) => (
          <li key={s.initiative} className="flag flag-warn">
            {fmtMoney(s.amount, a.currency)} on the stalled pilot {s.initiative}
          </li>
        ))}
      </ul>
    </div>
  );
}
