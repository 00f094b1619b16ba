// Two nodes on one PostgreSQL racing the registry writes made in the audit writer's transaction (they
// revoke credentials or approvals): two writes on two nodes that both revoke the same keys or the same
// approvals, a write racing a decision that spends an approval or a person who grants it, and a write
// racing a key's use. Whichever commits first, each state change has exactly one entry, the chains
// verify, no write is lost, and neither caller gets a 500 (a conflict is tried again, or answered as
// what it is).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { addApprover, refundOn, startCluster, type TestCluster } from '../support/server.js';
import { until } from '../support/wait.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const ROUNDS = 4;

describe.skipIf(!ENGINES.includes('postgres'))('registry writes racing on two nodes (postgres)', () => {
  let c: TestCluster;
  let approver: string;
  let base: Record<string, unknown>;

  beforeAll(async () => {
    c = await startCluster('postgres', [{ registryPollMs: 100 }, { registryPollMs: 100 }]);
    const applied = await c.request(0, { method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
    approver = await addApprover({ request: ({ token, ...o }) => c.request(0, { ...o, token }) });
    base = (await c.request(0, { method: 'GET', url: '/v1/agents/support-bot-eu' })).json().spec;
  });
  afterAll(async () => c?.close());

  const put = (node: number, agent: string, status: string) =>
    c.request(node, { method: 'PUT', url: `/v1/agents/${agent}`, payload: { spec: { ...base, status } } });
  /** The same write as `put`, as an apply of one file (`fulcrum apply -f`). */
  const apply = (node: number, agent: string, status: string) =>
    c.request(node, {
      method: 'POST',
      url: '/v1/apply',
      payload: {
        files: [
          {
            path: `${agent}.yaml`,
            content: `apiVersion: fulcrum/v1\nkind: Agent\nmetadata:\n  name: ${agent}\nspec: ${JSON.stringify({ ...base, status })}\n`,
          },
        ],
      },
    });
  const refund = (node: number, token: string, orderId: string, approvalId?: string) =>
    refundOn(c, node, token, orderId, approvalId);
  const approve = (node: number, id: string) =>
    c.request(node, { method: 'POST', url: `/v1/approvals/${id}/approve`, token: approver, payload: {} });
  const db = () => c.nodes[0]?.app.database.db as NonNullable<(typeof c.nodes)[0]>['app']['database']['db'];
  const entries = async (kind: string, where: { approvalId?: string; credential?: string }) => {
    const rows = await db().selectFrom('audit_entries').select(['approval_id', 'detail']).where('kind', '=', kind).execute();
    return rows.filter(
      (r) =>
        (where.approvalId === undefined || r.approval_id === where.approvalId) &&
        (where.credential === undefined || (JSON.parse(r.detail) as { credential?: string }).credential === where.credential),
    ).length;
  };
  const approvalStatus = async (id: string) =>
    (await db().selectFrom('approvals').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  async function verified() {
    const v = (await c.request(1, { method: 'GET', url: '/v1/audit/verify' })).json();
    expect(v.ok, JSON.stringify(v)).toBe(true);
  }

  /** Registers `agent` (active) on node 0, with a key both nodes take, and approvals: one pending, one granted. */
  async function agentWithApprovals(agent: string) {
    expect((await put(0, agent, 'active')).statusCode).toBe(201);
    const issued = await c.request(0, { method: 'POST', url: `/v1/agents/${agent}/keys` });
    expect(issued.statusCode, issued.body).toBe(201);
    const key = issued.json().key as string;
    await until(async () => (await refund(1, key, `${agent}-probe`)).statusCode === 200, `node 1 to take ${agent}'s key`);
    const ask = async (orderId: string) => {
      const r = await refund(0, key, orderId);
      expect(r.json().decision, r.body).toBe('approval_required');
      return r.json().approvalId as string;
    };
    const pending = await ask(`${agent}-pending`);
    const granted = await ask(`${agent}-granted`);
    expect((await approve(0, granted)).statusCode).toBe(200);
    return { key, credential: issued.json().id as string, pending, granted };
  }

  it('two writes retiring the same agent on two nodes (PUT, apply): one revokes each approval, with one entry each', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const agent = `race-retire-${round}`;
      const { pending, granted } = await agentWithApprovals(agent);
      const answers = await Promise.all([
        round % 2 ? put(0, agent, 'retired') : apply(0, agent, 'retired'),
        apply(1, agent, 'retired'),
      ]);
      for (const a of answers) expect(a.statusCode, a.body).toBe(200);
      for (const id of [pending, granted]) {
        expect(await approvalStatus(id)).toBe('revoked');
        expect(await entries('approval.revoked', { approvalId: id })).toBe(1);
      }
    }
    await verified();
  });

  it('a write retiring the agent racing its suspension on the other node: each approval revoked by one, with one entry', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const agent = `race-suspend-${round}`;
      const { pending, granted } = await agentWithApprovals(agent);
      const [write, suspend] = await Promise.all([
        put(0, agent, 'retired'),
        c.request(1, { method: 'POST', url: `/v1/agents/${agent}/suspend`, payload: { reason: 'race' } }),
      ]);
      expect(write.statusCode, write.body).toBe(200);
      expect(suspend.statusCode, suspend.body).toBe(200);
      for (const id of [pending, granted]) {
        expect(await approvalStatus(id)).toBe('revoked');
        expect(await entries('approval.revoked', { approvalId: id })).toBe(1);
      }
    }
    await verified();
  });

  it('two deletions of the same agent on two nodes: one deletes it, revoking each key and approval once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const agent = `race-delete-${round}`;
      const { credential, pending, granted } = await agentWithApprovals(agent);
      const answers = await Promise.all([0, 1].map((n) => c.request(n, { method: 'DELETE', url: `/v1/agents/${agent}` })));
      expect(answers.map((a) => a.statusCode).sort(), answers.map((a) => a.body).join(' | ')).toEqual([204, 404]);
      expect(await entries('credential.revoked', { credential })).toBe(1);
      for (const id of [pending, granted]) expect(await entries('approval.revoked', { approvalId: id })).toBe(1);
    }
    await verified();
  });

  it('a write retiring the agent racing the decision that spends its granted approval: one of them, never both', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const agent = `race-spend-${round}`;
      const { key, granted } = await agentWithApprovals(agent);
      const [write, spend] = await Promise.all([put(0, agent, 'retired'), refund(1, key, `${agent}-granted`, granted)]);
      expect(write.statusCode, write.body).toBe(200);
      expect([200, 409], spend.body).toContain(spend.statusCode);
      const spent = spend.statusCode === 200 && spend.json().decision === 'allow';
      expect(await approvalStatus(granted)).toBe(spent ? 'used' : 'revoked');
      expect(await entries('approval.revoked', { approvalId: granted })).toBe(spent ? 0 : 1);
    }
    await verified();
  });

  it('a write retiring the agent racing a person granting its pending approval: granted then revoked, or refused', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const agent = `race-grant-${round}`;
      const { pending } = await agentWithApprovals(agent);
      const [write, grant] = await Promise.all([put(0, agent, 'retired'), approve(1, pending)]);
      expect(write.statusCode, write.body).toBe(200);
      expect([200, 409], grant.body).toContain(grant.statusCode);
      expect(await approvalStatus(pending)).toBe('revoked');
      expect(await entries('approval.revoked', { approvalId: pending })).toBe(1);
      expect(await entries('approval.approved', { approvalId: pending })).toBe(grant.statusCode === 200 ? 1 : 0);
    }
    await verified();
  });

  it("a deletion racing the agent's key in use on the other node: the key is revoked once, no call answered 500", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const agent = `race-use-${round}`;
      const { key, credential } = await agentWithApprovals(agent);
      const calls = Array.from({ length: 5 }, (_, i) => refund(1, key, `${agent}-use-${i}`));
      const [gone, ...used] = await Promise.all([c.request(0, { method: 'DELETE', url: `/v1/agents/${agent}` }), ...calls]);
      expect(gone?.statusCode, gone?.body).toBe(204);
      for (const u of used) expect([200, 401], u.body).toContain(u.statusCode);
      expect(await entries('credential.revoked', { credential })).toBe(1);
      // Once the deletion committed, node 1 refuses the key.
      await until(async () => (await refund(1, key, `${agent}-after`)).statusCode === 401, 'node 1 to refuse the revoked key');
    }
    await verified();
  });
});
