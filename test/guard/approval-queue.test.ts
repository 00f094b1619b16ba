// One agent's share of the approvers' queue (FULCRUM_MAX_PENDING_APPROVALS): an agent that asks for a
// person with varied arguments (looping, or driven by an attacker) opened one approval a call without
// bound, and the console showed the 200 newest: 201 calls in a second buried every other agent's
// requests. Past the cap a new request is refused (`approval-queue-full`, recorded in the audit log);
// a retry of a call already waiting still joins its approval, other agents still ask, and a decided
// approval frees its place.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingCount } from '../../src/guard/approval-store.js';
import { ENGINES } from '../support/databases.js';
import { addApprover, startMini, type TestServer } from '../support/server.js';

describe.each(ENGINES)('the approvers’ queue on %s', (engine) => {
  let t: TestServer;
  let key: string;
  let approver: string;
  const refund = (orderId: string, token = key) =>
    t.request({
      method: 'POST',
      url: '/v1/decisions',
      token,
      payload: {
        action: 'tool.call',
        tool: 'crm.refund',
        arguments: { amount: 100, orderId },
        dataDomains: ['customer-records'],
      },
    });

  beforeAll(async () => {
    ({ t, key } = await startMini(engine, { maxPendingApprovals: 3 }));
    approver = await addApprover(t);
  });
  afterAll(async () => t?.close());

  it('refuses an agent a new approval past its share, and names why', async () => {
    const opened = [];
    for (const o of ['o-1', 'o-2', 'o-3']) {
      const r = (await refund(o)).json();
      expect(r.decision).toBe('approval_required');
      opened.push(r.approvalId);
    }
    const fourth = await refund('o-4');
    expect(fourth.statusCode).toBe(200);
    expect(fourth.json()).toMatchObject({
      decision: 'deny',
      reasons: [
        {
          policy: 'approval-queue-full',
          effect: 'forbid',
          message: expect.stringMatching(/support-bot-eu has 3 approvals waiting for a person.*FULCRUM_MAX_PENDING_APPROVALS=3/),
        },
        { policy: 'builtin/autonomy-supervised', effect: 'approval' },
      ],
    });
    expect(fourth.json().approvalId).toBeUndefined();
    const audit = (await t.request({ method: 'GET', url: '/v1/audit?decision=deny&agent=support-bot-eu&limit=1' })).json().items;
    expect(audit[0].reasons[0].policy).toBe('approval-queue-full');
    const pending = (await t.request({ method: 'GET', url: '/v1/approvals?status=pending' })).json().items;
    expect(pending.map((a: { id: string }) => a.id).sort()).toEqual([...opened].sort());

    // A call already waiting still joins its own approval.
    expect((await refund('o-2')).json()).toMatchObject({ decision: 'approval_required', approvalId: opened[1] });

    // Deciding one frees a place.
    const denied = await t.request({ method: 'POST', url: `/v1/approvals/${opened[0]}/deny`, token: approver, payload: {} });
    expect(denied.statusCode).toBe(200);
    expect((await refund('o-4')).json().decision).toBe('approval_required');
    expect((await refund('o-5')).json().decision).toBe('deny');
  });

  it('counts through the partial index of pending approvals, not every request that ever waited', async () => {
    // Expired requests nobody decided stay pending for good: counted by status alone, a new approval
    // read them all in the commit (38–50 ms with 200,000).
    const handle = t.database.open();
    try {
      const compiled = pendingCount(handle.db, 'support-bot-eu', new Date().toISOString()).compile();
      const plan = await handle.db.transaction().execute(async (trx) => {
        // PostgreSQL would scan a table this small whatever its indexes; asked not to, it shows what it can use.
        if (engine === 'postgres') await sql`SET LOCAL enable_seqscan = off`.execute(trx);
        const explain = engine === 'postgres' ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN';
        const rows = (await trx.executeQuery<Record<string, string>>({ ...compiled, sql: `${explain} ${compiled.sql}` })).rows;
        return rows.map((r) => r['QUERY PLAN'] ?? r.detail).join('\n');
      });
      expect(plan).toMatch(/approvals_pending_agent/);
    } finally {
      await handle.destroy();
    }
  });
});
