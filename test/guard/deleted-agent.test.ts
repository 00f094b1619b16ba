// An approval is for one agent's call. Approvals were keyed by the agent's name only: an agent deleted
// while a call of it waited for approval, or held an approval not yet used, left that approval to
// whatever agent was registered next under the same name, which could then make the call approved
// for the agent that was deleted (or join its queue entry). Deleting an agent now revokes them
// (`agent removed from the registry`; before, it expired them, and the audit log said nothing).
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { ADMIN_TOKEN, startNode, startTestServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const spec = {
  initiative: 'support-deflection',
  archetype: 'support-agent',
  owner: 'omar.owner',
  framework: 'openai-agents-sdk',
};

describe.each(ENGINES)('approvals of a deleted agent (%s)', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  const key = async () => (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key as string;
  const refund = (token: string, orderId: string) =>
    t.request({
      method: 'POST',
      url: '/v1/decisions',
      token,
      payload: { action: 'tool.call', tool: 'crm.refund', arguments: { amount: 900, orderId } },
    });
  const recreate = async () => {
    expect((await t.request({ method: 'DELETE', url: '/v1/agents/support-bot-eu' })).statusCode).toBe(204);
    expect((await t.request({ method: 'PUT', url: '/v1/agents/support-bot-eu', payload: { spec } })).statusCode).toBe(201);
  };

  it('an approval granted and not yet used is not spent by the agent registered next under the name', async () => {
    const first = await refund(await key(), 'granted');
    expect(first.json()).toMatchObject({ decision: 'approval_required' });
    const id = first.json().approvalId;
    const approved = await t.request({ method: 'POST', url: `/v1/approvals/${id}/approve`, payload: { comment: 'ok' } });
    expect(approved.statusCode, approved.body).toBe(200);

    await recreate();
    const again = await refund(await key(), 'granted');
    expect(again.json().decision).toBe('approval_required');
    expect(again.json().approvalId).not.toBe(id);
    expect((await t.request({ method: 'GET', url: `/v1/approvals/${id}` })).json()).toMatchObject({
      status: 'revoked',
      revokedReason: 'agent removed from the registry',
    });
    // The deletion's revocation is in the audit log, by who deleted the agent, and the chain verifies.
    const acts = (await t.request({ method: 'GET', url: '/v1/audit?kind=approval.revoked&agent=support-bot-eu&limit=100' }))
      .json()
      .items.filter((e: { approvalId: string }) => e.approvalId === id);
    expect(acts).toEqual([
      expect.objectContaining({
        actor: 'admin',
        target: 'crm.refund',
        detail: expect.objectContaining({ reason: 'agent removed from the registry' }),
      }),
    ]);
    expect((await t.request({ method: 'GET', url: '/v1/audit/verify' })).json()).toMatchObject({ ok: true });
  });

  it('a pending approval is neither joined nor decidable once its agent is deleted', async () => {
    const first = await refund(await key(), 'pending');
    const id = first.json().approvalId;
    expect(id).toMatch(/^apr_/);

    await recreate();
    const again = await refund(await key(), 'pending');
    expect(again.json().decision).toBe('approval_required');
    expect(again.json().approvalId).not.toBe(id);
    const late = await t.request({ method: 'POST', url: `/v1/approvals/${id}/approve`, payload: {} });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toMatch(/was revoked: agent removed from the registry/);
    const pending = (await t.request({ method: 'GET', url: '/v1/approvals?status=pending' })).json();
    expect(pending.items.map((a: { id: string }) => a.id)).toEqual([again.json().approvalId]);
  });

  it('the agent registered next under the name reads none of the deleted one’s approvals, nor reports on its calls', async () => {
    const before = await key();
    const asked = await refund(before, 'read');
    const id = asked.json().approvalId as string;
    expect(id).toMatch(/^apr_/);
    const allowed = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: before,
      payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'C-read' } },
    });
    expect(allowed.json().decision, allowed.body).toBe('allow');
    const decisionId = allowed.json().decisionId as string;

    await recreate();
    const after = await key();
    const mine = await t.request({ method: 'GET', url: '/v1/approvals?limit=500', token: after });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().items.map((a: { id: string }) => a.id)).not.toContain(id);
    const one = await t.request({ method: 'GET', url: `/v1/approvals/${id}`, token: after });
    expect(one.statusCode, one.body).toBe(404);
    const reported = await t.request({
      method: 'POST',
      url: `/v1/decisions/${decisionId}/outcome`,
      token: after,
      payload: { outcome: 'failed', durationMs: 12 },
    });
    expect(reported.statusCode, reported.body).toBe(404);
    // A person still reads it, as it was left.
    expect((await t.request({ method: 'GET', url: `/v1/approvals/${id}` })).json()).toMatchObject({
      agent: 'support-bot-eu',
      status: 'revoked',
      arguments: { amount: 900, orderId: 'read' },
    });
    // What the new registration asks and is allowed, it reads and reports on.
    const own = await refund(after, 'own');
    expect((await t.request({ method: 'GET', url: `/v1/approvals/${own.json().approvalId}`, token: after })).statusCode).toBe(
      200,
    );
    const ownAllowed = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: after,
      payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'C-own' } },
    });
    const ownReport = await t.request({
      method: 'POST',
      url: `/v1/decisions/${ownAllowed.json().decisionId}/outcome`,
      token: after,
      payload: { outcome: 'succeeded', durationMs: 12 },
    });
    expect(ownReport.statusCode, ownReport.body).toBe(204);
  });
});

describe.each(ENGINES)('a wait on an approval whose agent is deleted (%s)', (engine) => {
  // The node's reads of the approvals waited on (src/guard/guard-service.ts readWatched): one means a
  // long poll is under way.
  let watchReads = 0;
  const plugin: KyselyPlugin = {
    transformQuery: ({ node }) => {
      if (node.kind === 'SelectQueryNode' && JSON.stringify(node.from).includes('"approvals"') && node.selections?.length === 3)
        watchReads++;
      return node;
    },
    transformResult: async ({ result }) => result,
  };

  it('a wait begun before the deletion hears that the deletion revoked the approval', async () => {
    const database = await createTestDatabase(engine);
    const { app, server } = await startNode(database, {}, plugin);
    const request = (o: InjectOptions, token = ADMIN_TOKEN) =>
      server.inject({ ...o, headers: { authorization: `Bearer ${token}` } });
    try {
      expect((await request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
      const key = (await request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key as string;
      const asked = await request(
        {
          method: 'POST',
          url: '/v1/decisions',
          payload: { action: 'tool.call', tool: 'crm.refund', arguments: { amount: 900, orderId: 'waiting' } },
        },
        key,
      );
      const id = asked.json().approvalId as string;
      const waiting = request({ method: 'GET', url: `/v1/approvals/${id}?wait=30` }, key);
      await until(() => watchReads > 0, 'the node to read the approval waited on');
      expect((await request({ method: 'DELETE', url: '/v1/agents/support-bot-eu' })).statusCode).toBe(204);
      const heard = await waiting;
      expect(heard.statusCode, heard.body).toBe(200);
      expect(heard.json()).toMatchObject({ status: 'revoked', revokedReason: 'agent removed from the registry' });
    } finally {
      await server.close();
      await app.close();
      await database.drop();
    }
  });
});
