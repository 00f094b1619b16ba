// The IdP's refusal sent back to the console's callback (`?error=…`, RFC 6749 §4.1.2.1), to the browser
// that started the sign-in, is an auth.refused entry and a page that says what happened: before (found
// by review), it was a page quoting whatever `error` and `error_description` said, and nothing in the
// log. Only a short OAuth error code is quoted. Each costs the address a failed credential before its
// entry (an IdP failing, server_error, its budget of calls to the IdP instead), so a flood from one
// address is recorded only up to its budget. A real OpenID Provider (oidc-provider) cancels a sign-in;
// the other codes are what an IdP would send back to the same browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { MINI, readBundle } from '../support/files.js';
import { consoleClient, type Idp, ssoSettings, startIdp, walkIdp } from '../support/oidc.js';
import { startTestServer, type TestServer } from '../support/server.js';

const PUBLIC = 'http://127.0.0.1:4196';
const CALLBACK = `${PUBLIC}/auth/callback`;
const NAME = 'Acme IdP'; // ssoSettings' name for the IdP

describe.each(ENGINES)("the IdP's refusal at the console's callback, in the audit log (%s)", (engine) => {
  let idp: Idp;
  let t: TestServer;
  const servers: TestServer[] = [];

  async function start(authFailuresPerMinute = 30): Promise<TestServer> {
    const server = await startTestServer(engine, {
      identity: ssoSettings(idp, PUBLIC),
      authFailuresPerMinute,
    });
    servers.push(server);
    const applied = await server.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode).toBe(200);
    return server;
  }
  beforeAll(async () => {
    idp = await startIdp([consoleClient(PUBLIC)]);
    t = await start();
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await idp?.stop();
  });

  /** A sign-in started at `server`: its login cookie, and a callback with `query` (its state added). */
  async function started(server = t) {
    const login = await server.request({ method: 'GET', url: '/auth/login', token: null });
    expect(login.statusCode, login.body).toBe(302);
    const cookie = (login.headers['set-cookie'] as string).split(';')[0] as string;
    const state = new URL(login.headers.location as string).searchParams.get('state') as string;
    return {
      location: login.headers.location as string,
      cookie,
      back: (query: Record<string, string>) =>
        server.request({
          method: 'GET',
          url: `/auth/callback?${new URLSearchParams({ ...query, state })}`,
          token: null,
          headers: { cookie },
        }),
    };
  }
  const refusals = async (server = t) =>
    (await server.request({ method: 'GET', url: '/v1/audit?kind=auth.refused&limit=1000' })).json().items as Array<{
      actor: string;
      detail: Record<string, unknown>;
    }>;
  const recorded = async (server: TestServer) =>
    (await server.app.database.db.selectFrom('audit_entries').select('id').where('kind', '=', 'auth.refused').execute()).length;

  it('records a sign-in the person cancelled at the IdP, and says so on the page', async () => {
    const { location, cookie } = await started();
    const back = new URL((await walkIdp(location, 'dana.lee@acme.example', CALLBACK, 'cancel')).url);
    expect(back.searchParams.get('error')).toBe('access_denied');
    const before = (await refusals()).length;
    const page = await t.request({ method: 'GET', url: `${back.pathname}${back.search}`, token: null, headers: { cookie } });
    expect(page.statusCode, page.body).toBe(403);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const reason = `${NAME} did not sign you in: you declined, or it refused you (access_denied). Start again from the console, or ask your IdP's administrators whether you may use Fulcrum. Its description (28 characters) is not shown here: the IdP's sign-in log has it.`;
    expect(page.body).toContain(reason.replace(/'/g, '&#39;'));
    const entries = await refusals();
    expect(entries.length).toBe(before + 1);
    expect(entries[0]).toMatchObject({ actor: 'oidc', detail: { reason, issuer: idp.issuer } });
  });

  it.each([
    ['login_required', 400, 'needs you to sign in or agree there first (login_required)'],
    ['consent_required', 400, 'needs you to sign in or agree there first (consent_required)'],
    ['interaction_required', 400, 'needs you to sign in or agree there first (interaction_required)'],
    ['server_error', 502, 'could not sign you in just now (server_error). Try again in a moment.'],
    ['temporarily_unavailable', 502, 'could not sign you in just now (temporarily_unavailable)'],
    ['unauthorized_client', 400, "(unauthorized_client): Fulcrum's client may be set up wrongly there"],
    ['some_new_code', 400, 'did not sign you in (some_new_code). Start again'],
  ])('records %s, quoted, with a page that says what to do', async (error, status, says) => {
    const { back } = await started();
    const page = await back({ error });
    expect(page.statusCode, page.body).toBe(status);
    expect(page.body).toContain(says.replace(/'/g, '&#39;'));
    expect((await refusals())[0]).toMatchObject({ actor: 'oidc', detail: { reason: expect.stringContaining(says) } });
  });

  it("quotes nothing else the IdP's answer says: an oversized, control-character or HTML error, or any description", async () => {
    const words = 'Your account is suspended. Call the help desk on +1 555 0100 with your password';
    for (const error of ['x'.repeat(8000), 'access_denied\r\nforged: entry', '<img src=x onerror=alert(1)>', 'access denied']) {
      const length = error.length;
      const page = await (await started()).back({ error });
      expect(page.statusCode).toBe(400);
      expect(page.body).toContain(`its error is no OAuth error code (${length} characters), so Fulcrum does not show it`);
      const reason = (await refusals())[0]?.detail.reason as string;
      expect(reason).toContain(`(${length} characters)`);
      for (const shown of [page.body, reason])
        for (const part of ['xxxx', 'forged', 'onerror', 'denied ']) expect(shown).not.toContain(part);
    }
    // An answer naming another issuer (RFC 9207, a mix-up) is not taken for this IdP's refusal.
    const mixedUp = await (await started()).back({ error: 'access_denied', iss: 'https://idp.evil.example' });
    expect(mixedUp.statusCode).toBe(400);
    expect(mixedUp.body).toContain('The sign-in answer came from another issuer.');
    // The parameter twice (which one would a page quote?): refused before anything is read or recorded.
    const { cookie } = await started();
    const state = cookie.slice('fulcrum_login='.length).split('.')[0] as string;
    const before = (await refusals()).length;
    const twice = await t.request({
      method: 'GET',
      url: `/auth/callback?error=access_denied&error=server_error&state=${state}`,
      token: null,
      headers: { cookie },
    });
    expect(twice.statusCode, twice.body).toBe(400);
    expect(twice.body).toContain('querystring/error');
    expect((await refusals()).length).toBe(before);
    const told = await (await started()).back({ error: 'access_denied', error_description: words });
    expect(told.statusCode).toBe(403);
    expect(told.body).toContain(`Its description (${words.length} characters) is not shown here`);
    expect(told.body).not.toContain('suspended');
    expect(JSON.stringify((await refusals())[0])).not.toContain('suspended');
    const v = (await t.request({ method: 'GET', url: '/v1/audit/verify' })).json();
    expect(v.ok, JSON.stringify(v)).toBe(true);
  });

  it("records refusals from one address only up to its failed credentials' budget, one after another or all at once", async () => {
    const limited = await start(3);
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) answers.push((await (await started(limited)).back({ error: 'access_denied' })).statusCode);
    expect(answers).toEqual([403, 403, 403, 429, 429]);
    expect(await recorded(limited)).toBe(3);

    const at = await start(3);
    const callbacks = [];
    for (let i = 0; i < 8; i++) callbacks.push(await started(at));
    const all = (await Promise.all(callbacks.map((c) => c.back({ error: 'access_denied' })))).map((r) => r.statusCode);
    expect(all.sort()).toEqual([403, 403, 403, 429, 429, 429, 429, 429]);
    expect(await recorded(at)).toBe(3);
  });

  it("records the IdP failing (server_error) up to the address's budget of calls to the IdP, and counts no failed credential", async () => {
    // Failed credentials 2 a minute, calls to the IdP 8.
    const limited = await start(2);
    const callbacks = [];
    for (let i = 0; i < 10; i++) callbacks.push(await started(limited));
    const all = (await Promise.all(callbacks.map((c) => c.back({ error: 'server_error' })))).map((r) => r.statusCode);
    expect(all.sort()).toEqual([429, 429, ...Array(8).fill(502)]);
    expect(await recorded(limited)).toBe(8);
    // The address is not locked out of the API: a token it presents is still looked at (401, not 429).
    const unknown = await limited.request({ method: 'GET', url: '/v1/whoami', token: `fpt_${'x'.repeat(43)}` });
    expect(unknown.statusCode).toBe(401);
  });
});
