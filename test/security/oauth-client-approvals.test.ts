// Separation of duties for agents that call with OAuth access tokens (docs/auth.md): whoever bound the
// client to the agent (spec.oauthClientId) stands behind its calls as a key's issuer does. Found by
// review: an admin pointed an agent at a client of their own, called with its tokens and approved the
// call themself. Tokens come from a hand-held issuer over real HTTP.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { type HandIssuer, startHandIssuer } from '../support/oidc.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const PUBLIC = 'http://127.0.0.1:4199';
const now = () => Math.floor(Date.now() / 1000);

describe.each(ENGINES)('approvals of calls made with an OAuth client on %s', (engine) => {
  let t: TestServer;
  let hand: HandIssuer;
  const tokens: Record<string, string> = {};

  const accessToken = (client: string) =>
    hand.sign({ aud: PUBLIC, client_id: client, sub: client, exp: now() + 300, iat: now() });
  const refund = (token: string, orderId: string) =>
    t.request({
      method: 'POST',
      url: '/v1/decisions',
      token,
      payload: { action: 'tool.call', tool: 'crm.refund', arguments: { orderId, amount: 5000 } },
    });
  const decide = (id: string, how: 'approve' | 'deny', who: string) =>
    t.request({ method: 'POST', url: `/v1/approvals/${id}/${how}`, token: tokens[who], payload: {} });
  const bind = async (client: string, who: string) => {
    const current = (await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu' })).json();
    const res = await t.request({
      method: 'PUT',
      url: '/v1/agents/support-bot-eu',
      token: tokens[who],
      payload: { spec: { ...current.spec, oauthClientId: client } },
    });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    hand = await startHandIssuer();
    t = await startTestServer(engine, {
      identity: { publicUrl: PUBLIC, agentTokenIssuer: hand.issuer, sessionSeconds: 3600, jwksCooldownMs: 0 },
    });
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    for (const [name, roles] of [
      ['ada.admin', ['admin']],
      ['alice.approver', ['approver']],
    ] as const) {
      const res = await t.request({ method: 'PUT', url: `/v1/people/${name}`, payload: { spec: { displayName: name, roles } } });
      expect(res.statusCode, res.body).toBe(201);
      tokens[name] = (await t.request({ method: 'POST', url: `/v1/people/${name}/tokens`, payload: {} })).json().token;
    }
  });
  afterAll(async () => {
    await t?.close();
    await hand?.stop();
  });

  it('refuses the admin who bound the client deciding its call; another approver decides it', async () => {
    await bind('ada-own-client', 'ada.admin');
    const asked = await refund(await accessToken('ada-own-client'), 'O-1');
    expect(asked.json().decision, asked.body).toBe('approval_required');
    const id = asked.json().approvalId as string;
    for (const how of ['approve', 'deny'] as const) {
      const own = await decide(id, how, 'ada.admin');
      expect(own.statusCode, own.body).toBe(403);
      expect(own.json().error.message).toBe(
        'separation of duties: ada.admin bound OAuth client "ada-own-client" to support-bot-eu, whose access token this call came with, so may not decide its approval; another approver must',
      );
    }
    // The approval says who may not decide it, so the console offers them no buttons.
    expect((await t.request({ method: 'GET', url: `/v1/approvals/${id}` })).json()).toMatchObject({
      status: 'pending',
      oauthClient: 'ada-own-client',
      clientBinders: ['ada.admin'],
      keyIssuer: null,
    });
    const listed = (await t.request({ method: 'GET', url: '/v1/approvals?status=pending' })).json().items;
    expect(listed.find((a: { id: string }) => a.id === id)).toMatchObject({ clientBinders: ['ada.admin'] });
    const other = await decide(id, 'approve', 'alice.approver');
    expect(other.statusCode, other.body).toBe(200);
    const spent = await refund(await accessToken('ada-own-client'), 'O-1');
    expect(spent.json(), spent.body).toMatchObject({ decision: 'allow' });
    expect((await t.request({ method: 'GET', url: `/v1/approvals/${id}` })).json().status).toBe('used');
  });

  it("refuses spending with the client's tokens an approval its binder decided; a key's call spends it", async () => {
    await bind('ada-second-client', 'ada.admin');
    const key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key as string;
    const opened = await refund(key, 'O-2');
    expect(opened.json().decision, opened.body).toBe('approval_required');
    const id = opened.json().approvalId as string;
    const joined = await refund(await accessToken('ada-second-client'), 'O-2');
    expect(joined.json()).toMatchObject({ decision: 'approval_required', approvalId: id });
    // The call that opened it came with a key the admin token issued: ada may decide it.
    expect((await decide(id, 'approve', 'ada.admin')).statusCode).toBe(200);
    const pushed = await refund(await accessToken('ada-second-client'), 'O-2');
    expect(pushed.statusCode, pushed.body).toBe(409);
    expect(pushed.json().error.message).toBe(
      `approval ${id} was decided by ada.admin, who bound OAuth client "ada-second-client" to support-bot-eu, whose access token this call came with: a call made with that client's tokens may not spend it (separation of duties)`,
    );
    expect((await t.request({ method: 'GET', url: `/v1/approvals/${id}` })).json().status).toBe('approved');
    expect((await refund(key, 'O-2')).json()).toMatchObject({ decision: 'allow' });
  });

  it('keeps a binder on record after the client is moved away and back by someone else', async () => {
    await bind('ada-third-client', 'ada.admin');
    await bind('neutral-client', 'ada.admin');
    // The admin token binds ada's client again: ada may still hold its secret.
    const current = (await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu' })).json();
    const back = await t.request({
      method: 'PUT',
      url: '/v1/agents/support-bot-eu',
      payload: { spec: { ...current.spec, oauthClientId: 'ada-third-client' } },
    });
    expect(back.statusCode, back.body).toBe(200);
    const asked = await refund(await accessToken('ada-third-client'), 'O-3');
    expect(asked.json().decision, asked.body).toBe('approval_required');
    expect((await decide(asked.json().approvalId, 'approve', 'ada.admin')).statusCode).toBe(403);
  });
});
