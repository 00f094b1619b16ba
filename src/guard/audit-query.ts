// Reads the audit log, newest first, with the JSON columns parsed.
import type { Kysely } from 'kysely';
import type { AuditEntryTable, Database } from '../db/schema.js';
import { nextTurn } from '../registry/slices.js';
import type { Reason, Verdict } from './decide.js';

export interface AuditQuery {
  agent?: string;
  decision?: string;
  kind?: string;
  since?: string;
  until?: string;
  limit: number;
}

/**
 * Rows of the `at` order one read examines when the filter has no index (`decision`, `kind`). Such a
 * filter matching nothing made SQLite walk the whole log in one synchronous statement: ~3 µs an entry
 * here, 240–300 ms for 100,000 entries and seconds for millions, with no decision or health check
 * answered meanwhile. The read now goes window by window, newest first, the event loop given a turn
 * between windows; each window is the next WINDOW entries by the `at` (or `agent, at`) index.
 */
const WINDOW = 1000;

export async function queryAudit(db: Kysely<Database>, q: AuditQuery) {
  const since = q.since ? new Date(q.since).toISOString() : undefined;
  let upper = q.until ? new Date(q.until).toISOString() : undefined;
  const select = (limit: number, lower: string | undefined) => {
    let sel = db.selectFrom('audit_entries').selectAll().orderBy('at', 'desc').orderBy('seq', 'desc').limit(limit);
    if (q.agent) sel = sel.where('agent', '=', q.agent);
    if (q.decision) sel = sel.where('decision', '=', q.decision);
    if (q.kind) sel = sel.where('kind', '=', q.kind);
    if (lower !== undefined) sel = sel.where('at', '>=', lower);
    if (upper !== undefined) sel = sel.where('at', '<', upper);
    return sel.execute();
  };
  let rows: AuditEntryTable[];
  if (!q.decision && !q.kind) rows = await select(q.limit, since);
  else {
    rows = [];
    for (let first = true; rows.length < q.limit; first = false) {
      if (!first) await nextTurn();
      // Where this window ends: the `at` of the WINDOW-th entry below `upper` (an index-only read). Entries
      // sharing that `at` all fall in this window; the next one starts below it.
      let edge = db.selectFrom('audit_entries').select('at').orderBy('at', 'desc').limit(1).offset(WINDOW);
      if (q.agent) edge = edge.where('agent', '=', q.agent);
      if (since !== undefined) edge = edge.where('at', '>=', since);
      if (upper !== undefined) edge = edge.where('at', '<', upper);
      const lower = (await edge.executeTakeFirst())?.at;
      rows.push(...(await select(q.limit - rows.length, lower ?? since)));
      if (lower === undefined) break;
      upper = lower;
    }
  }
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
