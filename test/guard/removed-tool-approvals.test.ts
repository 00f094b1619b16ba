// A Tool removed from the registry, taken from what an agent may call (its archetype's tools, its
// extraTools), or changed in what its approvers judged (its effect, system, arguments), ends the open
// approvals of those calls, in the write that does it, as an agent removed
// or stopped does (retired-agent-approvals.test.ts). Before (found by review), they stayed open: an
// approver could still grant one, and once the Tool was registered again, or given back, the grant let
// the call through within the approval's expiry.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { addApprover, refundOn, startCluster, type TestCluster } from '../support/server.js';
import { until } from '../support/wait.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const AGENT = 'support-bot-eu';
const TOOL = 'crm.refund';

/** MINI with its archetype no longer using crm.refund; `removed`: without the Tool and the Policy naming it either. */
function withoutRefund(removed = false) {
  return readBundle(MINI).map((f) => ({
    ...f,
    content: f.content
      .split(/^---$/m)
      .filter((doc) => !removed || (!/name: crm\.refund\n/.test(doc) && !/name: refund-approval\n/.test(doc)))
      .join('---')
      .replace('tools: [crm.lookup, crm.refund]', 'tools: [crm.lookup]'),
  }));
}

describe.each(ENGINES)('approvals of calls to a Tool removed, or taken from the agent, on two nodes (%s)', (engine) => {
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

  beforeAll(async () => {
    c = await startCluster(engine, [{}, {}]);
    await apply(0, readBundle(MINI));
    approver = await addApprover({ request: ({ token, ...o }) => c.request(0, { ...o, token }) });
    token = (await c.request(0, { method: 'POST', url: `/v1/agents/${AGENT}/keys` })).json().key as string;
  });
  afterAll(async () => c?.close());

  const ways = [
    ['taken from its archetype', `tool ${TOOL} no longer among the agent's tools`],
    ['deleted with what names it, in one apply', `tool ${TOOL} removed from the registry`],
    ['kept, its effect changed', `tool ${TOOL} changed (its effect from financial to destructive)`],
  ] as const;
  it.each(ways)(
    '%s: revokes a pending and an approved approval with the write; neither is granted nor spent after',
    async (way, reason) => {
      const granted = (await ask(0, `${way}-granted`)).approvalId as string;
      expect((await approve(0, granted)).statusCode).toBe(200);
      const pending = (await ask(1, `${way}-pending`)).approvalId as string;
      expect(pending).toMatch(/^apr_/);

      if (way === 'taken from its archetype') await apply(1, withoutRefund());
      else if (way === 'kept, its effect changed')
        await apply(
          1,
          readBundle(MINI).map((f) => ({ ...f, content: f.content.replace('effect: financial', 'effect: destructive') })),
        );
      else {
        // --prune, with the approver (not in MINI) kept.
        const person = (await c.request(1, { method: 'GET', url: '/v1/people/alex.approver' })).json();
        const kept = {
          path: 'approver.yaml',
          content: JSON.stringify({
            apiVersion: 'fulcrum/v1',
            kind: 'Person',
            metadata: { name: 'alex.approver' },
            spec: person.spec,
          }),
        };
        const r = await c.request(1, {
          method: 'POST',
          url: '/v1/apply?prune=true',
          payload: { files: [...withoutRefund(true), kept] },
        });
        expect(r.statusCode, r.body).toBe(200);
        expect([...r.json().deleted].sort()).toEqual([`Policy/refund-approval`, `Tool/${TOOL}`]);
      }
      expect(await approval(0, granted)).toMatchObject({
        status: 'revoked',
        revokedReason: reason,
        decidedBy: 'person:alex.approver',
      });
      expect(await approval(0, pending)).toMatchObject({ status: 'revoked', revokedReason: reason, decidedBy: null });
      const late = await approve(0, pending);
      expect(late.statusCode, late.body).toBe(409);
      expect(late.json().error.message).toBe(
        `approval ${pending} was revoked: ${reason} (${(await approval(0, pending)).revokedAt}); the call asks again`,
      );
      const acts = (await c.request(0, { method: 'GET', url: '/v1/audit?kind=approval.revoked&limit=100' })).json()
        .items as Array<Record<string, unknown>>;
      for (const id of [granted, pending])
        expect(acts.find((a) => a.approvalId === id)).toMatchObject({
          actor: 'admin',
          agent: AGENT,
          target: TOOL,
          detail: { reason },
        });

      // Back as it was: the grant made before lets nothing through; the call asks again.
      await apply(0, readBundle(MINI));
      await until(async () => (await ask(1, `${way}-granted`)).decision !== 'deny', `node 1 to see ${TOOL} allowed again`);
      const named = await refundOn(c, 1, token, `${way}-granted`, granted);
      expect(named.statusCode, named.body).toBe(409);
      expect(named.json().error.message).toContain(`was revoked: ${reason}`);
      const again = await ask(0, `${way}-granted`);
      expect(again).toMatchObject({ decision: 'approval_required' });
      expect(again.approvalId).not.toBe(granted);
      const verify = (await c.request(1, { method: 'GET', url: '/v1/audit/verify' })).json();
      expect(verify.ok, JSON.stringify(verify)).toBe(true);
    },
  );

  it("revokes nothing of another Tool's calls, and a write that keeps the Tool, or takes another, revokes nothing", async () => {
    const pending = (await ask(0, 'kept')).approvalId as string;
    const written = readBundle(MINI).map((f) => ({ ...f, content: f.content.replace('effect: read', 'effect: write') }));
    await apply(1, written);
    expect(await approval(0, pending)).toMatchObject({ status: 'pending' });
    // Another Tool taken from the archetype: crm.refund's calls keep theirs.
    await apply(
      1,
      readBundle(MINI).map((f) => ({
        ...f,
        content: f.content.replace('tools: [crm.lookup, crm.refund]', 'tools: [crm.refund]'),
      })),
    );
    expect(await approval(0, pending)).toMatchObject({ status: 'pending' });
    // crm.refund described, its effect, system and arguments as they were: what its approvers judged is unchanged.
    await apply(
      1,
      readBundle(MINI).map((f) => ({
        ...f,
        content: f.content.replace(
          'system: crm\n  effect: financial',
          'description: Refunds an order\n  system: crm\n  effect: financial',
        ),
      })),
    );
    expect((await c.request(0, { method: 'GET', url: `/v1/tools/${TOOL}` })).json().spec.description).toBe('Refunds an order');
    expect(await approval(0, pending)).toMatchObject({ status: 'pending' });
    await apply(1, readBundle(MINI));
  });
});
