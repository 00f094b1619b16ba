// Plan: what to do next with each initiative (scale, fix then scale, keep going, stop) with the
// blockers and who clears them, the four-quarter roadmap within budget and compute, and the model mix.

import type { GetResult } from '../../../src/client/index';
import { Table } from '../components/table';
import { Card, Empty, Loaded, PageHeader, Pill, Provenance, Stat, type Tone } from '../components/ui';
import { VisibleText, visibleString } from '../components/visible-text';
import { ok } from '../lib/api';
import { fmtMoney, fmtNumber, fmtPercent } from '../lib/format';
import { useLoad } from '../lib/use-api';

type PlanInitiative = GetResult<'/v1/plan'>['initiatives'][number];

const CALL: Record<PlanInitiative['recommendation'], { label: string; tone: Tone }> = {
  scale: { label: 'Scale', tone: 'good' },
  'fix-then-scale': { label: 'Fix, then scale', tone: 'warn' },
  continue: { label: 'Keep going', tone: 'info' },
  stop: { label: 'Stop', tone: 'bad' },
};

export function PlanPage() {
  const state = useLoad((api) => ok(api.GET('/v1/plan')), []);
  return (
    <>
      <PageHeader
        title="Plan"
        subtitle="Which initiatives to scale next, fix, keep going or stop, and the model mix that pays: from live evidence, by the rules in docs/insight.md."
      />
      <Loaded state={state}>
        {(p) => {
          if (p.initiatives.length === 0)
            return (
              <Card>
                <Empty title="No active initiatives">
                  The plan covers initiatives in pilot, production or scaled. Add one to the register to see it here.
                </Empty>
              </Card>
            );
          const count = (r: PlanInitiative['recommendation']) => p.initiatives.filter((i) => i.recommendation === r).length;
          const switches = p.modelMix.filter((m) => m.verdict === 'switch');
          return (
            <>
              <div className="stats">
                <Stat label="Scale" value={count('scale')} tone="good" />
                <Stat label="Fix, then scale" value={count('fix-then-scale')} tone="warn" />
                <Stat label="Keep going" value={count('continue')} />
                <Stat label="Stop" value={count('stop')} tone={count('stop') ? 'bad' : undefined} />
                <Stat
                  label="Model switches"
                  value={switches.length}
                  hint={
                    switches.length
                      ? `${fmtMoney(
                          switches.reduce((s, m) => s + (m.annualSavingUsd ?? 0), 0),
                          'USD',
                          true,
                        )} a year`
                      : 'none supported by the evidence yet'
                  }
                />
              </div>
              <Card title="Initiatives" subtitle={`Evidence from ${p.window.from} to ${p.window.to}`}>
                <Table columns={['Initiative', 'Call', 'Why', 'Blockers: what clears them, who']}>
                  {p.initiatives.map((i) => (
                    <tr key={i.name}>
                      <td>
                        <span className="strong">
                          <VisibleText text={i.title} />
                        </span>
                        <div className="muted">
                          {i.name} · {i.stage} · {i.owner}
                        </div>
                      </td>
                      <td>
                        <Pill value={i.recommendation} tone={CALL[i.recommendation].tone} label={CALL[i.recommendation].label} />
                      </td>
                      <td>
                        <VisibleText text={i.reason} />
                      </td>
                      <td>
                        {i.blockers.length === 0 ? (
                          <span className="muted">none</span>
                        ) : (
                          <ul className="plain-list">
                            {i.blockers.map((b) => (
                              <li key={`${b.gap}:${b.detail}`}>
                                <VisibleText text={b.detail} />
                                <div className="muted">
                                  → {b.action} ({b.owner}
                                  {b.people?.length ? `: ${b.people.join(', ')}` : ''})
                                </div>
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  ))}
                </Table>
              </Card>
              <Card
                title="Roadmap"
                subtitle={`Next four quarters: ${p.quarters.map((q) => `${q.label} (${q.budget ?? 'no budget'}${q.budgetProvenance === 'assumed' ? ', carried forward' : ''})`).join(', ')}`}
              >
                {p.roadmap.length === 0 ? (
                  <Empty title="Nothing to scale or retire yet">No initiative is ready to scale or due to stop.</Empty>
                ) : (
                  <Table
                    columns={[
                      'When',
                      'Initiative',
                      { label: 'Tasks a month (now → at scale)', num: true },
                      { label: 'Value a year', num: true },
                      { label: 'Cost a year', num: true },
                      'Constraints and notes',
                    ]}
                  >
                    {p.roadmap.map((e) => (
                      <tr key={`${e.action}:${e.initiative}`}>
                        <td>
                          {e.status === 'waits' ? (
                            <Pill value="waits" tone="bad" label="Waits" />
                          ) : (
                            <span className="strong">{e.quarter}</span>
                          )}
                        </td>
                        <td>
                          {e.action === 'retire' ? 'Retire ' : 'Scale '}
                          <span className="strong">{e.initiative}</span>
                        </td>
                        <td className="num">
                          {fmtNumber(e.volume.now)} → {fmtNumber(e.volume.atScale)}
                          <div className="muted">{e.volume.basis}</div>
                        </td>
                        <td className="num">
                          {e.value.annualUsd === null ? (
                            <span title={e.value.why && visibleString(e.value.why)}>unmeasured</span>
                          ) : (
                            fmtMoney(e.value.annualUsd, 'USD', true)
                          )}{' '}
                          <Provenance value={e.value.provenance} />
                        </td>
                        <td className="num">
                          {e.cost.annualUsd === null ? (
                            <span title={e.cost.why && visibleString(e.cost.why)}>unmeasured</span>
                          ) : (
                            fmtMoney(e.cost.annualUsd, 'USD', true)
                          )}{' '}
                          <Provenance value={e.cost.provenance} />
                        </td>
                        <td>
                          <ul className="plain-list">
                            {e.shortfalls.map((s) => (
                              <li key={`${s.kind}:${s.what}`} className="text-bad">
                                {s.kind === 'compute' ? 'Pool' : 'Budget'} {s.what} short by {fmtNumber(s.missing, 2)}{' '}
                                <VisibleText text={s.unit} /> in {s.quarter}
                              </li>
                            ))}
                            {e.notes.map((n) => (
                              <li key={n} className="muted">
                                <VisibleText text={n} />
                              </li>
                            ))}
                          </ul>
                        </td>
                      </tr>
                    ))}
                  </Table>
                )}
                <details>
                  <summary>Assumptions</summary>
                  <ul className="plain-list">
                    {p.assumptions.map((a) => (
                      <li key={a}>
                        <VisibleText text={a} />
                      </li>
                    ))}
                  </ul>
                </details>
              </Card>
              <Card
                title="Model mix"
                subtitle="Per initiative and archetype: tasks joined to the model that did them, from spans"
              >
                <Table
                  columns={[
                    'Initiative / archetype',
                    'Model',
                    'Class',
                    { label: 'Tasks', num: true },
                    { label: 'Success', num: true },
                    { label: 'Cost per success', num: true },
                  ]}
                >
                  {p.modelUsage.flatMap((g) =>
                    (g.models.length ? g.models : [null]).map((m, k) => (
                      <tr key={`${g.initiative}:${g.archetype}:${m?.model ?? 'none'}`}>
                        <td>
                          {k === 0 && (
                            <>
                              <span className="strong">{g.initiative}</span>
                              <div className="muted">{g.archetype ?? 'ad hoc'}</div>
                            </>
                          )}
                        </td>
                        <td>{m ? <VisibleText text={m.model} /> : <span className="muted">no task joined to a model</span>}</td>
                        <td>{m?.capabilityClass}</td>
                        <td className="num">
                          {m ? fmtNumber(m.tasks) : g.eventTasks ? `${fmtNumber(g.eventTasks)} as events` : '—'}
                        </td>
                        <td className="num">{m ? fmtPercent(m.successRate, 1) : '—'}</td>
                        <td className="num">
                          {m?.costPerSuccessfulTaskUsd == null ? '—' : fmtMoney(m.costPerSuccessfulTaskUsd)}
                        </td>
                      </tr>
                    )),
                  )}
                </Table>
                <h3>Switches</h3>
                {p.modelMix.filter((m) => m.verdict !== 'keep').length === 0 ? (
                  <Empty title="No cheaper candidate">No approved, cleared, cheaper model is in question.</Empty>
                ) : (
                  <ul className="plain-list">
                    {p.modelMix
                      .filter((m) => m.verdict !== 'keep')
                      .map((m) => (
                        <li key={`${m.initiative}:${m.from}:${m.to}`}>
                          <Pill value={m.verdict} tone={m.verdict === 'switch' ? 'good' : 'neutral'} />{' '}
                          <span className="strong">{m.initiative}</span>: <VisibleText text={m.from} /> →{' '}
                          <VisibleText text={m.to} />
                          {m.annualSavingUsd !== null && <> saves {fmtMoney(m.annualSavingUsd)} a year</>}.{' '}
                          <VisibleText text={m.reason} />
                        </li>
                      ))}
                  </ul>
                )}
              </Card>
            </>
          );
        }}
      </Loaded>
    </>
  );
}
