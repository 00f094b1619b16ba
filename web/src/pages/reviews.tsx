// Reviews: stage promotions waiting for sign-offs (the roles the initiative's risk tier needs), and
// signing off in a role you hold.
import { useState } from 'react';
import type { GetResult } from '../../../src/client/index';
import { Table } from '../components/table';
import { Card, Empty, Field, Loaded, PageHeader, Pill, RiskPill } from '../components/ui';
import { VisibleText } from '../components/visible-text';
import { ok } from '../lib/api';
import { fmtDateTime, titleCase, who } from '../lib/format';
import { loadPortfolio } from '../lib/portfolio';
import { useLoad, useSession } from '../lib/use-api';

type Review = GetResult<'/v1/reviews'>['items'][number];

export function ReviewsPage() {
  const state = useLoad(async (api) => {
    const [reviews, portfolio] = await Promise.all([
      ok(api.GET('/v1/reviews', { params: { query: { limit: 200 } } })),
      loadPortfolio(api),
    ]);
    const owners = new Map(portfolio.initiatives.map((i) => [i.name, i.owner]));
    return { items: reviews.items, owners };
  }, []);
  return (
    <>
      <PageHeader title="Reviews" subtitle="Stage promotions and the sign-offs each one needs before the stage moves." />
      <Loaded state={state}>
        {(d) => {
          const open = d.items.filter((r) => r.status === 'open');
          const closed = d.items.filter((r) => r.status !== 'open');
          return (
            <>
              <Card title="Waiting for sign-off" subtitle={`${open.length} open`}>
                {open.length === 0 ? (
                  <Empty title="No review is open">
                    An initiative's owner asks for a promotion with <code>POST /v1/initiatives/&lt;name&gt;/promotions</code>.
                  </Empty>
                ) : (
                  <div className="review-list">
                    {open.map((r) => (
                      <ReviewCard key={r.id} r={r} owner={d.owners.get(r.initiative)} onDone={state.reload} />
                    ))}
                  </div>
                )}
              </Card>
              <Card title="Decided">
                {closed.length === 0 ? (
                  <Empty title="No review has been decided yet" />
                ) : (
                  <Table columns={['Initiative', 'Promotion', 'Outcome', 'Sign-offs', 'Closed']}>
                    {closed.map((r) => (
                      <tr key={r.id}>
                        <td>{r.initiative}</td>
                        <td>
                          {r.from} → {r.to}
                        </td>
                        <td>
                          <Pill value={r.status} />
                        </td>
                        <td className="small">
                          {r.signOffs.map((s) => `${s.role}: ${who(s.person)} (${s.decision})`).join('; ')}
                        </td>
                        <td className="nowrap">{fmtDateTime(r.closedAt)}</td>
                      </tr>
                    ))}
                  </Table>
                )}
              </Card>
            </>
          );
        }}
      </Loaded>
    </>
  );
}

function ReviewCard({ r, owner, onDone }: { r: Review; owner: string | undefined; onDone(): void }) {
  const { api, me } = useSession();
  // The roles this person may sign in, by the server's rule: "owner" is the initiative's owner, the
  // others are roles held; the admin token may sign any. Separation of duties: the initiative's owner
  // signs as owner only, and one person signs a review once (both were offered, and refused).
  const owns = me.type === 'person' && me.id === owner;
  const signed = r.signOffs.some((s) => s.person === `person:${me.id}`);
  const mine = r.pending.filter(
    (role) => me.type === 'admin' || (!signed && (role === 'owner' ? owns : !owns && me.roles?.some((held) => held === role))),
  );
  // The role chosen, while the list still offers it: after a sign-off the list is shorter, and the role
  // just signed (still chosen, though the list showed another) was sent again and refused.
  const [chosen, setRole] = useState(mine[0] ?? '');
  const role = mine.includes(chosen) ? chosen : (mine[0] ?? '');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const sign = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    setError(null);
    try {
      await ok(
        api.POST('/v1/reviews/{id}/sign-offs', {
          params: { path: { id: r.id } },
          body: { role, decision, ...(comment.trim() ? { comment: comment.trim() } : {}) },
        }),
      );
      // The card stays for the roles still to sign (the admin token signs them all): ready for the next.
      setComment('');
      onDone();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <article className="review">
      <div className="review-head">
        <div>
          <h3>
            {r.initiative}: {titleCase(r.from)} → {titleCase(r.to)}
          </h3>
          <div className="muted small">
            {r.id} · opened by {who(r.openedBy)} {fmtDateTime(r.openedAt)}
          </div>
        </div>
        <RiskPill tier={r.tier ?? undefined} />
      </div>
      <ul className="signoffs" aria-label="Sign-offs">
        {r.required.map((role) => {
          const s = r.signOffs.find((x) => x.role === role);
          return (
            <li key={role} className={s ? `signed signed-${s.decision}` : 'unsigned'}>
              <span className="strong">{role}</span>
              {s ? (
                <span>
                  {s.decision === 'approve' ? 'approved' : 'rejected'} by {who(s.person)}
                  {s.comment && (
                    <>
                      : “<VisibleText text={s.comment} />”
                    </>
                  )}
                </span>
              ) : (
                <span className="muted">waiting</span>
              )}
            </li>
          );
        })}
      </ul>
      {mine.length > 0 && (
        <div className="approval-actions">
          <Field label="Sign as">
            {(id) => (
              <select id={id} value={role} onChange={(e) => setRole(e.target.value)}>
                {mine.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            )}
          </Field>
          <label className="field grow">
            <span>Comment</span>
            <input value={comment} onChange={(e) => setComment(e.target.value)} maxLength={10_000} />
          </label>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => sign('approve')}>
            Approve
          </button>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => sign('reject')}>
            Reject
          </button>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}
