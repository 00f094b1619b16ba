// A Tool removed from the registry ends the open approvals of calls to it, in the write that removes
// it, as an agent removed or stopped does (retired-agent-approvals.test.ts). Before (found by review),
// they stayed open: an approver could still grant one, and once a Tool was registered again under the
// name (another system, another effect) the grant let the call through within the approval's expiry.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { addApprover, refundOn, startCluster, type TestCluster } from '../support/server.js';
import { until } from '../support/wait.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const AGENT = 'support-bot-eu';
const TOOL = 'crm.refund';
const REASON = `tool ${TOOL} removed from the registry`;

/** MINI with its archetype no longer using crm.refund (the Tool is then deleted on its own). */
function withoutRefund() {
  return readBundle(MINI).map((f) => ({
    ...f,
    content: f.content.replace('tools: [crm.lookup, crm.refund]', 'tools: [crm.lookup]'),
  }));
}

describe.each(ENGINES)('approvals of calls to a Tool removed from the registry, on two nodes (%s)', (engine) => {
  let c: TestCluster;
  let approver: string;
  let token: string;
  const ask = async (node: number, orderId: string) => {
    const r = await refundOn(c, node, token, orderId);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { decision: string; approvalId?: string };
  };
  const approval = async (node: number, id: string) =>
    (await c.request(node, { method: 'GET', url: `/v1/approvals/${id}` })).json() as Record<string, unknown>;
  const approve = (node: number, id: string) =>
    c.request(node, { method: 'POST', url: `/v1/approvals/${id}/approve`, token: approver, payload: {} });
  const apply = async (node: number, files: ReturnType<typeof readBundle>) => {
    const r = await c.request(node, { method: 'POST', url: '/v1/apply', payload: { files } });
    expect(r.statusCode, r.body).toBe(200);
  };
  const remove = async (node: number, url: string) =>
    expect((await c.request(node, { method: 'DELETE', url })).statusCode).toBe(204);

  beforeAll(async () => {
    c = await startCluster(engine, [{}, {}]);
    await apply(0, readBundle(MINI));
    approver = await addApprover({ request: ({ token, ...o }) => c.request(0, { ...o, token }) });
    token = (await c.request(0, { method: 'POST', url: `/v1/agents/${AGENT}/keys` })).json().key as string;
  });
  afterAll(async () => c?.close());

  it('revokes a pending and an approved approval with the write; neither is granted nor spent after the Tool is back', async () => {
    const granted = (await ask(0, 'tool-granted')).approvalId as string;
    expect((await approve(0, granted)).statusCode).toBe(200);
    const pending = (await ask(1, 'tool-pending')).approvalId as string;
    expect(pending).toMatch(/^apr_/);
    const lookup = await c.request(0, {
      method: 'POST',
      url: '/v1/decisions',
      token,
      payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c-1' } },
    });
    expect(lookup.json().decision).toBe('allow');

    // What names the Tool goes first (the registry refuses to delete what is referred to); then the Tool.
    await apply(1, withoutRefund());
    await remove(1, '/v1/policies/refund-approval');
    expect(await approval(0, pending)).toMatchObject({ status: 'pending' });
    await remove(1, `/v1/tools/${TOOL}`);
    expect(await approval(0, granted)).toMatchObject({
      status: 'revoked',
      revokedReason: REASON,
      decidedBy: 'person:alex.approver',
    });
    expect(await approval(0, pending)).toMatchObject({ status: 'revoked', revokedReason: REASON, decidedBy: null });
    const late = await approve(0, pending);
    expect(late.statusCode, late.body).toBe(409);
    expect(late.json().error.message).toBe(
      `approval ${pending} was revoked: ${REASON} (${(await approval(0, pending)).revokedAt}); the call asks again`,
    );
    const acts = (await c.request(0, { method: 'GET', url: `/v1/audit?kind=approval.revoked&limit=100` })).json().items as Array<
      Record<string, unknown>
    >;
    for (const id of [granted, pending])
      expect(acts.find((a) => a.approvalId === id)).toMatchObject({
        actor: 'admin',
        agent: AGENT,
        target: TOOL,
        detail: { reason: REASON },
      });

    // Registered again: the grant made for the Tool removed lets nothing through; the call asks again.
    await apply(0, readBundle(MINI));
    await until(async () => (await ask(1, 'tool-granted')).decision !== 'deny', 'node 1 to see crm.refund again');
    const named = await refundOn(c, 1, token, 'tool-granted', granted);
    expect(named.statusCode, named.body).toBe(409);
    expect(named.json().error.message).toContain(`was revoked: ${REASON}`);
    const again = await ask(0, 'tool-granted');
    expect(again).toMatchObject({ decision: 'approval_required' });
    expect(again.approvalId).not.toBe(granted);
    const verify = (await c.request(1, { method: 'GET', url: '/v1/audit/verify' })).json();
    expect(verify.ok, JSON.stringify(verify)).toBe(true);
  });

  it("revokes nothing of another Tool's calls, and a write that keeps the Tool revokes nothing", async () => {
    const pending = (await ask(0, 'kept')).approvalId as string;
    const written = readBundle(MINI).map((f) => ({ ...f, content: f.content.replace('effect: read', 'effect: write') }));
    await apply(1, written);
    expect(await approval(0, pending)).toMatchObject({ status: 'pending' });
    await apply(1, readBundle(MINI));
  });
});
