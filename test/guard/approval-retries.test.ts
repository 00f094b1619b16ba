// Plain retries of a call whose approval was granted (issue 15): the same call, without the approval's
// id, goes through once; every other identical call after it asks a person again, whichever node it
// reaches and however the two nodes' transactions interleave. On PostgreSQL a retry on one node that
// read the approval as granted just before the other node spent it was refused with a 409 ("approval
// … was already used"), an error for a call that had named no approval, where the same retry on one
// node asked again.
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { pauseQuery, selectsFrom } from '../support/pause.js';
import {
  ADMIN_TOKEN,
  addApprover,
  startCluster,
  startMini,
  startNode,
  type TestCluster,
  type TestServer,
} from '../support/server.js';
import { until } from '../support/wait.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
type Node = { app: App; server: FastifyInstance };

const refund = (node: Node, key: string, amount: number, orderId = 'o-1') =>
  node.server.inject({
    method: 'POST',
    url: '/v1/decisions',
    headers: { authorization: `Bearer ${key}` },
    payload: {
      action: 'tool.call',
      tool: 'crm.refund',
      arguments: { amount, orderId },
      dataDomains: ['customer-records'],
    },
  });
const admin = (node: Node, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, token = ADMIN_TOKEN) =>
  node.server.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

/** The mini enterprise, a key of support-bot-eu and an approver's token, set up through `node`. */
async function setUp(node: Node): Promise<{ key: string; approver: string }> {
  expect((await admin(node, 'POST', '/v1/apply', { files: readBundle(MINI) })).statusCode).toBe(200);
  const key = (await admin(node, 'POST', '/v1/agents/support-bot-eu/keys')).json().key;
  await admin(node, 'PUT', '/v1/people/alex.approver', { spec: { displayName: 'Alex', roles: ['approver'] } });
  const approver = (await admin(node, 'POST', '/v1/people/alex.approver/tokens')).json().token;
  return { key, approver };
}

/** Asks for the refund through `node` and has it approved: the approval's id. */
async function approved(node: Node, key: string, approver: string, amount: number): Promise<string> {
  const asked = (await refund(node, key, amount)).json();
  expect(asked.decision).toBe('approval_required');
  const ok = await admin(node, 'POST', `/v1/approvals/${asked.approvalId}/approve`, {}, approver);
  expect(ok.statusCode, ok.body).toBe(200);
  return asked.approvalId;
}

describe.each(ENGINES)('plain retries of an approved call on two nodes (%s)', (engine) => {
  let c: TestCluster;
  let key: string;
  let approver: string;
  beforeAll(async () => {
    c = await startCluster(engine, [{ maxPendingApprovals: 1000 }, { maxPendingApprovals: 1000 }]);
    ({ key, approver } = await setUp(c.nodes[0] as Node));
  });
  afterAll(async () => c?.close());

  it('lets one through and has every other ask one new approval', async () => {
    const id = await approved(c.nodes[0] as Node, key, approver, 300);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => refund(c.nodes[i % 2] as Node, key, 300)));
    for (const a of answers) expect(a.statusCode, a.body).toBe(200);
    const bodies = answers.map((a) => a.json() as { decision: string; approvalId: string });
    expect(bodies.filter((b) => b.decision === 'allow')).toEqual([expect.objectContaining({ approvalId: id })]);
    const asking = bodies.filter((b) => b.decision !== 'allow');
    expect(new Set(asking.map((b) => `${b.decision} ${b.approvalId}`)).size).toBe(1);
    expect(asking[0]?.decision).toBe('approval_required');
    expect(asking[0]?.approvalId).not.toBe(id);
  });

  it('opens one approval a call when both nodes ask the same calls at once in opposite orders', async () => {
    // Each node's group commit took the calls' locks (the open key's unique index) in the order they
    // came: with two calls asked in opposite orders, each held one and waited on the other's, and
    // PostgreSQL ended one commit as a deadlock, every decision in it answered 500.
    const ask = (node: number, orderId: string) => refund(c.nodes[node] as Node, key, 100, orderId);
    for (let round = 0; round < 10; round++) {
      const ids = Array.from({ length: 6 }, (_, i) => `lock-${round}-${i}`);
      const answers = await Promise.all([...ids.map((o) => ask(0, o)), ...[...ids].reverse().map((o) => ask(1, o))]);
      for (const a of answers) expect(a.statusCode, `round ${round}: ${a.body}`).toBe(200);
      const opened = new Set(answers.map((a) => a.json().approvalId));
      expect(opened.size, `round ${round}`).toBe(ids.length);
    }
  });
});

describe.skipIf(!ENGINES.includes('postgres'))('a plain retry that read the approval granted as another node spent it', () => {
  let database: TestDatabase;
  let a: Node;
  let b: Node;
  // Node B stops once it has read, in its commit, the approval this call joins as granted.
  const held = pauseQuery({ query: selectsFrom('approvals'), row: (r) => r.status === 'approved' && r.open_key !== null });
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    a = await startNode(database);
    b = await startNode(database, {}, held.plugin);
  });
  afterAll(async () => {
    for (const n of [a, b]) {
      await n?.server.close();
      await n?.app.close();
    }
    await database?.drop();
  });

  it('asks a person again, as on one node, instead of a 409 for an approval it never named', async () => {
    const { key, approver } = await setUp(a);
    const id = await approved(a, key, approver, 300);
    const late = refund(b, key, 300);
    await held.paused;
    const first = await refund(a, key, 300);
    expect(first.json()).toMatchObject({ decision: 'allow', approvalId: id });
    held.release();
    const answer = await late;
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json().decision).toBe('approval_required');
    expect(answer.json().approvalId).not.toBe(id);
    const pending = (await admin(a, 'GET', '/v1/approvals?status=pending')).json().items;
    expect(pending.map((p: { id: string }) => p.id)).toEqual([answer.json().approvalId]);
  });
});

describe.each(ENGINES)('the same call once its approval expired or was denied (%s)', (engine) => {
  let t: TestServer;
  let key: string;
  let approver: string;
  const ask = async (amount: number) =>
    (
      await t.request({
        method: 'POST',
        url: '/v1/decisions',
        token: key,
        payload: {
          action: 'tool.call',
          tool: 'crm.refund',
          arguments: { amount, orderId: 'o-9' },
          dataDomains: ['customer-records'],
        },
      })
    ).json() as { decision: string; approvalId?: string; reasons: Array<{ policy: string; message?: string }> };
  const status = async (id: string) => (await t.request({ method: 'GET', url: `/v1/approvals/${id}` })).json().status;
  beforeAll(async () => {
    ({ t, key } = await startMini(engine, { approvalTtlSeconds: 1 }));
    approver = await addApprover(t);
  });
  afterAll(async () => t?.close());

  it('asks a person again after an approval expired undecided, or approved and unused', async () => {
    const first = await ask(310);
    await until(async () => (await status(first.approvalId as string)) === 'expired', 'the first approval to expire');
    const second = await ask(310);
    expect(second.decision).toBe('approval_required');
    expect(second.approvalId).not.toBe(first.approvalId);
    const ok = await t.request({
      method: 'POST',
      url: `/v1/approvals/${second.approvalId}/approve`,
      token: approver,
      payload: {},
    });
    expect(ok.statusCode, ok.body).toBe(200);
    await until(async () => (await status(second.approvalId as string)) === 'expired', 'the approved one to expire');
    // Granted, but not spent in time: the call does not go through on it.
    const third = await ask(310);
    expect(third.decision).toBe('approval_required');
    expect([first.approvalId, second.approvalId]).not.toContain(third.approvalId);
  });

  it('refuses the same call while its denial stands, saying until when, and asks again after', async () => {
    const asked = await ask(320);
    const no = await t.request({ method: 'POST', url: `/v1/approvals/${asked.approvalId}/deny`, token: approver, payload: {} });
    expect(no.statusCode, no.body).toBe(200);
    const refused = await ask(320);
    expect(refused).toMatchObject({ decision: 'deny', approvalId: asked.approvalId });
    expect(refused.reasons[0]?.message).toMatch(
      /denied by person:alex\.approver; the same call is refused until .*, after which calling it again asks again/,
    );
    let again = refused;
    await until(async () => {
      again = await ask(320);
      return again.decision !== 'deny';
    }, 'the denial to lapse');
    expect(again.decision).toBe('approval_required');
    expect(again.approvalId).not.toBe(asked.approvalId);
  });
});
