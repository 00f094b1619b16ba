// An approval is for one agent's call. Approvals were keyed by the agent's name only: an agent deleted
// while a call of it waited for approval, or held an approval not yet used, left that approval to
// whatever agent was registered next under the same name, which could then make the call approved
// for the agent that was deleted (or join its queue entry). Deleting an agent now revokes them
// (`agent removed from the registry`; before, it expired them, and the audit log said nothing).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

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
});
