// The console's session cookie as an attacker meets it: every operation that changes something,
// whichever it is (the document the server serves lists them, so a route added later is covered), is
// refused without the session's CSRF header or from another origin; routes for agents never take the
// cookie; a sign-out through one node ends the session on every node; and over https the cookie is
// `__Host-` prefixed and Secure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleSessions, csrfTokenFor } from '../../src/auth/console-sessions.js';
import { parseIdentitySettings } from '../../src/auth/identity-config.js';
import { ENGINES } from '../support/databases.js';
import { readMini } from '../support/files.js';
import { startCluster, startTestServer, type TestCluster } from '../support/server.js';

// Sessions are made directly, as sign-in makes them; no request reaches this issuer.
const ISSUER = 'http://127.0.0.1:9';
const sso = (publicUrl: string) =>
  parseIdentitySettings({ FULCRUM_PUBLIC_URL: publicUrl, FULCRUM_OIDC_ISSUER: ISSUER, FULCRUM_OIDC_CLIENT_ID: 'fulcrum' });
const PUBLIC = 'http://127.0.0.1:4100';

type Operation = { operationId: string; security?: unknown[] };

describe.each(ENGINES)('console sessions (%s)', (engine) => {
  let c: TestCluster;
  let token: string;

  const session = async () =>
    (
      (await createConsoleSessions({
        db: (c.nodes[0] as TestCluster['nodes'][0]).app.database.db,
        ttlSeconds: 600,
        issuer: ISSUER,
      }).create('ada.admin', 'ada@acme.example', 'browser')) as { token: string }
    ).token;

  beforeAll(async () => {
    c = await startCluster(engine, [
      { identity: sso(PUBLIC), authFailuresPerMinute: 1_000_000 },
      { identity: sso(PUBLIC), authFailuresPerMinute: 1_000_000 },
    ]);
    expect((await c.request(0, { method: 'POST', url: '/v1/apply', payload: { files: readMini() } })).statusCode).toBe(200);
    const ada = { spec: { displayName: 'Ada', roles: ['admin'], email: 'ada@acme.example' } };
    expect((await c.request(0, { method: 'PUT', url: '/v1/people/ada.admin', payload: ada })).statusCode).toBe(201);
    token = await session();
  });
  afterAll(async () => c?.close());

  it('refuses every operation that changes something without the CSRF header, or from another origin', async () => {
    const doc = (await c.request(0, { method: 'GET', url: '/openapi.json', token: null })).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    const cookie = `fulcrum_session=${token}`;
    const wrong: string[] = [];
    let checked = 0;
    for (const [p, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) {
        // Public routes take no session (/auth/logout checks the header itself: test/auth/sign-in.test.ts).
        if (method === 'get' || op.security?.length === 0) continue;
        const url = p.replace(/\{\w+\}/g, 'x');
        const send = (headers: Record<string, string>) =>
          c.request(0, {
            method: method.toUpperCase() as 'POST',
            url,
            token: null,
            headers: { cookie, ...headers },
            payload: {},
          });
        const bare = await send({});
        const elsewhere = await send({ 'x-fulcrum-csrf': csrfTokenFor(token), origin: 'https://evil.example' });
        const right = await send({ 'x-fulcrum-csrf': csrfTokenFor(token), origin: PUBLIC });
        checked++;
        // Agent routes never read the cookie: 401 whatever comes with it.
        if (right.statusCode === 401) {
          if (bare.statusCode !== 401 || elsewhere.statusCode !== 401)
            wrong.push(`${op.operationId}: an agent route answered the cookie ${bare.statusCode}/${elsewhere.statusCode}`);
          continue;
        }
        for (const [what, res] of [
          ['no header', bare],
          ['another origin', elsewhere],
        ] as const)
          if (res.statusCode !== 403 || !res.body.includes('X-Fulcrum-CSRF'))
            wrong.push(`${op.operationId} with ${what}: ${res.statusCode} ${res.body.slice(0, 120)}`);
        if (right.statusCode === 403 && right.body.includes('X-Fulcrum-CSRF'))
          wrong.push(`${op.operationId}: refused with the right header`);
      }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it('refuses a read that reaches beyond Fulcrum (MCP discovery) without the CSRF header, as a change', async () => {
    const cookie = `fulcrum_session=${token}`;
    const discover = (headers: Record<string, string>) =>
      c.request(0, { method: 'GET', url: '/v1/mcp-servers/crm/tools', token: null, headers: { cookie, ...headers } });
    // A link followed from another site carries the cookie and nothing else.
    for (const res of [
      await discover({}),
      await discover({ 'x-fulcrum-csrf': csrfTokenFor(token), origin: 'https://evil.example' }),
    ]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.body).toContain('X-Fulcrum-CSRF');
    }
    // The console sends the header with every request: it gets past the check.
    const right = await discover({ 'x-fulcrum-csrf': csrfTokenFor(token), origin: PUBLIC });
    expect(right.body).not.toContain('X-Fulcrum-CSRF');
    expect(right.statusCode, right.body).toBe(404); // no McpServer crm: nothing is started
    // Other reads are as they were: the cookie alone reads them.
    expect((await c.request(0, { method: 'GET', url: '/v1/agents', token: null, headers: { cookie } })).statusCode).toBe(200);
  });

  it('ends a session signed out through one node on every node', async () => {
    const mine = await session();
    const cookie = `fulcrum_session=${mine}`;
    const whoami = (node: number) => c.request(node, { method: 'GET', url: '/v1/whoami', token: null, headers: { cookie } });
    expect((await whoami(1)).statusCode).toBe(200);
    const out = await c.request(0, {
      method: 'POST',
      url: '/auth/logout',
      token: null,
      headers: { cookie, 'x-fulcrum-csrf': csrfTokenFor(mine) },
    });
    expect(out.statusCode).toBe(204);
    for (const node of [0, 1]) {
      const res = await whoami(node);
      expect(res.statusCode, `node ${node}`).toBe(401);
      expect(res.json().error.message).toContain('session has ended');
    }
    // Nor does the same secret work as a `fulcrum login` bearer there.
    expect((await c.request(1, { method: 'GET', url: '/v1/whoami', token: mine })).statusCode).toBe(401);
  });
});

describe('the session cookie over https', () => {
  it('is __Host- prefixed, Secure, httpOnly and SameSite, and the plain name is not read', async () => {
    const t = await startTestServer('sqlite', { identity: sso('https://fulcrum.example.com') });
    try {
      const dead = `fss_${'A'.repeat(43)}`;
      const res = await t.request({
        method: 'GET',
        url: '/auth/session',
        token: null,
        headers: { cookie: `__Host-fulcrum_session=${dead}` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['set-cookie']).toBe('__Host-fulcrum_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure');
      // A cookie under the plain name (set over http, or by a sibling subdomain) is no session here.
      const plain = await t.request({
        method: 'GET',
        url: '/v1/whoami',
        token: null,
        headers: { cookie: `fulcrum_session=${dead}` },
      });
      expect(plain.statusCode).toBe(401);
      expect(plain.json().error.message).toContain('missing "Authorization');
    } finally {
      await t.close();
    }
  });
});
