// People signing in through a real OpenID Provider (oidc-provider on 127.0.0.1): the console's
// authorization code flow with PKCE, its session cookie (CSRF, logout, expiry with the Person), the
// device flow behind `fulcrum login`, refusals, the audit entries, sessions across two nodes on one
// database, and the settings' validation. The browser's part at the IdP is walked over HTTP here;
// test/e2e/sign-in.test.ts does it in Chromium.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { IdentitySettings, OidcSettings } from '../../src/auth/identity-config.js';
import { hashToken } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { buildServer } from '../../src/http/server.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { consoleClient, type Idp, ssoSettings, startIdp, walkIdp } from '../support/oidc.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const PUBLIC = 'http://127.0.0.1:4198';
const CALLBACK = `${PUBLIC}/auth/callback`;

describe.each(ENGINES)('single sign-on for people (%s)', (engine) => {
  let idp: Idp;
  let t: TestServer;
  let settings: IdentitySettings;

  beforeAll(async () => {
    idp = await startIdp([consoleClient(PUBLIC)]);
    settings = ssoSettings(idp, PUBLIC);
    t = await startTestServer(engine, { identity: settings });
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await idp?.stop();
  });

  /** Starts at /auth/login, signs in at the IdP as `email`, and comes back to /auth/callback. */
  async function signIn(email: string, returnTo = '/agents', server: TestServer = t, session?: string) {
    const login = await server.request({
      method: 'GET',
      url: `/auth/login?returnTo=${encodeURIComponent(returnTo)}`,
      token: null,
    });
    expect(login.statusCode, login.body).toBe(302);
    const loginCookie = (login.headers['set-cookie'] as string).split(';')[0] as string;
    const back = await walkIdp(login.headers.location as string, email, CALLBACK);
    const u = new URL(back.url);
    const callback = await server.request({
      method: 'GET',
      url: `${u.pathname}${u.search}`,
      token: null,
      // `session`: the console session cookie the browser still holds, if any.
      headers: { cookie: session ? `${loginCookie}; fulcrum_session=${session}` : loginCookie },
    });
    return { callback, loginCookie, callbackPath: `${u.pathname}${u.search}` };
  }

  const sessionCookie = (res: { headers: Record<string, unknown> }) =>
    ([res.headers['set-cookie']].flat() as string[]).find((c) => c.startsWith('fulcrum_session=fss_'));
  /** A new console session of dana.lee's: its token. */
  const consoleSession = async () =>
    (sessionCookie((await signIn('dana.lee@acme.example')).callback) as string).split(';')[0]?.split('=')[1] as string;

  it('signs a person in: PKCE and state at the IdP, an httpOnly SameSite cookie, roles from the Person', async () => {
    const login = await t.request({ method: 'GET', url: '/auth/login', token: null });
    const authorize = new URL(login.headers.location as string);
    expect(authorize.origin).toBe(idp.issuer);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'fulcrum',
      redirect_uri: CALLBACK,
      code_challenge_method: 'S256',
      scope: 'openid email profile',
    });
    expect(login.headers['set-cookie']).toMatch(/^fulcrum_login=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600$/);

    const { callback } = await signIn('dana.lee@acme.example');
    expect(callback.statusCode, callback.body).toBe(302);
    expect(callback.headers.location).toBe(`${PUBLIC}/agents`);
    const cookie = sessionCookie(callback) as string;
    expect(cookie).toMatch(/^fulcrum_session=fss_[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=3600$/);
    const value = cookie.split(';')[0] as string;
    const me = await t.request({ method: 'GET', url: '/v1/whoami', token: null, headers: { cookie: value } });
    expect(me.json()).toEqual({
      type: 'person',
      id: 'dana.lee',
      roles: ['platform', 'owner'],
      permissions: ['registry.read', 'registry.write', 'incidents.write', 'incidents.close', 'risk.assess'],
    });
    // Only the hash is stored.
    const rows = await t.app.database.db.selectFrom('console_sessions').selectAll().execute();
    const token = value.split('=')[1] as string;
    expect(rows.map((r) => r.token_hash)).toContain(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    const audit = (await t.request({ method: 'GET', url: '/v1/audit?kind=auth.signed-in&limit=5' })).json().items;
    expect(audit[0]).toMatchObject({ kind: 'auth.signed-in', actor: 'person:dana.lee' });
  });

  it('protects changes made with the cookie against CSRF, and ends the session at logout', async () => {
    const { callback } = await signIn('dana.lee@acme.example');
    const cookie = (sessionCookie(callback) as string).split(';')[0] as string;
    const create = (headers: Record<string, string>) =>
      t.request({ method: 'POST', url: '/v1/people/dana.lee/tokens', token: null, headers: { cookie, ...headers }, payload: {} });
    const forged = await create({});
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.message).toContain('X-Fulcrum-CSRF');
    const info = (await t.request({ method: 'GET', url: '/auth/session', token: null, headers: { cookie } })).json();
    expect(info).toMatchObject({ signIn: { oidc: true, name: 'Acme IdP', deviceLogin: true }, session: { person: 'dana.lee' } });
    const csrf = info.session.csrfToken as string;
    expect((await create({ 'x-fulcrum-csrf': `${csrf.slice(0, -2)}xx` })).statusCode).toBe(403);
    expect((await create({ 'x-fulcrum-csrf': csrf, origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await create({ 'x-fulcrum-csrf': csrf, origin: new URL(PUBLIC).origin })).statusCode).toBe(201);

    expect((await t.request({ method: 'POST', url: '/auth/logout', token: null, headers: { cookie } })).statusCode).toBe(403);
    // A bearer of another kind says nothing about the cookie's session: still the CSRF header.
    const other = await t.request({
      method: 'POST',
      url: '/auth/logout',
      token: null,
      headers: { cookie, authorization: 'Bearer fpt_whatever' },
    });
    expect(other.statusCode).toBe(403);
    const out = await t.request({
      method: 'POST',
      url: '/auth/logout',
      token: null,
      headers: { cookie, 'x-fulcrum-csrf': csrf },
    });
    expect(out.statusCode).toBe(204);
    expect(out.headers['set-cookie']).toMatch(/^fulcrum_session=; .*Max-Age=0/);
    const after = await t.request({ method: 'GET', url: '/v1/whoami', token: null, headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toContain('session has ended');
    const audit = (await t.request({ method: 'GET', url: '/v1/audit?kind=auth.signed-out&limit=5' })).json().items;
    expect(audit[0]).toMatchObject({ actor: 'person:dana.lee' });
  });

  it('ends both sessions when a logout carries a bearer session and a cookie session', async () => {
    const [a, b] = [await consoleSession(), await consoleSession()];
    const cookie = `fulcrum_session=${a}`;
    const csrf = (await t.request({ method: 'GET', url: '/auth/session', token: null, headers: { cookie } })).json().session
      .csrfToken;
    const out = await t.request({
      method: 'POST',
      url: '/auth/logout',
      token: b,
      headers: { cookie, 'x-fulcrum-csrf': csrf },
    });
    expect(out.statusCode).toBe(204);
    for (const s of [a, b]) expect((await t.request({ method: 'GET', url: '/v1/whoami', token: s })).statusCode).toBe(401);
    const audit = (await t.request({ method: 'GET', url: '/v1/audit?kind=auth.signed-out&limit=2' })).json().items;
    expect(audit.map((e: { detail: { via: string } }) => e.detail.via).sort()).toEqual(['cli', 'console']);
  });

  it('a logout with a bearer session and a cookie session without its CSRF header ends neither', async () => {
    const [a, b] = [await consoleSession(), await consoleSession()];
    const out = await t.request({ method: 'POST', url: '/auth/logout', token: b, headers: { cookie: `fulcrum_session=${a}` } });
    expect(out.statusCode).toBe(403);
    for (const s of [a, b]) expect((await t.request({ method: 'GET', url: '/v1/whoami', token: s })).statusCode).toBe(200);
  });

  it("ends the browser's previous session on the server when it signs in again, as a sign-out does", async () => {
    const signedOut = async () =>
      (await t.request({ method: 'GET', url: '/v1/audit?kind=auth.signed-out&limit=1000' })).json().items as Array<{
        actor: string;
        detail: Record<string, unknown>;
      }>;
    const whoami = (s: string) =>
      t.request({ method: 'GET', url: '/v1/whoami', token: null, headers: { cookie: `fulcrum_session=${s}` } });
    const [old, elsewhere] = [await consoleSession(), await consoleSession()];
    const before = (await signedOut()).length;
    const again = (await signIn('dana.lee@acme.example', '/agents', t, old)).callback;
    expect(again.statusCode, again.body).toBe(302);
    const fresh = (sessionCookie(again) as string).split(';')[0]?.split('=')[1] as string;
    expect(fresh).not.toBe(old);
    // Before, the cookie was replaced but the old session stayed valid for whoever had copied it.
    expect((await whoami(old)).statusCode).toBe(401);
    expect((await whoami(fresh)).statusCode).toBe(200);
    // Another browser's session of the same person is not this browser's: it stays.
    expect((await whoami(elsewhere)).statusCode).toBe(200);
    const acts = await signedOut();
    expect(acts.length).toBe(before + 1);
    expect(acts[0]).toMatchObject({ actor: 'person:dana.lee', detail: { via: 'console', reason: 'signed in again' } });
    // A cookie naming no live session (ended, or never one) ends nothing and records nothing.
    for (const dead of [old, `fss_${'x'.repeat(43)}`]) {
      const r = (await signIn('dana.lee@acme.example', '/agents', t, dead)).callback;
      expect(r.statusCode, r.body).toBe(302);
    }
    expect((await signedOut()).length).toBe(before + 1);
  });

  it('refuses a person with no Person descriptor: a clear page, no session, nothing created, audited', async () => {
    const people = (await t.request({ method: 'GET', url: '/v1/people' })).json().items.length;
    const { callback } = await signIn('mallory@acme.example');
    expect(callback.statusCode).toBe(403);
    expect(callback.headers['content-type']).toContain('text/html');
    expect(callback.body).toContain('You signed in as mallory@acme.example, but no Person in Fulcrum has that email');
    expect(sessionCookie(callback)).toBeUndefined();
    expect((await t.request({ method: 'GET', url: '/v1/people' })).json().items.length).toBe(people);
    const audit = (await t.request({ method: 'GET', url: '/v1/audit?kind=auth.refused&limit=5' })).json().items;
    expect(audit[0]).toMatchObject({ actor: 'oidc:mallory@acme.example' });
  });

  it('refuses an email longer than an email can be rather than cutting it to one that is a Person', async () => {
    // 320 characters (the longest email Fulcrum reads), a valid address; the IdP's is the same plus
    // one letter: another domain (acme.examples), whose owner is not this Person.
    const labels = `${'a'.repeat(60)}.`.repeat(4);
    const email = `kate@${labels}${'b'.repeat(320 - 5 - labels.length - 'acme.example'.length - 1)}.acme.example`;
    expect(email.length).toBe(320);
    const put = await t.request({
      method: 'PUT',
      url: '/v1/people/kate.long',
      payload: { spec: { displayName: 'Kate', email } },
    });
    expect(put.statusCode, put.body).toBe(201);
    const { callback } = await signIn(`${email}s`);
    expect(callback.statusCode, callback.body).toBe(403);
    expect(callback.body).toContain('longer than 320 characters');
    expect(sessionCookie(callback)).toBeUndefined();
    // The Person's own address still signs in.
    expect((await signIn(email)).callback.statusCode).toBe(302);
    await t.request({ method: 'DELETE', url: '/v1/people/kate.long' });
  });

  it('takes an email only where the IdP says it verified it (email_verified, or Entra ID xms_edov)', async () => {
    for (const name of ['unverified', 'unsaid', 'edov'])
      expect(
        (
          await t.request({
            method: 'PUT',
            url: `/v1/people/${name}.ann`,
            payload: { spec: { displayName: name, email: `${name}.ann@acme.example`, roles: ['viewer'], businessUnit: 'cx' } },
          })
        ).statusCode,
      ).toBe(201);
    const unverified = (await signIn('unverified.ann@acme.example')).callback;
    expect(unverified.statusCode).toBe(403);
    expect(unverified.body).toContain('the IdP has not verified unverified.ann@acme.example');
    // No claim at all: refused by default, since anyone may have typed that email at the IdP.
    const unsaid = (await signIn('unsaid.ann@acme.example')).callback;
    expect(unsaid.statusCode).toBe(403);
    expect(unsaid.body).toContain('the IdP does not say it verified unsaid.ann@acme.example');
    expect(sessionCookie(unsaid)).toBeUndefined();
    const audit = (await t.request({ method: 'GET', url: '/v1/audit?kind=auth.refused&limit=1' })).json().items;
    expect(audit[0]).toMatchObject({ actor: 'oidc:unsaid.ann@acme.example' });
    const edov = (await signIn('edov.ann@acme.example')).callback;
    expect(edov.statusCode, edov.body).toBe(302);
    expect(sessionCookie(edov)).toBeDefined();

    // An operator whose IdP only ever issues verified emails may take a missing claim; never a false one.
    const lenient = await startTestServer(engine, {
      identity: { ...settings, oidc: { ...(settings.oidc as OidcSettings), requireEmailVerified: false } },
    });
    try {
      await lenient.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
      await lenient.request({
        method: 'PUT',
        url: '/v1/people/unsaid.ann',
        payload: { spec: { displayName: 'u', email: 'unsaid.ann@acme.example', roles: ['viewer'], businessUnit: 'cx' } },
      });
      await lenient.request({
        method: 'PUT',
        url: '/v1/people/unverified.ann',
        payload: { spec: { displayName: 'u', email: 'unverified.ann@acme.example', roles: ['viewer'], businessUnit: 'cx' } },
      });
      expect((await signIn('unsaid.ann@acme.example', '/agents', lenient)).callback.statusCode).toBe(302);
      expect((await signIn('unverified.ann@acme.example', '/agents', lenient)).callback.statusCode).toBe(403);
    } finally {
      await lenient.close();
    }
  });

  it('refuses an ID token whose authorized party (azp) is another client, with one audience as with several', async () => {
    // OIDC Core §3.1.3.7: an azp claim, when present, names this client. The check ran only for tokens
    // with several audiences, so a token for Fulcrum alone that another client was authorized for signed in.
    for (const login of ['azp.kim', 'ownazp.kim'])
      expect(
        (
          await t.request({
            method: 'PUT',
            url: `/v1/people/${login}`,
            payload: { spec: { displayName: login, email: `${login}@acme.example`, roles: ['viewer'], businessUnit: 'cx' } },
          })
        ).statusCode,
      ).toBe(201);
    const foreign = (await signIn('azp.kim@acme.example')).callback;
    expect(foreign.statusCode, foreign.body).toBe(400);
    expect(foreign.body).toContain('the ID token was issued to another client (azp)');
    expect(sessionCookie(foreign)).toBeUndefined();
    // Its own client as the authorized party signs in.
    const own = (await signIn('ownazp.kim@acme.example')).callback;
    expect(own.statusCode, own.body).toBe(302);
    expect(sessionCookie(own)).toBeDefined();
  });

  it('asks UserInfo whether an email is verified when the ID token carries the email but not the flag', async () => {
    // An IdP that puts the email in the ID token (as Entra ID, Okta and Google do).
    const inToken = await startIdp(
      [
        {
          client_id: 'fulcrum',
          client_secret: 'fulcrum-secret',
          grant_types: ['authorization_code'],
          response_types: ['code'],
          redirect_uris: [CALLBACK],
        },
      ],
      { emailInIdToken: true },
    );
    const node = await startTestServer(engine, {
      identity: { ...settings, oidc: { ...(settings.oidc as OidcSettings), issuer: inToken.issuer } },
    });
    try {
      await node.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
      for (const name of ['userinfo', 'elsewhere', 'unsaid'])
        await node.request({
          method: 'PUT',
          url: `/v1/people/${name}.ann`,
          payload: { spec: { displayName: name, email: `${name}.ann@acme.example`, roles: ['viewer'], businessUnit: 'cx' } },
        });
      // The flag only at UserInfo, for the same email: signed in.
      const verified = (await signIn('userinfo.ann@acme.example', '/agents', node)).callback;
      expect(verified.statusCode, verified.body).toBe(302);
      expect(sessionCookie(verified)).toBeDefined();
      // UserInfo vouches for another email: not for the one in the ID token (which names the refusal).
      const elsewhere = (await signIn('elsewhere.ann@acme.example', '/agents', node)).callback;
      expect(elsewhere.statusCode).toBe(403);
      expect(elsewhere.body).toContain('the IdP does not say it verified elsewhere.ann@acme.example');
      // Neither says: refused.
      const unsaid = (await signIn('unsaid.ann@acme.example', '/agents', node)).callback;
      expect(unsaid.statusCode).toBe(403);
      expect(unsaid.body).toContain('the IdP does not say it verified unsaid.ann@acme.example');
    } finally {
      await node.close();
      await inToken.stop();
    }
  });

  it('refuses a callback without its login cookie, with another state, or replayed', async () => {
    const login = await t.request({ method: 'GET', url: '/auth/login', token: null });
    const back = new URL((await walkIdp(login.headers.location as string, 'dana.lee@acme.example', CALLBACK)).url);
    const path = `${back.pathname}${back.search}`;
    const bare = await t.request({ method: 'GET', url: path, token: null });
    expect(bare.statusCode).toBe(400);
    expect(bare.body).toContain('started in another browser');
    const other = await t.request({ method: 'GET', url: `/auth/login`, token: null });
    const wrong = await t.request({
      method: 'GET',
      url: path,
      token: null,
      headers: { cookie: (other.headers['set-cookie'] as string).split(';')[0] as string },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('(state)');
    const cookie = (login.headers['set-cookie'] as string).split(';')[0] as string;
    expect((await t.request({ method: 'GET', url: path, token: null, headers: { cookie } })).statusCode).toBe(302);
    const replay = await t.request({ method: 'GET', url: path, token: null, headers: { cookie } });
    expect(replay.statusCode).toBe(502); // the IdP refuses a code used twice
    expect(replay.body).toContain('refused the authorization code');
    // The IdP's refusal is shown to the browser that started the sign-in (its login cookie and state).
    const state = cookie.slice('fulcrum_login='.length).split('.')[0] as string;
    const denied = await t.request({
      method: 'GET',
      url: `/auth/callback?error=access_denied&state=${state}`,
      token: null,
      headers: { cookie },
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.body).toContain('you declined, or it refused you (access_denied)');
    // Anyone can link a person to the callback: without the login cookie and its state, the page
    // shows none of the words in the link (they would stand on Fulcrum's own origin).
    const words = 'Your Fulcrum account is suspended. Call the help desk on +1 555 0100 with your password';
    const told = `error=access_denied&error_description=${encodeURIComponent(words)}`;
    for (const [query, headers] of [
      [told, {}],
      [`${told}&state=${state}`, {}],
      [told, { cookie }],
      [`${told}&state=x`, { cookie }],
    ] as const) {
      const linked = await t.request({ method: 'GET', url: `/auth/callback?${query}`, token: null, headers });
      expect(linked.statusCode, query).toBe(400);
      expect(linked.headers['content-type']).toMatch(/^text\/html/);
      expect(linked.body, query).not.toContain('suspended');
    }
    // An error that is no OAuth code is not shown on the page at all, and a returnTo elsewhere goes home.
    const xss = await t.request({
      method: 'GET',
      url: `/auth/callback?error=%3Cscript%3E&state=${state}`,
      token: null,
      headers: { cookie },
    });
    expect(xss.body).toContain('its error is no OAuth error code (8 characters)');
    expect(xss.body).not.toContain('script');
    const away = await t.request({ method: 'GET', url: '/auth/login?returnTo=//evil.example/x', token: null });
    expect(
      Buffer.from(
        ((away.headers['set-cookie'] as string).split(';')[0] as string).split('.')[4] as string,
        'base64url',
      ).toString(),
    ).toBe('/');
  });

  it('ends a session when the Person is deleted or their email moves', async () => {
    await t.request({
      method: 'PUT',
      url: '/v1/people/pat.temp',
      payload: { spec: { displayName: 'Pat', email: 'pat@acme.example' } },
    });
    const cookieOf = async () => (sessionCookie((await signIn('pat@acme.example')).callback) as string).split(';')[0] as string;
    const whoami = (cookie: string) => t.request({ method: 'GET', url: '/v1/whoami', token: null, headers: { cookie } });
    const first = await cookieOf();
    expect((await whoami(first)).statusCode).toBe(200);
    await t.request({
      method: 'PUT',
      url: '/v1/people/pat.temp',
      payload: { spec: { displayName: 'Pat', email: 'pat.new@acme.example' } },
    });
    await t.app.guard.registry(); // the node's view moves within its poll interval
    await expect.poll(async () => (await whoami(first)).statusCode).toBe(401);
    await t.request({
      method: 'PUT',
      url: '/v1/people/pat.temp',
      payload: { spec: { displayName: 'Pat', email: 'pat@acme.example' } },
    });
    const second = await cookieOf();
    await t.request({ method: 'DELETE', url: '/v1/people/pat.temp' });
    await expect.poll(async () => (await whoami(second)).statusCode).toBe(401);
  });

  it('keeps sessions in the database: another node on the same database accepts the cookie', async () => {
    const { callback } = await signIn('dana.lee@acme.example');
    const cookie = (sessionCookie(callback) as string).split(';')[0] as string;
    const config = loadConfig(
      { FULCRUM_DATA_DIR: t.database.dir },
      { adminToken: ADMIN_TOKEN, monitorIntervalSeconds: 0, retentionIntervalHours: 0, identity: settings },
    );
    const app = await createApp(config, t.database.open());
    const other = await buildServer(app);
    try {
      const me = await other.inject({ method: 'GET', url: '/v1/whoami', headers: { cookie } });
      expect(me.json()).toMatchObject({ type: 'person', id: 'dana.lee' });
    } finally {
      await other.close();
      await app.close();
    }
  });

  it('signs a person in with the device flow (fulcrum login) and takes the session as a bearer token', async () => {
    const start = await t.request({ method: 'POST', url: '/auth/device', token: null, payload: {} });
    expect(start.statusCode, start.body).toBe(200);
    const { deviceCode, userCode, verificationUriComplete } = start.json();
    expect(userCode).toMatch(/\S+/);
    const poll = () => t.request({ method: 'POST', url: '/auth/device/token', token: null, payload: { deviceCode } });
    const pending = await poll();
    expect(pending.statusCode).toBe(202);
    expect(pending.json()).toEqual({ pending: 'authorization_pending' });
    const done = await walkIdp(verificationUriComplete, 'vic@acme.example', 'never');
    expect(done.page).toContain('Sign-in Success');
    // vic@acme.example is no Person's email: the poll is refused (403), and no session exists.
    const refused = await poll();
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('no Person in Fulcrum has that email');

    const again = (await t.request({ method: 'POST', url: '/auth/device', token: null, payload: {} })).json();
    await walkIdp(again.verificationUriComplete, 'dana.lee@acme.example', 'never');
    const ok = await t.request({
      method: 'POST',
      url: '/auth/device/token',
      token: null,
      payload: { deviceCode: again.deviceCode },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ person: 'dana.lee', token: expect.stringMatching(/^fss_/) });
    expect(ok.headers['cache-control']).toBe('no-store'); // a token answer (RFC 6749 §5.1)
    const me = await t.request({ method: 'GET', url: '/v1/whoami', token: ok.json().token });
    expect(me.json()).toMatchObject({ type: 'person', id: 'dana.lee' });
    // A bearer session is no agent credential, and logs out with its own token.
    expect((await t.request({ method: 'POST', url: '/v1/decisions', token: ok.json().token, payload: {} })).statusCode).toBe(401);
    expect((await t.request({ method: 'POST', url: '/auth/logout', token: ok.json().token })).statusCode).toBe(204);
    expect((await t.request({ method: 'GET', url: '/v1/whoami', token: ok.json().token })).statusCode).toBe(401);
    const bad = await t.request({
      method: 'POST',
      url: '/auth/device/token',
      token: null,
      payload: { deviceCode: 'x'.repeat(3000) },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('limits, per client address, the sign-in steps that make Fulcrum call the IdP', async () => {
    const from = (remoteAddress: string, url: string, payload?: object, headers?: Record<string, string>) =>
      t.server.inject({ method: url === '/auth/callback?code=c&state=s' ? 'GET' : 'POST', url, payload, remoteAddress, headers });
    // Made-up device codes: each is refused by the IdP and counts; past the budget (30 a minute by
    // default) the address gets 429 with Retry-After before anything reaches the IdP.
    const polls = [];
    for (let i = 0; i < 30; i++) polls.push(await from('10.1.2.3', '/auth/device/token', { deviceCode: `made-up-${i}` }));
    expect(polls.map((r) => r.statusCode)).toEqual(Array(30).fill(400));
    const limited = await from('10.1.2.3', '/auth/device/token', { deviceCode: 'made-up' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The same budget covers starting a device login and redeeming a console code.
    expect((await from('10.1.2.3', '/auth/device', {})).statusCode).toBe(429);
    expect((await from('10.1.2.3', '/auth/callback?code=c&state=s')).statusCode).toBe(429);
    // Starts and polls are calls to the IdP: 120 a minute from one address (four times the failure
    // budget), counted apart from failures, so people signing in behind one NAT do not lock that
    // address out of the API.
    const { deviceCode } = (await from('10.4.5.6', '/auth/device', {})).json();
    for (let i = 0; i < 119; i++) {
      const poll = await from('10.4.5.6', '/auth/device/token', { deviceCode });
      expect(poll.statusCode, `poll ${i}`).toBe(202);
    }
    const polled = await from('10.4.5.6', '/auth/device/token', { deviceCode });
    expect(polled.statusCode).toBe(429);
    expect(polled.json().error.message).toMatch(/^too many sign-in requests to the identity provider from 10\.4\.5\.6/);
    expect((await from('10.4.5.6', '/auth/device', {})).statusCode).toBe(429);
    const api = await t.server.inject({
      method: 'GET',
      url: '/v1/whoami',
      remoteAddress: '10.4.5.6',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(api.statusCode).toBe(200);
    expect((await from('10.7.8.9', '/auth/device', {})).statusCode).toBe(200);
    // A dead session cookie counts once: the answer clears it.
    const dead = await t.server.inject({
      method: 'GET',
      url: '/auth/session',
      remoteAddress: '10.8.8.8',
      headers: { cookie: `fulcrum_session=fss_${'x'.repeat(43)}` },
    });
    expect(dead.json().session).toBeNull();
    expect(String(dead.headers['set-cookie'])).toMatch(/^fulcrum_session=; .*Max-Age=0/);
    // Unknown console sessions count as failed credentials as well.
    for (let i = 0; i < 30; i++)
      expect(
        (await from('10.9.9.9', '/auth/logout', undefined, { authorization: `Bearer fss_${'x'.repeat(43)}` })).statusCode,
      ).toBe(204);
    expect(
      (await from('10.9.9.9', '/auth/logout', undefined, { authorization: `Bearer fss_${'x'.repeat(43)}` })).statusCode,
    ).toBe(429);
  });

  it('counts no request that presents no credential: another site cannot lock an office out of the API or sign-in', async () => {
    const office = '10.6.6.6';
    const cookie = (sessionCookie((await signIn('dana.lee@acme.example')).callback) as string).split(';')[0] as string;
    const get = (url: string, headers: Record<string, string> = {}) =>
      t.server.inject({ method: 'GET', url, remoteAddress: office, headers });
    // What <img> tags on any page make a browser behind the office's address send: no Authorization
    // header, no session cookie (SameSite=Lax keeps it off), no login cookie. More than both budgets.
    for (let i = 0; i < 130; i++) {
      expect((await get(`/v1/agents?i=${i}`)).statusCode, `API ${i}`).toBe(401);
      expect((await get(`/auth/callback?error=access_denied&i=${i}`)).statusCode, `error ${i}`).toBe(400);
      const link = await get(`/auth/callback?code=c&state=s&i=${i}`);
      expect(link.statusCode, `code ${i}`).toBe(400);
      expect(link.body).toContain('started in another browser');
    }
    expect((await get('/v1/whoami', { cookie })).statusCode).toBe(200);
    expect((await get('/v1/whoami', { authorization: `Bearer ${ADMIN_TOKEN}` })).statusCode).toBe(200);
    const device = await t.server.inject({ method: 'POST', url: '/auth/device', remoteAddress: office, payload: {} });
    expect(device.statusCode, device.body).toBe(200);
    // A dead session cookie is a credential that failed, and still counts.
    const dead = { cookie: `fulcrum_session=fss_${'x'.repeat(43)}` };
    const answers: number[] = [];
    for (let i = 0; i < 31; i++) answers.push((await get('/v1/agents', dead)).statusCode);
    expect(answers).toEqual([...Array(30).fill(401), 429]);
  });
});

describe('without the settings', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
  });
  afterAll(async () => t?.close());

  it('has no sign-in through an IdP, no resource metadata, and agent 401s with a plain challenge', async () => {
    expect((await t.request({ method: 'GET', url: '/auth/login', token: null })).statusCode).toBe(404);
    expect((await t.request({ method: 'POST', url: '/auth/device', token: null })).statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url: '/.well-known/oauth-protected-resource', token: null })).statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url: '/auth/session', token: null })).json()).toEqual({
      signIn: { oidc: false, deviceLogin: false },
      session: null,
    });
    const res = await t.request({ method: 'POST', url: '/v1/decisions', token: null, payload: {} });
    expect(res.headers['www-authenticate']).toBe('Bearer realm="fulcrum"');
    // A forged session cookie is no credential, and an API token still works beside it.
    const forged = await t.request({
      method: 'GET',
      url: '/v1/whoami',
      token: null,
      headers: { cookie: `fulcrum_session=fss_${'a'.repeat(43)}` },
    });
    expect(forged.statusCode).toBe(401);
    expect((await t.request({ method: 'GET', url: '/v1/whoami' })).json()).toEqual({
      type: 'admin',
      id: 'admin',
      permissions: [
        'registry.read',
        'registry.write',
        'approvals.decide',
        'incidents.write',
        'incidents.close',
        'risk.assess',
        'sessions.manage',
      ],
    });
  });
});

describe('identity settings', () => {
  const load = (env: Record<string, string>) => () => loadConfig({ FULCRUM_DATA_DIR: '/tmp/x', ...env });
  it.each([
    [{ FULCRUM_OIDC_ISSUER: 'https://idp.example' }, 'FULCRUM_OIDC_ISSUER needs FULCRUM_PUBLIC_URL'],
    [{ FULCRUM_AGENT_TOKEN_ISSUER: 'https://idp.example' }, 'FULCRUM_AGENT_TOKEN_ISSUER needs FULCRUM_PUBLIC_URL'],
    [{ FULCRUM_PUBLIC_URL: 'https://f.example', FULCRUM_OIDC_ISSUER: 'https://idp.example' }, 'needs FULCRUM_OIDC_CLIENT_ID'],
    [{ FULCRUM_PUBLIC_URL: 'http://fulcrum.internal' }, 'must be https (plain http only on loopback'],
    [{ FULCRUM_PUBLIC_URL: 'fulcrum.example.com' }, 'must be an absolute URL'],
    [{ FULCRUM_PUBLIC_URL: 'https://f.example/?a=1' }, 'no query, fragment or credentials'],
    [{ FULCRUM_OIDC_CLIENT_ID: 'x' }, 'FULCRUM_OIDC_CLIENT_ID is set but FULCRUM_OIDC_ISSUER is not'],
    [{ FULCRUM_SESSION_HOURS: '0' }, 'FULCRUM_SESSION_HOURS must be a whole number of hours from 1 to 720'],
    [{ FULCRUM_OIDC_REQUIRE_EMAIL_VERIFIED: 'no' }, 'FULCRUM_OIDC_REQUIRE_EMAIL_VERIFIED must be true or false, got "no"'],
    [
      { FULCRUM_OIDC_REQUIRE_EMAIL_VERIFIED: 'false' },
      'FULCRUM_OIDC_REQUIRE_EMAIL_VERIFIED is set but FULCRUM_OIDC_ISSUER is not',
    ],
  ])('refuses %o clearly', (env, message) => {
    expect(load(env)).toThrow(message);
  });

  it('reads a full setup', () => {
    const env = {
      FULCRUM_DATA_DIR: '/tmp/x',
      FULCRUM_PUBLIC_URL: 'https://fulcrum.example.com/',
      FULCRUM_OIDC_ISSUER: 'https://login.example.com/tenant/v2.0',
      FULCRUM_OIDC_CLIENT_ID: 'cid',
      FULCRUM_OIDC_CLIENT_SECRET: 'sec',
      FULCRUM_AGENT_TOKEN_ISSUER: 'https://login.example.com/tenant/v2.0',
    };
    const c = loadConfig(env);
    expect(loadConfig({ ...env, FULCRUM_OIDC_REQUIRE_EMAIL_VERIFIED: 'FALSE' }).identity.oidc?.requireEmailVerified).toBe(false);
    expect(c.identity).toMatchObject({
      publicUrl: 'https://fulcrum.example.com',
      oidc: {
        issuer: 'https://login.example.com/tenant/v2.0',
        clientId: 'cid',
        clientSecret: 'sec',
        name: 'login.example.com',
        requireEmailVerified: true,
      },
      agentTokenIssuer: 'https://login.example.com/tenant/v2.0',
      sessionSeconds: 12 * 3600,
    });
  });
});
