// An agent retired (or suspended) through its descriptor's `status`, or removed from the registry,
// ends its open approvals as a suspension does (found by review): before, only the kill switch
// revoked them, so an approver could grant a retired agent's pending call, and the grant let the
// call through once someone set the agent active again, within the approval's expiry. They end as
// `revoked` with the reason, in the same registry write, each with an `approval.revoked` act.
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';
import { readBundle, supportBotSpec } from '../support/files.js';
import { finishedOrWaitingOnLock, pauseQuery, selectsFrom } from '../support/pause.js';
import { ADMIN_TOKEN, addApprover, refundOn, startCluster, startNode, type TestCluster } from '../support/server.js';
import { until } from '../support/wait.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const AGENT = 'support-bot-eu';

describe.each(ENGINES)(
  'approvals of an agent retired, suspended or removed through the registry, on two nodes (%s)',
  (engine) => {
    let c: TestCluster;
    let approver: string;
    const key = async () => (await c.request(0, { method: 'POST', url: `/v1/agents/${AGENT}/keys` })).json().key as string;
    const refund = (node: number, token: string, orderId: string, approvalId?: string) =>
      refundOn(c, node, token, orderId, approvalId);
    const ask = async (node: number, token: string, orderId: string) => {
      const r = await refund(node, token, orderId);
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as { decision: string; approvalId?: string };
    };
    const status = async (node: number, s: string) => {
      const r = await c.request(node, { method: 'PUT', url: `/v1/agents/${AGENT}`, payload: { spec: supportBotSpec(s) } });
      expect(r.statusCode, r.body).toBe(200);
    };
    const approval = async (node: number, id: string) =>
      (await c.request(node, { method: 'GET', url: `/v1/approvals/${id}` })).json() as Record<string, unknown>;
    const approve = (node: number, id: string) =>
      c.request(node, { method: 'POST', url: `/v1/approvals/${id}/approve`, token: approver, payload: {} });
    const revokedActs = async (node: number) =>
      (await c.request(node, { method: 'GET', url: `/v1/audit?kind=approval.revoked&agent=${AGENT}&limit=100` })).json()
        .items as Array<{ approvalId: string; actor: string; detail: Record<string, unknown> }>;

    beforeAll(async () => {
      c = await startCluster(engine, [{}, {}]);
      const applied = await c.request(0, { method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
      expect(applied.statusCode, applied.body).toBe(200);
      approver = await addApprover({ request: ({ token, ...o }) => c.request(0, { ...o, token }) });
    });
    afterAll(async () => c?.close());

    for (const to of ['retired', 'suspended'] as const) {
      it(`setting status ${to} revokes a pending and an approved approval; after it is active again the call asks again`, async () => {
        const token = await key();
        const granted = (await ask(0, token, `${to}-granted`)).approvalId as string;
        expect((await approve(0, granted)).statusCode).toBe(200);
        const pending = (await ask(1, token, `${to}-pending`)).approvalId as string;
        expect(pending).toMatch(/^apr_/);
        // A call waiting on the pending one, on the other node, hears that it ended.
        const waiting = c.request(1, { method: 'GET', url: `/v1/approvals/${pending}?wait=20`, token });

        await status(0, to);
        const reason = `agent ${to} (its descriptor's status)`;
        expect(await approval(1, granted)).toMatchObject({
          status: 'revoked',
          revokedReason: reason,
          decidedBy: 'person:alex.approver',
        });
        expect(await approval(1, pending)).toMatchObject({ status: 'revoked', revokedReason: reason, decidedBy: null });
        expect((await waiting).json()).toMatchObject({ status: 'revoked', revokedReason: reason });
        const late = await approve(1, pending);
        expect(late.statusCode, late.body).toBe(409);
        expect(late.json().error.message).toContain(`was revoked: ${reason}`);
        const acts = await revokedActs(1);
        for (const id of [granted, pending])
          expect(acts.find((a) => a.approvalId === id)).toMatchObject({ actor: 'admin', detail: { reason } });

        await status(1, 'active');
        await until(async () => (await ask(0, token, `${to}-granted`)).decision !== 'deny', 'node 0 to see the agent active');
        const again = await ask(0, token, `${to}-granted`);
        expect(again.decision).toBe('approval_required');
        expect(again.approvalId).not.toBe(granted);
        const named = await refund(1, token, `${to}-granted`, granted);
        expect(named.statusCode, named.body).toBe(409);
        expect(named.json().error.message).toContain(`was revoked: ${reason}`);
      });
    }

    it('a status change that keeps the agent active, or one to retired while it was already, revokes nothing', async () => {
      const token = await key();
      const pending = (await ask(0, token, 'kept')).approvalId as string;
      const r = await c.request(0, {
        method: 'PUT',
        url: `/v1/agents/${AGENT}`,
        payload: { spec: { ...supportBotSpec('active'), framework: 'langgraph' } },
      });
      expect(r.statusCode, r.body).toBe(200);
      expect(await approval(1, pending)).toMatchObject({ status: 'pending' });
      await status(0, 'active');
    });

    it('retiring its initiative, or moving it into a proposed one, revokes its approvals: its agents may do nothing', async () => {
      const token = await key();
      const initiative = (await c.request(0, { method: 'GET', url: '/v1/initiatives/support-deflection' })).json();
      const stage = async (to: string) => {
        const r = await c.request(0, {
          method: 'PUT',
          url: '/v1/initiatives/support-deflection',
          payload: { spec: { ...initiative.spec, stage: to } },
        });
        expect(r.statusCode, r.body).toBe(200);
      };
      const granted = (await ask(0, token, 'initiative-granted')).approvalId as string;
      expect((await approve(0, granted)).statusCode).toBe(200);
      await stage('retired');
      const reason = 'its initiative support-deflection is at stage retired';
      expect(await approval(1, granted)).toMatchObject({ status: 'revoked', revokedReason: reason });
      expect((await revokedActs(1)).find((a) => a.approvalId === granted)).toMatchObject({ detail: { reason } });
      await stage('production');
      await until(async () => (await ask(1, token, 'initiative-granted')).decision !== 'deny', 'node 1 to see it in production');
      expect((await ask(1, token, 'initiative-granted')).approvalId).not.toBe(granted);

      const proposed = await c.request(0, {
        method: 'PUT',
        url: '/v1/initiatives/support-proposed',
        payload: { spec: { ...initiative.spec, stage: 'proposed', stageSince: undefined } },
      });
      expect(proposed.statusCode, proposed.body).toBe(201);
      const pending = (await ask(0, token, 'initiative-pending')).approvalId as string;
      const moved = await c.request(1, {
        method: 'PUT',
        url: `/v1/agents/${AGENT}`,
        payload: { spec: { ...supportBotSpec('active'), initiative: 'support-proposed' } },
      });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(await approval(0, pending)).toMatchObject({
        status: 'revoked',
        revokedReason: 'its initiative support-proposed is at stage proposed',
      });
      await status(0, 'active');
    });

    it('a resume of an agent stopped by its descriptor, not the kill switch, is refused and says what would let it act', async () => {
      for (const to of ['suspended', 'retired']) {
        await status(0, to);
        const r = await c.request(1, { method: 'POST', url: `/v1/agents/${AGENT}/resume`, payload: { reason: 'back' } });
        expect(r.statusCode, r.body).toBe(409);
        expect(r.json().error.message).toBe(
          `${AGENT} is ${to} by its descriptor's status, not by the kill switch, so there is no suspension to lift: a registry write setting its spec.status to active lets it act`,
        );
      }
      await status(0, 'active');
      // An active agent's resume is still a no-op answered 200 (suspension-approvals.test.ts).
      const r = await c.request(1, { method: 'POST', url: `/v1/agents/${AGENT}/resume`, payload: { reason: 'back' } });
      expect(r.statusCode, r.body).toBe(200);
    });

    it('removing the agent revokes its approvals, and the agent registered next under the name inherits none', async () => {
      const token = await key();
      const granted = (await ask(0, token, 'removed-granted')).approvalId as string;
      expect((await approve(0, granted)).statusCode).toBe(200);
      const pending = (await ask(1, token, 'removed-pending')).approvalId as string;

      expect((await c.request(1, { method: 'DELETE', url: `/v1/agents/${AGENT}` })).statusCode).toBe(204);
      const reason = 'agent removed from the registry';
      expect(await approval(0, granted)).toMatchObject({ status: 'revoked', revokedReason: reason });
      expect(await approval(0, pending)).toMatchObject({ status: 'revoked', revokedReason: reason });
      const late = await approve(0, pending);
      expect(late.statusCode, late.body).toBe(409);
      expect(late.json().error.message).toContain(`was revoked: ${reason}`);
      const acts = await revokedActs(0);
      for (const id of [granted, pending])
        expect(acts.find((a) => a.approvalId === id)).toMatchObject({ actor: 'admin', detail: { reason } });

      expect(
        (await c.request(0, { method: 'PUT', url: `/v1/agents/${AGENT}`, payload: { spec: supportBotSpec('active') } }))
          .statusCode,
      ).toBe(201);
      const next = await key();
      const again = await ask(1, next, 'removed-granted');
      expect(again.decision).toBe('approval_required');
      expect(again.approvalId).not.toBe(granted);
      expect((await ask(0, next, 'removed-pending')).approvalId).not.toBe(pending);
    });
  },
);

describe.skipIf(!ENGINES.includes('postgres'))('an approval opened by a decision racing the retirement (postgres)', () => {
  type Node = Awaited<ReturnType<typeof startNode>>;
  let database: TestDatabase;
  let a: Node;
  let b: Node | undefined;
  // Node B stops its group commit once it has read the registry (the agent active, the retirement not
  // yet committed) and counted the agent's pending approvals, just before it inserts the new one.
  const held = pauseQuery({ query: selectsFrom('approvals'), row: (r) => 'n' in r });
  const inject = (node: Node, { token, ...o }: InjectOptions & { token?: string | null }) =>
    node.server.inject({ ...o, headers: { authorization: `Bearer ${token ?? ADMIN_TOKEN}` } });
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    a = await startNode(database);
  });
  afterAll(async () => {
    for (const n of [a, b]) {
      await n?.server.close();
      await n?.app.close();
    }
    await database?.drop();
  });

  it('makes the registry write wait for that group commit, then revoke what it opened', async () => {
    expect((await inject(a, { method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    const token = (await inject(a, { method: 'POST', url: `/v1/agents/${AGENT}/keys` })).json().key;
    const approver = await addApprover({ request: (o) => inject(a, o) });
    b = await startNode(database, {}, held.plugin);
    const call = { action: 'tool.call', tool: 'crm.refund', arguments: { amount: 900, orderId: 'race' } };
    const late = inject(b, { method: 'POST', url: '/v1/decisions', token, payload: call });
    await held.paused;
    let over = false;
    const retiring = inject(a, { method: 'PUT', url: `/v1/agents/${AGENT}`, payload: { spec: supportBotSpec('retired') } }).then(
      (r) => {
        over = true;
        return r;
      },
    );
    const { done } = await finishedOrWaitingOnLock(a.app.database.db, retiring, "the retirement to wait on node B's commit");
    expect(over).toBe(false);
    held.release();
    const answer = await late;
    expect(answer.json()).toMatchObject({ decision: 'approval_required' });
    const id = answer.json().approvalId as string;
    expect((await done).statusCode).toBe(200);
    const reason = "agent retired (its descriptor's status)";
    expect((await inject(b, { method: 'GET', url: `/v1/approvals/${id}` })).json()).toMatchObject({
      status: 'revoked',
      revokedReason: reason,
    });
    const grant = await inject(b, { method: 'POST', url: `/v1/approvals/${id}/approve`, token: approver, payload: {} });
    expect(grant.statusCode, grant.body).toBe(409);
    expect(grant.json().error.message).toContain(`was revoked: ${reason}`);
  });
});
