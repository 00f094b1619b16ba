// Reads the audit log, newest first, with the JSON columns parsed.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Reason, Verdict } from './decide.js';

export interface AuditQuery {
  agent?: string;
  decision?: string;
  kind?: string;
  since?: string;
  until?: string;
  limit: number;
}

export async function queryAudit(db: Kysely<Database>, q: AuditQuery) {
  let sel = db.selectFrom('audit_entries').selectAll().orderBy('at', 'desc').orderBy('seq', 'desc').limit(q.limit);
  if (q.agent) sel = sel.where('agent', '=', q.agent);
  if (q.decision) sel = sel.where('decision', '=', q.decision);
  if (q.kind) sel = sel.where('kind', '=', q.kind);
  if (q.since) sel = sel.where('at', '>=', new Date(q.since).toISOString());
  if (q.until) sel = sel.where('at', '<', new Date(q.until).toISOString());
  const rows = await sel.execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    at: r.at,
    actor: r.actor,
    agent: r.agent,
    action: r.action,
    target: r.target,
    decision: r.decision as Verdict | null,
    reasons: JSON.parse(r.reasons) as Reason[],
    monitor: JSON.parse(r.monitor) as Reason[],
    policyVersion: r.policy_version,
    arguments: r.arguments === null ? null : JSON.parse(r.arguments),
    argumentsHash: r.arguments_hash,
    dataDomains: JSON.parse(r.data_domains),
    taskId: r.task_id,
    approvalId: r.approval_id,
    detail: JSON.parse(r.detail),
    chainId: r.chain_id,
    seq: r.seq,
    hash: r.hash,
  }));
}
