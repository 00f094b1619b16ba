// Every refusal of an ID token the IdP issued for a sign-in is an auth.refused entry, as a refusal for
// no Person or an unverified email is: before, a token for this sign-in that named another client as
// its authorized party (azp), or carried another sign-in's nonce, was refused with a page and a log
// line only (found by review), so the log showed none of them. Each costs the address a failed
// credential, as the others do, so a flood of them from one address is refused (429) before it is
// recorded past the address's budget: the log grows no faster than the refusals that are let through.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentitySettings } from '../../src/auth/identity-config.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { consoleClient, type Idp, ssoSettings, startIdp, walkIdp } from '../support/oidc.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const PUBLIC = 'http://127.0.0.1:4198';
const CALLBACK = `${PUBLIC}/auth/callback`;

interface Entry {
  kind: string;
  actor: string;
  detail: Record<string, unknown>;
}

describe.each(ENGINES)('refused sign-ins in the audit log (%s)', (engine) => {
  let idp: Idp;
  let settings: IdentitySettings;
  const servers: TestServer[] = [];

  beforeAll(async () => {
    idp = await startIdp([consoleClient(PUBLIC)]);
    settings = ssoSettings(idp, PUBLIC);
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await idp?.stop();
  });

  async function start(authFailuresPerMinute = 30): Promise<TestServer> {
    const t = await startTestServer(engine, { identity: settings, authFailuresPerMinute });
    servers.push(t);
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    return t;
  }

  /**
   * Signs in at the IdP as `login` and comes back to /auth/callback with the login cookie; `nonce`,
   * when given, replaces the one Fulcrum sent the IdP (a browser that rewrote the authorization URL).
   */
  async function signIn(t: TestServer, login: string, nonce?: string) {
    return (await cameBack(t, login, nonce))();
  }
  /** As signIn, up to the IdP's answer: the callback, to be sent. */
  async function cameBack(t: TestServer, login: string, nonce?: string) {
    const started = await t.request({ method: 'GET', url: '/auth/login', token: null });
    expect(started.statusCode, started.body).toBe(302);
    const cookie = (started.headers['set-cookie'] as string).split(';')[0] as string;
    const authorize = new URL(started.headers.location as string);
    if (nonce) authorize.searchParams.set('nonce', nonce);
    const back = new URL((await walkIdp(authorize.toString(), login, CALLBACK)).url);
    return () => t.request({ method: 'GET', url: `${back.pathname}${back.search}`, token: null, headers: { cookie } });
  }
  const refusals = async (t: TestServer) =>
    (await t.request({ method: 'GET', url: '/v1/audit?kind=auth.refused&limit=1000' })).json().items as Entry[];
  async function verified(t: TestServer) {
    const v = (await t.request({ method: 'GET', url: '/v1/audit/verify' })).json();
    expect(v.ok, JSON.stringify(v)).toBe(true);
  }

  it('records an ID token issued to another client (azp)', async () => {
    const t = await start();
    const refused = await signIn(t, 'azp.lee@acme.example');
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.body).toContain('the ID token was issued to another client (azp)');
    expect(await refusals(t)).toEqual([
      expect.objectContaining({
        actor: 'oidc',
        detail: {
          reason: 'the ID token was issued to another client (azp)',
          issuer: idp.issuer,
          subject: 'azp.lee@acme.example',
        },
      }),
    ]);
    await verified(t);
  });

  it("records an ID token with another sign-in's nonce", async () => {
    const t = await start();
    const refused = await signIn(t, 'dana.lee@acme.example', 'n'.repeat(43));
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.body).toContain('the ID token is not for this sign-in (nonce)');
    expect(await refusals(t)).toEqual([
      expect.objectContaining({
        actor: 'oidc',
        detail: { reason: 'the ID token is not for this sign-in (nonce)', issuer: idp.issuer, subject: 'dana.lee@acme.example' },
      }),
    ]);
    // The same person signing in as Fulcrum asked is signed in.
    expect((await signIn(t, 'dana.lee@acme.example')).statusCode).toBe(302);
    await verified(t);
  });

  it('records a code the IdP refuses (one used already), answered 502, as the other refusals are', async () => {
    const t = await start();
    const callback = await cameBack(t, 'dana.lee@acme.example');
    expect((await callback()).statusCode).toBe(302);
    // The same answer again (the login cookie and code copied): the IdP refuses a code used twice.
    const replay = await callback();
    expect(replay.statusCode, replay.body).toBe(502);
    const reason = 'the IdP refused the authorization code (invalid_grant)';
    expect(replay.body).toContain(reason);
    expect(await refusals(t)).toEqual([expect.objectContaining({ actor: 'oidc', detail: { reason, issuer: idp.issuer } })]);
    await verified(t);
  });

  it("records replayed codes, one after another or all at once, only up to the address's budget", async () => {
    const t = await start(3);
    const callback = await cameBack(t, 'dana.lee@acme.example');
    expect((await callback()).statusCode).toBe(302);
    const answers: number[] = [];
    for (let i = 0; i < 6; i++) answers.push((await callback()).statusCode);
    expect(answers).toEqual([502, 502, 502, 429, 429, 429]);
    const recorded = async (db: typeof t.app.database.db) =>
      (await db.selectFrom('audit_entries').select('id').where('kind', '=', 'auth.refused').execute()).length;
    expect(await recorded(t.app.database.db)).toBe(3);

    const at = await start(3);
    const again = await cameBack(at, 'dana.lee@acme.example');
    expect((await again()).statusCode).toBe(302);
    const all = (await Promise.all(Array.from({ length: 8 }, () => again()))).map((r) => r.statusCode).sort();
    expect(all).toEqual([429, 429, 429, 429, 429, 502, 502, 502]);
    expect(await recorded(at.app.database.db)).toBe(3);
  });

  it("records a flood of refused tokens from one address, one after another or all at once, only up to the address's budget", async () => {
    const t = await start(3);
    // Six sign-ins started (each a login at the IdP) before any comes back: the callbacks are the flood.
    const callbacks = [];
    for (let i = 0; i < 6; i++) callbacks.push(await cameBack(t, 'azp.flood@acme.example'));
    const answers: number[] = [];
    for (const callback of callbacks) answers.push((await callback()).statusCode);
    expect(answers).toEqual([400, 400, 400, 429, 429, 429]);
    // Read from the database: the address, the tests' own, is refused at every route for now.
    const recorded = async (db: typeof t.app.database.db) =>
      (await db.selectFrom('audit_entries').select('id').where('kind', '=', 'auth.refused').execute()).length;
    expect(await recorded(t.app.database.db)).toBe(3);

    // All at once: each passed the check at the request's start before any was counted, and all eight
    // were recorded. Counted as each is recorded, three are.
    const at = await start(3);
    const parallel = [];
    for (let i = 0; i < 8; i++) parallel.push(await cameBack(at, 'azp.flood@acme.example'));
    const all = (await Promise.all(parallel.map((callback) => callback()))).map((r) => r.statusCode).sort();
    expect(all).toEqual([400, 400, 400, 429, 429, 429, 429, 429]);
    expect(await recorded(at.app.database.db)).toBe(3);
  });
});
