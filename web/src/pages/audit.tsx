// Audit: the hash-chained decision log, filterable, each reason linked to the policy that gave it,
// and whether every chain still verifies.
import { type FormEvent, useState } from 'react';
import type { GetResult, paths } from '../../../src/client/index';
import { Table } from '../components/table';
import { Card, Empty, Field, Loaded, PageHeader, Pill } from '../components/ui';
import { VisibleText } from '../components/visible-text';
import { ok } from '../lib/api';
import { fmtDateTime, fmtNumber, who } from '../lib/format';
import { Link } from '../lib/router';
import { useLoad } from '../lib/use-api';

type AuditEntry = GetResult<'/v1/audit'>['items'][number];
type AuditVerify = GetResult<'/v1/audit/verify'>;
type AuditQuery = NonNullable<paths['/v1/audit']['get']['parameters']['query']>;

interface Filters {
  agent: string;
  decision: string;
  kind: string;
  since: string;
  until: string;
}
// The audit log's entry kinds (src/guard/audit.ts), as a person would say them.
const KIND_LABELS: Record<string, string> = {
  decision: 'Decision on',
  'call.outcome': 'Outcome of',
  'approval.approved': 'Approval granted for',
  'approval.denied': 'Approval denied for',
  'approval.revoked': 'Approval revoked for',
  'agent.suspended': 'Agent suspended',
  'agent.resumed': 'Agent resumed',
  'incident.opened': 'Incident opened',
  'incident.status': 'Incident status changed',
  'incident.reported': 'Incident reported to the authority',
  'risk.assessed': 'Risk assessed',
  'review.opened': 'Review opened',
  'review.signed': 'Review signed',
  'review.approved': 'Review approved',
  'review.rejected': 'Review rejected',
  'retention.changed': 'Retention periods changed',
  'retention.purged': 'Retention purge',
  'auth.signed-in': 'Signed in',
  'auth.refused': 'Sign-in refused',
  'auth.signed-out': 'Signed out',
  'credential.issued': 'Credential issued',
  'credential.revoked': 'Credential revoked',
  'credential.bound': 'OAuth client bound',
  'credential.unbound': 'OAuth client unbound',
  'person.roles-changed': 'Roles changed',
  'person.email-changed': 'Sign-in email changed',
  'spend.imported': 'Spend lines imported',
  'spend.withdrawn': 'Spend import withdrawn',
};
const KINDS = Object.keys(KIND_LABELS);

/** The second line: the agent concerned (when not the actor) and what the entry's detail names. */
function subject(e: AuditEntry): string {
  const parts: string[] = [];
  if (e.agent && who(e.actor) !== e.agent) parts.push(`agent ${e.agent}`);
  for (const k of [
    'initiative',
    'incident',
    'review',
    'budget',
    'import',
    'subject',
    'prefix',
    'reason',
    'comment',
    'to',
    'status',
  ])
    if (typeof e.detail?.[k] === 'string') parts.push(`${k} ${e.detail[k] as string}`);
  if (e.kind === 'decision' && e.action) parts.push(e.action);
  return parts.join(' · ');
}

/** The newest entries shown at once; the filters narrow down to older ones. */
const LIMIT = 200;
const NONE: Filters = { agent: '', decision: '', kind: '', since: '', until: '' };

function query(f: Filters): AuditQuery {
  const q: AuditQuery = { limit: LIMIT };
  if (f.agent) q.agent = f.agent;
  if (f.decision) q.decision = f.decision as AuditQuery['decision'];
  if (f.kind) q.kind = f.kind;
  // Date inputs are the viewer's local days: from local midnight to the end of the day.
  if (f.since) q.since = new Date(`${f.since}T00:00:00`).toISOString();
  if (f.until) q.until = new Date(`${f.until}T23:59:59.999`).toISOString();
  return q;
}

export function AuditPage() {
  const [draft, setDraft] = useState<Filters>(NONE);
  const [filters, setFilters] = useState<Filters>(NONE);
  const entries = useLoad((api) => ok(api.GET('/v1/audit', { params: { query: query(filters) } })), [filters]);
  const verify = useLoad((api) => ok(api.GET('/v1/audit/verify')), []);
  const agents = useLoad((api) => ok(api.GET('/v1/agents')), []);
  // Reasons such as "approval" or "invalid-arguments" are checks, not policies: only policies get a link.
  const policies = useLoad((api) => ok(api.GET('/v1/policies/effective')), []);
  const known = policies.data ? new Set(policies.data.policies.map((p) => p.id)) : undefined;
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
  };
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Every decision and every change, append-only, each entry chained to the one before it."
      />
      <Loaded state={verify}>{(v) => <ChainStatus v={v} />}</Loaded>
      <Card>
        <form className="filters" onSubmit={apply} aria-label="Filter the audit log">
          <Field label="Agent">
            {(id) => (
              <select id={id} value={draft.agent} onChange={set('agent')}>
                <option value="">All</option>
                {(agents.data?.items ?? []).map((a) => (
                  <option key={a.metadata.name}>{a.metadata.name}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Decision">
            {(id) => (
              <select id={id} value={draft.decision} onChange={set('decision')}>
                <option value="">All</option>
                <option value="allow">Allow</option>
                <option value="deny">Deny</option>
                <option value="approval_required">Approval required</option>
              </select>
            )}
          </Field>
          <Field label="Kind">
            {(id) => (
              <select id={id} value={draft.kind} onChange={set('kind')}>
                <option value="">All</option>
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABELS[k]?.replace(/ (on|of|for)$/, '')}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <label className="field">
            <span>From</span>
            <input type="date" value={draft.since} onChange={set('since')} />
          </label>
          <label className="field">
            <span>To</span>
            <input type="date" value={draft.until} onChange={set('until')} />
          </label>
          <div className="filter-buttons">
            <button type="submit" className="btn btn-primary">
              Filter
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => {
                setDraft(NONE);
                setFilters(NONE);
              }}
            >
              Clear
            </button>
          </div>
        </form>
        <Loaded state={entries}>
          {(d) =>
            d.items.length === 0 ? (
              <Empty title="No entries match">
                {JSON.stringify(filters) === JSON.stringify(NONE) ? 'Nothing has been recorded yet.' : 'Try wider filters.'}
              </Empty>
            ) : (
              <Table
                columns={['When', 'Who', 'What', 'Decision', 'Reasons']}
                className="audit"
                caption={
                  <caption className={d.items.length >= LIMIT ? 'table-note' : 'sr-only'}>
                    {d.items.length >= LIMIT
                      ? `The newest ${LIMIT} entries; narrow by agent, decision, kind or day to see older ones.`
                      : 'Audit entries, newest first'}
                  </caption>
                }
              >
                {d.items.map((e) => (
                  <tr key={e.id}>
                    <td className="nowrap">{fmtDateTime(e.at)}</td>
                    <td className="nowrap">
                      <VisibleText text={who(e.actor)} />
                    </td>
                    <td>
                      <div>
                        {KIND_LABELS[e.kind] ?? e.kind}
                        {e.target && (
                          <>
                            {' '}
                            <code>
                              <VisibleText text={e.target} />
                            </code>
                          </>
                        )}
                      </div>
                      <div className="muted small">
                        <VisibleText text={subject(e)} />
                      </div>
                    </td>
                    <td>{e.decision ? <Pill value={e.decision} /> : <span className="muted">—</span>}</td>
                    <td>
                      <ul className="reasons compact">
                        {e.reasons.map((r) => (
                          <li key={r.policy}>
                            <PolicyRef id={r.policy} known={known} />
                            {r.message && (
                              <span className="muted">
                                {' '}
                                — <VisibleText text={r.message} />
                              </span>
                            )}
                          </li>
                        ))}
                        {e.monitor.map((r) => (
                          <li key={`m-${r.policy}`}>
                            <Pill value="monitor" /> would {r.effect}: <PolicyRef id={r.policy} known={known} />
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </Table>
            )
          }
        </Loaded>
      </Card>
    </>
  );
}

function PolicyRef({ id, known }: { id: string; known: Set<string> | undefined }) {
  if (known && !known.has(id)) return <code className="policy-link">{id}</code>;
  return (
    <Link className="policy-link" href={`/policies#${id}`}>
      {id}
    </Link>
  );
}

function ChainStatus({ v }: { v: AuditVerify }) {
  if (v.ok)
    return (
      <div className="callout callout-good" role="status">
        <strong>Chain intact.</strong>{' '}
        {`${fmtNumber(v.entries)} entries in ${fmtNumber(v.chains)} chain${v.chains === 1 ? '' : 's'}; every hash verified just now.`}
      </div>
    );
  return (
    <div className="callout callout-bad" role="alert">
      <strong>Chain broken.</strong>{' '}
      {v.broken ? `Entry ${v.broken.id} (chain ${v.broken.chainId}, #${v.broken.seq}): ${v.broken.problem}.` : ''} The log may
      have been tampered with; investigate before relying on it.
    </div>
  );
}
