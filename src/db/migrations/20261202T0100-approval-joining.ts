// One approval per call (issue 15): while a call's approval is open (pending, or approved and not yet
// used, or denied, until it expires), the same call (same agent, tool and canonical arguments) joins
// it instead of opening another, so an agent that simply retries never fills the approvers' queue.
// `open_key` names the call while its approval is open and is cleared when the approval is used or
// found expired; its unique index is what makes two nodes asking at the same instant share one
// approval (the second insert does nothing and reads the first's).
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('approvals').addColumn('open_key', 'text').execute();
    await db.schema.createIndex('approvals_open_key').unique().on('approvals').column('open_key').execute();
    // Approvals open at the upgrade: the newest of each call's becomes the one its retries join.
    const now = new Date().toISOString();
    const rows = await (db as Kysely<OpenRow>)
      .selectFrom('approvals')
      .select(['id', 'agent', 'tool', 'arguments_hash'])
      .where('status', 'in', ['pending', 'approved', 'denied'])
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .execute();
    const keyed = new Set<string>();
    for (const r of rows) {
      const key = openKey(r.agent, r.tool, r.arguments_hash);
      if (keyed.has(key)) continue;
      keyed.add(key);
      await (db as Kysely<OpenRow>).updateTable('approvals').set({ open_key: key }).where('id', '=', r.id).execute();
    }
  };
}

interface OpenRow {
  approvals: {
    id: string;
    agent: string;
    tool: string;
    arguments_hash: string;
    status: string;
    expires_at: string;
    created_at: string;
    open_key: string | null;
  };
}

/** Frozen copy of the key the guard writes (src/guard/approval-store.ts): migrations never change. */
function openKey(agent: string, tool: string, argumentsHash: string): string {
  return `${agent}\n${tool}\n${argumentsHash}`;
}
