// Agents presenting OAuth access tokens (RFC 9068 JWTs) on the agent routes: what is accepted, what is
// refused (and how the 401 says so), that the agent is the same Principal an fk_ key gives, and that an
// unknown client is a shadow identity. Tokens come from a hand-held issuer over real HTTP (so the test
// can sign what no IdP would) and from a real OpenID Provider (oidc-provider) with a real key rotation.
import path from 'node:path';
import { base64url, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentitySettings } from '../../src/auth/identity-config.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { type HandIssuer, type Idp, startHandIssuer, startIdp } from '../support/oidc.js';
import { startCluster, startTestServer, type TestCluster, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const PUBLIC = 'http://127.0.0.1:4199';
const now = () => Math.floor(Date.now() / 1000);
const lookup = { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c-1' }, dataDomains: ['customer-records'] };

function identity(agentTokenIssuer: string): IdentitySettings {
  return { publicUrl: PUBLIC, agentTokenIssuer, sessionSeconds: 3600, jwksCooldownMs: 0 };
}

async function withClient(t: TestServer, agent: string, clientId: string) {
  const current = (await t.request({ method: 'GET', url: `/v1/agents/${agent}` })).json();
  const res = await t.request({
    method: 'PUT',
    url: `/v1/agents/${agent}`,
    payload: { spec: { ...current.spec, oauthClientId: clientId } },
  });
  expect(res.statusCode, res.body).toBe(200);
}

describe.each(ENGINES)('agent access tokens from a hand-held issuer (%s)', (engine) => {
  let t: TestServer;
  let hand: HandIssuer;
  const claims = (extra: Record<string, unknown> = {}) => ({
    aud: PUBLIC,
    client_id: 'support-eu-client',
    sub: 'support-eu-client',
    exp: now() + 300,
    iat: now(),
    ...extra,
  });
  const decide = (token: string) => t.request({ method: 'POST', url: '/v1/decisions', token, payload: lookup });

  beforeAll(async () => {
    hand = await startHandIssuer();
    t = await startTestServer(engine, { identity: identity(hand.issuer) });
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    await withClient(t, 'support-bot-eu', 'support-eu-client');
  });
  afterAll(async () => {
    await t?.close();
    await hand?.stop();
  });

  it('accepts a valid token as the Agent whose spec.oauthClientId is its client', async () => {
    const res = await decide(await hand.sign(claims()));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().decision).toBe('allow');
    const audit = (await t.request({ method: 'GET', url: '/v1/audit?limit=1' })).json().items[0];
    expect(audit).toMatchObject({ agent: 'support-bot-eu', kind: 'decision' });
    // The same Principal an fk_ key gives: whoami says agent, and the registry stays closed to it.
    const me = await t.request({ method: 'GET', url: '/v1/agents', token: await hand.sign(claims()) });
    expect(me.statusCode).toBe(401); // person routes take no access tokens at all
  });

  it.each([
    ['wrong audience', () => claims({ aud: 'https://elsewhere.example' }), 'audience'],
    ['the MCP audience on the API', () => claims({ aud: `${PUBLIC}/mcp` }), 'audience'],
    ['wrong issuer', () => claims({ iss: 'https://evil.example' }), 'another issuer'],
    ['expired', () => claims({ exp: now() - 600, iat: now() - 900 }), 'expired'],
    ['no client', () => claims({ client_id: undefined, sub: 'x' }), 'names no client'],
    ['an iat in the future', () => claims({ iat: now() + 600, exp: now() + 900 }), 'issued in the future (its iat claim)'],
    ['an nbf in the future', () => claims({ nbf: now() + 600 }), 'not valid yet (its nbf claim'],
  ])('refuses a token with %s: 401, WWW-Authenticate with invalid_token', async (_name, make, why) => {
    const res = await decide(await hand.sign(make()));
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toContain(why);
    expect(res.headers['www-authenticate']).toBe(
      `Bearer realm="fulcrum", resource_metadata="http://127.0.0.1:4199/.well-known/oauth-protected-resource", error="invalid_token", error_description="${res.json().error.message}"`,
    );
  });

  it('refuses alg none and HS256 signed with the public key', async () => {
    const body = base64url.encode(JSON.stringify(claims()));
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }))}.${body}.`;
    const r1 = await decide(none);
    expect(r1.statusCode).toBe(401);
    expect(r1.json().error.message).toContain('not signed with an allowed');
    // The classic confusion: the issuer's public key (as published) used as an HMAC secret.
    const jwk = hand.publicJwk();
    const secret = new TextEncoder().encode(JSON.stringify(jwk));
    const hs = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: jwk.kid as string, typ: 'at+jwt' })
      .sign(secret);
    const r2 = await decide(hs);
    expect(r2.statusCode).toBe(401);
    expect(r2.json().error.message).toContain('not signed with an allowed');
    const nKey = new TextEncoder().encode(jwk.n as string);
    const r3 = await decide(await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: jwk.kid as string }).sign(nKey));
    expect(r3.statusCode).toBe(401);
  });

  it('refuses an oversized token without asking the issuer, and a forged one after asking it once', async () => {
    const fetches = hand.jwksFetches();
    const big = await decide(`eyJ${'a'.repeat(9000)}.e.e`);
    expect(big.statusCode).toBe(401);
    expect(big.json().error.message).toContain('longer than 8192 bytes');
    expect(hand.jwksFetches()).toBe(fetches);
    const token = await hand.sign(claims());
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(342)}`;
    const refused = await decide(forged);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toContain('signature does not verify');
    // The keys may have changed under the same kid: fetched again (at most once per cooldown, 0 here).
    expect(hand.jwksFetches()).toBe(fetches + 1);
  });

  it('accepts a token signed with a new key under the same kid once the JWKS is fetched again', async () => {
    expect((await decide(await hand.sign(claims()))).statusCode).toBe(200);
    const fetches = hand.jwksFetches();
    await hand.rekey();
    const res = await decide(await hand.sign(claims()));
    expect(res.statusCode, res.body).toBe(200);
    expect(hand.jwksFetches()).toBe(fetches + 1);
  });

  it('accepts a token signed with a new key once the JWKS is refetched (unknown kid)', async () => {
    expect((await decide(await hand.sign(claims()))).statusCode).toBe(200);
    const fetches = hand.jwksFetches();
    await hand.rotate();
    const res = await decide(await hand.sign(claims()));
    expect(res.statusCode, res.body).toBe(200);
    expect(hand.jwksFetches()).toBe(fetches + 1);
    // A kid the issuer never published: one more fetch, then refused.
    const ghost = await hand.sign(claims(), { kid: 'never-published' });
    const refused = await decide(ghost);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toContain('signing key is not among');
  });

  it('takes a token an Anthropic client sends as x-api-key on the LLM gateway, as it takes an agent key there', async () => {
    const token = await hand.sign(claims({ scope: 'x'.repeat(1200) }));
    expect(token.length).toBeGreaterThan(512);
    const call = (headers: Record<string, string>) =>
      t.request({
        method: 'POST',
        url: '/llm/anthropic/v1/messages',
        token: null,
        headers: { ...headers, 'content-type': 'application/json' },
        payload: { model: 'no-such-model', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] },
      });
    const asBearer = await call({ authorization: `Bearer ${token}` });
    expect(asBearer.statusCode, asBearer.body).not.toBe(401);
    const asKey = await call({ 'x-api-key': token });
    expect(asKey.statusCode, asKey.body).toBe(asBearer.statusCode);
    expect(asKey.json()).toEqual(asBearer.json());
  });

  it('records an unknown client as a shadow identity, and refuses it', async () => {
    const res = await decide(await hand.sign(claims({ client_id: 'rogue-client' })));
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toContain('no Agent has spec.oauthClientId "rogue-client"');
    await t.app.guard.flushShadows();
    const shadows = (await t.request({ method: 'GET', url: '/v1/shadow-agents' })).json().items;
    expect(shadows).toContainEqual(expect.objectContaining({ identity: 'oauth:rogue-client', source: 'unknown-key', count: 1 }));
  });

  it('applies suspension to a token-authenticated agent as to a key', async () => {
    const token = await hand.sign(claims());
    const s = await t.request({
      method: 'POST',
      url: '/v1/agents/support-bot-eu/suspend',
      payload: { reason: 'token test' },
    });
    expect(s.statusCode, s.body).toBe(200);
    const res = await decide(token);
    expect(res.json().decision).toBe('deny');
    await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/resume', payload: { reason: 'done' } });
    // Deleting the client from the Agent is revoking it: the same token is refused at once.
    await withClient(t, 'support-bot-eu', 'another-client');
    expect((await decide(token)).statusCode).toBe(401);
    await withClient(t, 'support-bot-eu', 'support-eu-client');
  });

  it('refuses two agents with one OAuth client, naming both', async () => {
    const eu = (await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu' })).json();
    const res = await t.request({
      method: 'PUT',
      url: '/v1/agents/support-bot-twin',
      payload: { spec: { ...eu.spec, oauthClientId: 'support-eu-client' } },
    });
    expect(res.statusCode).toBe(422);
    expect(JSON.stringify(res.json().error.details)).toContain("already Agent support-bot-eu's");
    expect((await t.request({ method: 'GET', url: '/v1/agents/support-bot-twin' })).statusCode).toBe(404);
    const blank = await t.request({
      method: 'PUT',
      url: '/v1/agents/support-bot-twin',
      payload: { spec: { ...eu.spec, oauthClientId: 'has space' } },
    });
    expect(blank.statusCode).toBe(422);
  });

  it('says on every 401 of an agent route where to get a token, and serves the metadata', async () => {
    for (const url of ['/v1/decisions', '/v1/events', '/mcp']) {
      const res = await t.request({ method: 'POST', url, token: null, payload: {} });
      expect(res.statusCode, url).toBe(401);
      const meta = url === '/mcp' ? '/.well-known/oauth-protected-resource/mcp' : '/.well-known/oauth-protected-resource';
      expect(res.headers['www-authenticate']).toBe(`Bearer realm="fulcrum", resource_metadata="${PUBLIC}${meta}"`);
    }
    const bad = await t.request({ method: 'POST', url: '/mcp', token: 'fk_unknown', payload: {} });
    expect(bad.headers['www-authenticate']).toContain('error="invalid_token"');
    const api = await t.request({ method: 'GET', url: '/.well-known/oauth-protected-resource', token: null });
    expect(api.json()).toEqual({
      resource: PUBLIC,
      authorization_servers: [hand.issuer],
      bearer_methods_supported: ['header'],
      resource_name: 'Fulcrum agent API',
      resource_documentation: `${PUBLIC}/docs`,
    });
    const mcp = await t.request({ method: 'GET', url: '/.well-known/oauth-protected-resource/mcp', token: null });
    expect(mcp.json()).toMatchObject({ resource: `${PUBLIC}/mcp`, authorization_servers: [hand.issuer] });
    // Person routes keep their plain 401 (no OAuth challenge: people sign in through the console).
    expect((await t.request({ method: 'GET', url: '/v1/agents', token: null })).headers['www-authenticate']).toBeUndefined();
  });
});

describe('forged signatures against an issuer with a cooldown (sqlite)', () => {
  it('ask the issuer again at most once per cooldown, counted from the last fetch', async () => {
    const hand = await startHandIssuer();
    const t = await startTestServer('sqlite', { identity: { ...identity(hand.issuer), jwksCooldownMs: 3_600_000 } });
    try {
      expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
      await withClient(t, 'support-bot-eu', 'support-eu-client');
      const claims = { aud: PUBLIC, client_id: 'support-eu-client', sub: 'support-eu-client', exp: now() + 300, iat: now() };
      const decide = (token: string) => t.request({ method: 'POST', url: '/v1/decisions', token, payload: lookup });
      const token = await hand.sign(claims);
      expect((await decide(token)).statusCode).toBe(200); // the keys fetched
      const fetches = hand.jwksFetches();
      const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(342)}`;
      for (let i = 0; i < 5; i++) expect((await decide(forged)).statusCode).toBe(401);
      expect(hand.jwksFetches()).toBe(fetches);
    } finally {
      await t.close();
      await hand.stop();
    }
  });
});

describe('agent access tokens on two nodes (sqlite)', () => {
  // Neither node polls the registry during the test: what one learns of the other's writes, it learns
  // from the database reads under test.
  let c: TestCluster;
  let hand: HandIssuer;
  const token = (client: string) => hand.sign({ aud: PUBLIC, client_id: client, sub: client, exp: now() + 300, iat: now() });
  const decideOn = async (node: number, client: string) =>
    c.request(node, { method: 'POST', url: '/v1/decisions', token: await token(client), payload: lookup });
  const giveClient = async (client: string) => {
    const current = (await c.request(0, { method: 'GET', url: '/v1/agents/support-bot-eu' })).json();
    const res = await c.request(0, {
      method: 'PUT',
      url: '/v1/agents/support-bot-eu',
      payload: { spec: { ...current.spec, oauthClientId: client } },
    });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    hand = await startHandIssuer();
    const node = { identity: identity(hand.issuer), registryPollMs: 3_600_000 };
    c = await startCluster('sqlite', [node, node]);
    const applied = await c.request(0, { method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
  });
  afterAll(async () => {
    await c?.close();
    await hand?.stop();
  });

  it('accepts a client given to an Agent through the other node at once, and refuses it once taken off', async () => {
    await giveClient('first-client');
    const accepted = await decideOn(1, 'first-client');
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().decision).toBe('allow');
    // Taken off through node 0: node 1, still holding the Agent with it, refuses the next decision at its commit.
    await giveClient('second-client');
    const refused = await decideOn(1, 'first-client');
    expect(refused.statusCode, refused.body).toBe(401);
    expect(refused.json().error.message).toBe(
      'access token refused: OAuth client "first-client" was taken off Agent support-bot-eu',
    );
    expect((await decideOn(1, 'second-client')).json().decision).toBe('allow');
  });
});

describe('agent access tokens from a real OpenID Provider (oidc-provider)', () => {
  let t: TestServer;
  let idp: Idp;

  beforeAll(async () => {
    idp = await startIdp([{ client_id: 'support-eu-client', client_secret: 'cs-1', grant_types: ['client_credentials'] }]);
    t = await startTestServer('sqlite', { identity: identity(idp.issuer) });
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    await withClient(t, 'support-bot-eu', 'support-eu-client');
  });
  afterAll(async () => {
    await t?.close();
    await idp?.stop();
  });

  const decide = (token: string) => t.request({ method: 'POST', url: '/v1/decisions', token, payload: lookup });

  it('accepts a client-credentials token for the API resource, refuses one for the MCP resource', async () => {
    const ok = await decide(await idp.clientToken('support-eu-client', 'cs-1', PUBLIC));
    expect(ok.statusCode, ok.body).toBe(200);
    const mcpToken = await idp.clientToken('support-eu-client', 'cs-1', `${PUBLIC}/mcp`);
    const wrong = await decide(mcpToken);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.message).toContain('audience');
  });

  it('accepts tokens signed after a key rotation once the JWKS is refreshed', async () => {
    expect((await decide(await idp.clientToken('support-eu-client', 'cs-1', PUBLIC))).statusCode).toBe(200);
    await idp.rotate();
    const token = await idp.clientToken('support-eu-client', 'cs-1', PUBLIC);
    expect(JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()).kid).toBe('k2');
    const res = await decide(token);
    expect(res.statusCode, res.body).toBe(200);
  });
});
