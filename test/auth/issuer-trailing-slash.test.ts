// An issuer whose identifier ends in a slash (Auth0's `https://<tenant>.auth0.com/`, Entra ID v1's
// `https://sts.windows.net/<tenant>/`): `iss` must be compared with it exactly (RFC 7519 §4.1.1, OIDC
// Core §3.1.3.7), and the settings, written with or without the slash, must reach it. People sign in
// through a real OpenID Provider (oidc-provider) with such an issuer; agents present tokens a hand-held
// issuer with such an issuer signs.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IdentitySettings, parseIdentitySettings } from '../../src/auth/identity-config.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { consoleClient, type HandIssuer, type Idp, startHandIssuer, startIdp, walkIdp } from '../support/oidc.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const PUBLIC = 'http://127.0.0.1:4197';
const now = () => Math.floor(Date.now() / 1000);
const lookup = { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c-1' }, dataDomains: ['customer-records'] };

/** The settings as the server reads them from its environment, the issuers spelled as given. */
function settingsFrom(env: Record<string, string>): IdentitySettings {
  return { ...parseIdentitySettings({ FULCRUM_PUBLIC_URL: PUBLIC, ...env }), jwksCooldownMs: 0 };
}

describe.each(ENGINES)('an issuer whose identifier ends in a slash (%s)', (engine) => {
  let idp: Idp;
  let hand: HandIssuer;
  const servers: TestServer[] = [];

  beforeAll(async () => {
    idp = await startIdp([consoleClient(PUBLIC)], { trailingSlash: true });
    hand = await startHandIssuer({ trailingSlash: true });
    expect(idp.issuer.endsWith('/')).toBe(true);
  });
  afterAll(async () => {
    for (const t of servers) await t.close();
    await idp?.stop();
    await hand?.stop();
  });

  async function server(env: Record<string, string>): Promise<TestServer> {
    const t = await startTestServer(engine, { identity: settingsFrom(env) });
    servers.push(t);
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    return t;
  }

  // Written as the discovery document spells it (what docs/auth.md asks), and without the slash.
  it.each([
    ['with its slash', true],
    ['without its slash', false],
  ])('signs a person in through the console, the issuer written %s', async (_name, slash) => {
    const issuer = slash ? idp.issuer : idp.issuer.replace(/\/$/, '');
    const t = await server({
      FULCRUM_OIDC_ISSUER: issuer,
      FULCRUM_OIDC_CLIENT_ID: 'fulcrum',
      FULCRUM_OIDC_CLIENT_SECRET: 'fulcrum-secret',
    });
    const login = await t.request({ method: 'GET', url: '/auth/login', token: null });
    expect(login.statusCode, login.body).toBe(302);
    const loginCookie = (login.headers['set-cookie'] as string).split(';')[0] as string;
    const back = new URL(
      (await walkIdp(login.headers.location as string, 'dana.lee@acme.example', `${PUBLIC}/auth/callback`)).url,
    );
    // RFC 9207: the IdP names itself in the answer, with its slash.
    expect(back.searchParams.get('iss')).toBe(idp.issuer);
    const callback = await t.request({
      method: 'GET',
      url: `${back.pathname}${back.search}`,
      token: null,
      headers: { cookie: loginCookie },
    });
    expect(callback.statusCode, callback.body).toBe(302);
    const session = ([callback.headers['set-cookie']].flat() as string[]).find((c) => c.startsWith('fulcrum_session=fss_'));
    const cookie = (session as string).split(';')[0] as string;
    const me = await t.request({ method: 'GET', url: '/auth/session', token: null, headers: { cookie } });
    expect(me.json().session).toMatchObject({ person: 'dana.lee' });
  });

  it.each([
    ['with its slash', true],
    ['without its slash', false],
  ])("accepts an agent's access token, the issuer written %s, and names it in the resource metadata", async (_n, slash) => {
    const t = await server({ FULCRUM_AGENT_TOKEN_ISSUER: slash ? hand.issuer : hand.issuer.replace(/\/$/, '') });
    const current = (await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu' })).json();
    const put = await t.request({
      method: 'PUT',
      url: '/v1/agents/support-bot-eu',
      payload: { spec: { ...current.spec, oauthClientId: 'support-eu-client' } },
    });
    expect(put.statusCode, put.body).toBe(200);
    const claims = { aud: PUBLIC, client_id: 'support-eu-client', sub: 'support-eu-client', exp: now() + 300, iat: now() };
    const res = await t.request({ method: 'POST', url: '/v1/decisions', token: await hand.sign(claims), payload: lookup });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().decision).toBe('allow');
    // Still exactly: the issuer without its slash is another issuer.
    const other = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: await hand.sign({ ...claims, iss: hand.issuer.replace(/\/$/, '') }),
      payload: lookup,
    });
    expect(other.statusCode).toBe(401);
    expect(other.json().error.message).toContain('another issuer');
    // RFC 9728 §3.3 / RFC 8414 §3.3: a client checks that the metadata it fetches names this issuer exactly.
    const meta = await t.request({ method: 'GET', url: '/.well-known/oauth-protected-resource', token: null });
    expect(meta.json().authorization_servers).toEqual([hand.issuer]);
  });

  it('still refuses a discovery document that names another issuer than the one written', async () => {
    // The same IdP reached under another name: its document names 127.0.0.1, not localhost.
    const t = await server({ FULCRUM_AGENT_TOKEN_ISSUER: hand.issuer.replace('127.0.0.1', 'localhost') });
    const claims = { aud: PUBLIC, client_id: 'support-eu-client', exp: now() + 300, iat: now() };
    const res = await t.request({ method: 'POST', url: '/v1/decisions', token: await hand.sign(claims), payload: lookup });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.message).toContain(`names issuer "${hand.issuer}"`);
    const meta = await t.request({ method: 'GET', url: '/.well-known/oauth-protected-resource', token: null });
    expect(meta.statusCode).toBe(503);
  });
});
