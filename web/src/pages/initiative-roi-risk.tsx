// An initiative's ROI over the last 30 days (each number with where it comes from, and why it cannot
// be computed when it cannot) and its risk assessments (the tier in force first, then the history), with
// a form to assess it for who may (risk-form.tsx).
import type { GetResult } from '../../../src/client/index';
import { Table } from '../components/table';
import { Card, Loaded, Provenance, RiskPill } from '../components/ui';
import { VisibleText } from '../components/visible-text';
import { ok } from '../lib/api';
import { fmtDate, fmtDateTime, fmtMoney, fmtNumber, fmtPercent, who } from '../lib/format';
import { useLoad, useSession } from '../lib/use-api';
import { mayAssess, RiskForm } from './risk-form';

type Roi = GetResult<'/v1/initiatives/{name}/roi'>;

/** Why the API's ROI is null (its own rule: no cost, an incomplete cost, or no outcome valued). */
function whyNoRoi(r: Roi): string[] {
  const why: string[] = [];
  if (r.value.items.length === 0) why.push('no outcome is valued (none states a value per unit, or none is measured)');
  if (r.cost.incomplete.length > 0) why.push('the cost is incomplete');
  if (r.cost.total === 0 && r.cost.incomplete.length === 0) why.push('no cost is recorded to set the value against');
  return why;
}

export function RoiCard({ name }: { name: string }) {
  const state = useLoad((api) => ok(api.GET('/v1/initiatives/{name}/roi', { params: { path: { name } } })), [name]);
  return (
    <Card title="ROI, last 30 days" subtitle="(value − cost) ÷ cost, each number labelled with where it comes from" id="roi">
      <Loaded state={state}>
        {(r) => (
          <div data-testid="roi">
            {r.roi === null ? (
              <div className="callout callout-info" role="note">
                <strong>ROI cannot be computed.</strong> {whyNoRoi(r).join('; ') || 'the server gave none'}.
              </div>
            ) : (
              <p>
                <span className="roi-value">{fmtPercent(r.roi)}</span> <Provenance value={r.provenance} />
              </p>
            )}
            <h3 className="small">
              Value {r.value.items.length > 0 ? fmtMoney(r.value.total) : 'not valued'}{' '}
              {r.value.items.length > 0 && <Provenance value={r.value.provenance} />}
            </h3>
            {r.value.items.length > 0 && (
              <ul className="plain-list small">
                {r.value.items.map((v) => (
                  <li key={v.metric}>
                    <VisibleText text={v.metric} />: {fmtNumber(v.improvement, 2)} <VisibleText text={v.unit} /> better (
                    {v.improvementProvenance}) × {fmtMoney(v.valuePerUnit)} (assumed) = {fmtMoney(v.value)}
                  </li>
                ))}
              </ul>
            )}
            {r.value.notValued.length > 0 && (
              <ul className="plain-list small muted">
                {r.value.notValued.map((n) => (
                  <li key={n.metric}>
                    <VisibleText text={n.metric} />: not valued, <VisibleText text={n.why} />
                  </li>
                ))}
              </ul>
            )}
            <h3 className="small">
              {r.cost.total === 0 && r.cost.incomplete.length === 0
                ? 'Cost: none recorded'
                : `Cost ${r.cost.incomplete.length > 0 ? 'at least ' : ''}${fmtMoney(r.cost.total)}`}
            </h3>
            <ul className="plain-list small">
              {r.cost.items.map((c) => (
                <li key={c.source}>
                  <VisibleText text={c.source} />: {fmtMoney(c.amountUsd)} <Provenance value={c.provenance} />
                </li>
              ))}
              {r.cost.incomplete.map((what) => (
                <li key={what} className="muted">
                  left out: <VisibleText text={what} />
                </li>
              ))}
            </ul>
          </div>
        )}
      </Loaded>
    </Card>
  );
}

export function RiskCard({ name, declared, owner }: { name: string; declared: string | undefined; owner: string | undefined }) {
  const { me } = useSession();
  const state = useLoad(
    async (api) => {
      const [history, questionnaire] = await Promise.all([
        ok(api.GET('/v1/initiatives/{name}/risk-assessments', { params: { path: { name } } })),
        ok(api.GET('/v1/risk-questionnaire')),
      ]);
      return {
        items: history.items,
        questions: questionnaire.questions as Record<string, string>,
        practices: questionnaire.prohibitedPractices as Record<string, string>,
      };
    },
    [name],
  );
  return (
    <Card title="Risk assessment" subtitle="The latest assessment is the tier in force" id="risk">
      <Loaded state={state}>
        {({ items, questions, practices }) => {
          const [now, ...before] = items;
          const form = mayAssess(me, owner) && (
            <RiskForm name={name} questions={questions} practices={practices} onAssessed={state.reload} />
          );
          // The form stays the second child whichever comes first, so what it said outlives the reload.
          if (!now)
            return (
              <>
                <div className="callout callout-warn" role="note" data-testid="risk">
                  <strong>Not assessed.</strong>{' '}
                  {declared
                    ? `The descriptor declares the tier ${declared}: a declaration, not an assessment.`
                    : 'No tier is declared either: the risk of this initiative is unknown.'}
                </div>
                {form}
              </>
            );
          const yes = Object.entries(now.answers).filter(([k, v]) => k !== 'prohibitedPractices' && v === true);
          return (
            <>
              <div data-testid="risk">
                <p>
                  <RiskPill tier={now.tier} /> version {fmtNumber(now.version)}, by {who(now.assessedBy)} on{' '}
                  {fmtDateTime(now.assessedAt)}
                </p>
                {now.warning && (
                  <p className="callout callout-bad small" role="note">
                    <VisibleText text={now.warning} />
                  </p>
                )}
                <ul className="plain-list small">
                  {now.reasons.map((r) => (
                    <li key={r}>
                      <VisibleText text={r} />
                    </li>
                  ))}
                </ul>
                <p className="small">
                  <span className="muted">Answered yes:</span>{' '}
                  {yes.length === 0 ? 'none' : yes.map(([k]) => questions[k] ?? k).join(' · ')}
                  {now.answers.prohibitedPractices.length > 0 && (
                    <>
                      {' '}
                      <span className="muted">Prohibited practices:</span> {now.answers.prohibitedPractices.join(', ')}
                    </>
                  )}
                </p>
                {now.notes && (
                  <p className="small">
                    <span className="muted">Notes:</span> <VisibleText text={now.notes} />
                  </p>
                )}
                {before.length > 0 && (
                  <Table columns={['Version', 'Tier', 'By', 'On']} testId="risk-history">
                    {before.map((a) => (
                      <tr key={a.version}>
                        <td>{fmtNumber(a.version)}</td>
                        <td>
                          <RiskPill tier={a.tier} />
                        </td>
                        <td>{who(a.assessedBy)}</td>
                        <td className="nowrap">{fmtDate(a.assessedAt)}</td>
                      </tr>
                    ))}
                  </Table>
                )}
              </div>
              {form}
            </>
          );
        }}
      </Loaded>
    </Card>
  );
}
