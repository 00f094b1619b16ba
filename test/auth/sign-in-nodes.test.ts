// A console sign-in started on one node and finished on another, on one database: the login cookie
// holds the sign-in's state, so any node takes the answer, and the session it makes is every node's.
// The same answer sent again, to the first node, is refused (the IdP redeems a code once) and
// recorded once; the IdP's refusal finished on the other node is recorded as on the first. A real
// OpenID Provider (oidc-provider) on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { MINI, readBundle } from '../support/files.js';
import { consoleClient, type Idp, ssoSettings, startIdp, walkIdp } from '../support/oidc.js';
import { startCluster, type TestCluster } from '../support/server.js';

const PUBLIC = 'http://127.0.0.1:4194';
const CALLBACK = `${PUBLIC}/auth/callback`;

describe.each(ENGINES)('a sign-in started on one node and finished on another (%s)', (engine) => {
  let idp: Idp;
  let c: TestCluster;

  beforeAll(async () => {
    idp = await startIdp([consoleClient(PUBLIC)]);
    const identity = ssoSettings(idp, PUBLIC);
    c = await startCluster(engine, [{ identity }, { identity }]);
    const applied = await c.request(0, { method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
  });
  afterAll(async () => {
    await c?.close();
    await idp?.stop();
  });

  const refusals = async () =>
    (await c.request(0, { method: 'GET', url: '/v1/audit?kind=auth.refused&limit=1000' })).json().items as Array<{
      detail: { reason: string };
    }>;
  async function started() {
    const login = await c.request(0, { method: 'GET', url: '/auth/login', token: null });
    expect(login.statusCode, login.body).toBe(302);
    return {
      location: login.headers.location as string,
      cookie: (login.headers['set-cookie'] as string).split(';')[0] as string,
    };
  }

  it('signs in on the other node, whose session both take; the answer replayed is refused and recorded once', async () => {
    const { location, cookie } = await started();
    const back = new URL((await walkIdp(location, 'dana.lee@acme.example', CALLBACK)).url);
    const url = `${back.pathname}${back.search}`;
    const done = await c.request(1, { method: 'GET', url, token: null, headers: { cookie } });
    expect(done.statusCode, done.body).toBe(302);
    const session = (done.headers['set-cookie'] as string[]).find((h) => h.startsWith('fulcrum_session='))?.split(';')[0];
    for (const node of [0, 1]) {
      const me = await c.request(node, { method: 'GET', url: '/v1/whoami', token: null, headers: { cookie: session as string } });
      expect(me.json(), `node ${node}`).toMatchObject({ type: 'person', id: 'dana.lee' });
    }
    const before = (await refusals()).length;
    const replay = await c.request(0, { method: 'GET', url, token: null, headers: { cookie } });
    expect(replay.statusCode, replay.body).toBe(502);
    expect(replay.body).toContain('refused the authorization code (invalid_grant)');
    const after = await refusals();
    expect(after.length).toBe(before + 1);
    expect(after[0]?.detail.reason).toBe('the IdP refused the authorization code (invalid_grant)');
  });

  it("records the IdP's refusal finished on the other node", async () => {
    const { location, cookie } = await started();
    const back = new URL((await walkIdp(location, 'dana.lee@acme.example', CALLBACK, 'cancel')).url);
    const before = (await refusals()).length;
    const page = await c.request(1, { method: 'GET', url: `${back.pathname}${back.search}`, token: null, headers: { cookie } });
    expect(page.statusCode, page.body).toBe(403);
    const after = await refusals();
    expect(after.length).toBe(before + 1);
    expect(after[0]?.detail.reason).toContain('(access_denied)');
  });
});
