// Approvals: the calls waiting for a person, with the exact tool and arguments the approval binds;
// approve or deny with a comment. The queue refreshes every 2 seconds while the tab is visible.
import { useState } from 'react';
import type { GetResult } from '../../../src/client/index';
import { Table } from '../components/table';
import { Card, Empty, Loaded, PageHeader, Pill } from '../components/ui';
import { HiddenCharsWarning, VisibleText } from '../components/visible-text';
import { can, ok, type Whoami } from '../lib/api';
import { fmtDateTime, fmtRelative, who } from '../lib/format';
import { Link } from '../lib/router';
import { useLoad, useSession } from '../lib/use-api';

type Approval = GetResult<'/v1/approvals'>['items'][number];

const POLL_MS = 2000;
/** Pending requests shown at once; one more is asked for to know when there are more. */
const QUEUE = 200;

const STATUS_LABELS: Record<Approval['status'], string> = {
  pending: 'Pending',
  approved: 'Approved',
  used: 'Approved, used',
  denied: 'Denied',
  expired: 'Expired',
  revoked: 'Revoked',
};

export function ApprovalsPage() {
  const { me } = useSession();
  const pending = useLoad(
    (api) => ok(api.GET('/v1/approvals', { params: { query: { status: 'pending', limit: QUEUE + 1 } } })),
    [],
    POLL_MS,
  );
  const recent = useLoad((api) => ok(api.GET('/v1/approvals', { params: { query: { limit: 30 } } })), [], POLL_MS);
  const canDecide = can(me, 'approvals.decide');
  return (
    <>
      <PageHeader
        title="Approvals"
        subtitle={
          <>
            Calls that policy sends to a person. An approval is bound to these exact arguments and usable once.{' '}
            <span className="live" aria-hidden="true" /> Live
          </>
        }
      />
      {!canDecide && <div className="callout callout-info">You can see the queue; deciding needs the approver role.</div>}
      <Loaded state={pending}>
        {(d) =>
          d.items.length === 0 ? (
            <Card>
              <Empty title="Nothing is waiting for a decision">New requests appear here within two seconds.</Empty>
            </Card>
          ) : (
            <div className="queue" aria-live="polite">
              {d.items.length > QUEUE && (
                <p className="callout callout-warn" role="status">
                  More than {QUEUE} calls are waiting: the {QUEUE} newest are shown. Older ones, the nearest to expiring, appear
                  here as these are decided.
                </p>
              )}
              {d.items.slice(0, QUEUE).map((a) => (
                <ApprovalCard
                  key={a.id}
                  a={a}
                  canDecide={canDecide}
                  onDone={() => {
                    pending.reload();
                    recent.reload();
                  }}
                />
              ))}
            </div>
          )
        }
      </Loaded>
      <Card title="Recent decisions">
        <Loaded state={recent}>
          {(d) => {
            const done = d.items.filter((a) => a.status !== 'pending');
            return done.length === 0 ? (
              <Empty title="No approval has been decided yet" />
            ) : (
              <Table columns={['Requested', 'Agent', 'Tool', 'Status', 'By', 'Comment']}>
                {done.map((a) => (
                  <tr key={a.id}>
                    <td className="nowrap">{fmtDateTime(a.createdAt)}</td>
                    <td className="nowrap">{a.agent}</td>
                    <td>
                      <code>{a.tool}</code>
                    </td>
                    <td>
                      <Pill
                        value={a.status}
                        label={a.revokedReason ? `${STATUS_LABELS[a.status]}: ${a.revokedReason}` : STATUS_LABELS[a.status]}
                      />
                    </td>
                    <td>{who(a.decidedBy)}</td>
                    <td>
                      <div className="clamp">
                        <VisibleText text={a.comment ?? ''} />
                      </div>
                    </td>
                  </tr>
                ))}
              </Table>
            );
          }}
        </Loaded>
      </Card>
    </>
  );
}

/**
 * Why the signed-in person may not decide this call although they hold approvals.decide, as the server
 * refuses it (separation of duties): they owned its agent when it asked, issued the key it came
 * with, or bound the OAuth client it came with to the agent. (The agent's owner now is refused too; a hand-over after the call is rare, and the server says so.)
 */
function notYours(a: Approval, me: Whoami): string | null {
  if (me.type !== 'person') return null;
  if (a.agentOwner === me.id) return `you own ${a.agent}`;
  if (a.keyIssuer === me.id) return `you issued the key ${a.agent} called with`;
  if (a.clientBinders.includes(me.id)) return `you bound the OAuth client ${a.agent} called with`;
  return null;
}

function ApprovalCard({ a, canDecide, onDone }: { a: Approval; canDecide: boolean; onDone(): void }) {
  const { api, me } = useSession();
  const refused = canDecide ? notYours(a, me) : null;
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<'approve' | 'deny' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const decide = async (verdict: 'approve' | 'deny') => {
    setBusy(verdict);
    setError(null);
    try {
      const call = { params: { path: { id: a.id } }, body: comment.trim() ? { comment: comment.trim() } : {} };
      await ok(verdict === 'approve' ? api.POST('/v1/approvals/{id}/approve', call) : api.POST('/v1/approvals/{id}/deny', call));
      onDone();
    } catch (err) {
      setError((err as Error).message);
      setBusy(null);
    }
  };
  const headingId = `approval-${a.id}`;
  const args = JSON.stringify(a.arguments, null, 2);
  return (
    <article className="approval" aria-labelledby={headingId} data-approval={a.id}>
      <div className="approval-head">
        <h2 id={headingId}>
          <span className="strong">{a.agent}</span> wants to call <code className="tool">{a.tool}</code>
        </h2>
        <span className="muted small" title={fmtDateTime(a.expiresAt)}>
          asked {fmtRelative(a.createdAt)} · expires {fmtRelative(a.expiresAt)}
        </span>
      </div>
      <div className="approval-body">
        <div>
          <div className="label">Arguments</div>
          <HiddenCharsWarning text={args} what="these arguments" />
          <pre className="code">
            <VisibleText text={args} />
          </pre>
          {a.dataDomains.length > 0 && (
            <p className="small">
              <span className="muted">Data domains:</span> {a.dataDomains.join(', ')}
            </p>
          )}
        </div>
        <div>
          <div className="label">Why it needs a person</div>
          <ul className="reasons">
            {a.reasons.map((r) => (
              <li key={r.policy}>
                {r.message ? <VisibleText text={r.message} /> : r.effect}
                <br />
                <Link className="policy-link" href={`/policies#${r.policy}`}>
                  {r.policy}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      </div>
      {refused && (
        <p className="muted small">
          You may not decide this call: {refused} (separation of duties). Another approver decides it.
        </p>
      )}
      {canDecide && !refused && (
        <div className="approval-actions">
          <label className="field grow">
            <span>Comment (optional, kept in the audit log)</span>
            <input type="text" value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} />
          </label>
          <button type="button" className="btn btn-primary" disabled={busy !== null} onClick={() => decide('approve')}>
            {busy === 'approve' ? 'Approving…' : 'Approve'}
          </button>
          <button type="button" className="btn btn-danger" disabled={busy !== null} onClick={() => decide('deny')}>
            {busy === 'deny' ? 'Denying…' : 'Deny'}
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
