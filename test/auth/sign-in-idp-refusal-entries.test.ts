// A sign-in refused because the IdP's answer to the code exchange is wrong (502: the code refused, no
// ID token, an ID token that does not verify), or because the IdP could not be used then (503: no JSON,
// unreachable), is an auth.refused entry, as a refusal for no Person is. Before, these were a page and
// a log line only (found by review). The IdP here is a hand-held one, so
// that it can answer what a real one would not (oidc-provider's code refused: sign-in-refusal-entries.test.ts);
// what it says is quoted bounded, whatever it sends.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { type HandIssuer, startHandIssuer } from '../support/oidc.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const PUBLIC = 'http://127.0.0.1:4199';

describe.each(ENGINES)("sign-ins refused for the IdP's answer to the code exchange, in the audit log (%s)", (engine) => {
  let hand: HandIssuer;
  let t: TestServer;

  const servers: TestServer[] = [];
  async function start(authFailuresPerMinute = 30): Promise<TestServer> {
    const server = await startTestServer(engine, {
      authFailuresPerMinute,
      identity: {
        publicUrl: PUBLIC,
        oidc: {
          issuer: hand.issuer,
          clientId: 'fulcrum',
          clientSecret: 'fulcrum-secret',
          name: 'Hand IdP',
          requireEmailVerified: true,
        },
        sessionSeconds: 3600,
        jwksCooldownMs: 0,
      },
    });
    servers.push(server);
    expect((await server.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(
      200,
    );
    return server;
  }

  beforeAll(async () => {
    hand = await startHandIssuer();
    t = await start();
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await hand?.stop();
  });

  /** A sign-in started at `t` and come back with a code (the IdP's token endpoint answers as told). */
  async function cameBack(server = t) {
    const started = await server.request({ method: 'GET', url: '/auth/login', token: null });
    expect(started.statusCode, started.body).toBe(302);
    const cookie = (started.headers['set-cookie'] as string).split(';')[0] as string;
    const state = new URL(started.headers.location as string).searchParams.get('state');
    return () =>
      server.request({ method: 'GET', url: `/auth/callback?code=c0de&state=${state}`, token: null, headers: { cookie } });
  }
  async function lastRefusal(server = t) {
    const items = (await server.request({ method: 'GET', url: '/v1/audit?kind=auth.refused&limit=1' })).json().items;
    return items[0] as { actor: string; detail: Record<string, unknown> };
  }

  it.each([
    ['a code it refuses', 400, { error: 'invalid_grant' }, 'the IdP refused the authorization code (invalid_grant)'],
    ['no ID token', 200, { access_token: 'at', token_type: 'Bearer' }, 'the IdP answered without an ID token'],
  ])('records %s', async (_what, status, body, reason) => {
    hand.tokenAnswers(status, body);
    const refused = await (await cameBack())();
    expect(refused.statusCode, refused.body).toBe(502);
    expect(refused.body).toContain(reason);
    expect(await lastRefusal()).toMatchObject({ actor: 'oidc', detail: { reason, issuer: hand.issuer } });
  });

  it('records an ID token that does not verify (for another client)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const idToken = await hand.sign({ sub: 'dana', aud: 'another-client', iat: now, exp: now + 300 }, { typ: 'JWT' });
    hand.tokenAnswers(200, { id_token: idToken, token_type: 'Bearer' });
    const refused = await (await cameBack())();
    expect(refused.statusCode, refused.body).toBe(502);
    const reason = "the IdP's ID token was refused: the token is not for this resource (audience)";
    expect(await lastRefusal()).toMatchObject({ actor: 'oidc', detail: { reason, issuer: hand.issuer } });
  });

  it('takes an ID token signed with a key the IdP rotated in since its keys were fetched, and records one issued in the future', async () => {
    /** A sign-in at `t` come back with an ID token of `claims` (its nonce and audience added). */
    async function withToken(claims: Record<string, unknown>) {
      const started = await t.request({ method: 'GET', url: '/auth/login', token: null });
      const cookie = (started.headers['set-cookie'] as string).split(';')[0] as string;
      const authorize = new URL(started.headers.location as string).searchParams;
      const at = Math.floor(Date.now() / 1000);
      const idToken = await hand.sign(
        { sub: 'dana', aud: 'fulcrum', nonce: authorize.get('nonce'), iat: at, exp: at + 300, ...claims },
        { typ: 'JWT' },
      );
      hand.tokenAnswers(200, { id_token: idToken, token_type: 'Bearer' });
      const url = `/auth/callback?code=c0de&state=${authorize.get('state')}`;
      return t.request({ method: 'GET', url, token: null, headers: { cookie } });
    }
    const person = { email: 'dana.lee@acme.example', email_verified: true };
    expect((await withToken(person)).statusCode).toBe(302); // the keys fetched
    await hand.rotate();
    const rotated = await withToken(person);
    expect(rotated.statusCode, rotated.body).toBe(302);
    const future = await withToken({ ...person, iat: Math.floor(Date.now() / 1000) + 3600 });
    expect(future.statusCode, future.body).toBe(502);
    const reason =
      "the IdP's ID token was refused: the token was issued in the future (its iat claim): the issuer's clock or Fulcrum's is wrong";
    expect(future.body).toContain('issued in the future');
    expect(await lastRefusal()).toMatchObject({ actor: 'oidc', detail: { reason, issuer: hand.issuer } });
  });

  it("quotes an IdP's error bounded: a long or odd one is named by the answer's status", async () => {
    for (const error of ['x'.repeat(100_000), 'invalid_grant<script>"\\', 42]) {
      hand.tokenAnswers(400, { error });
      const refused = await (await cameBack())();
      expect(refused.statusCode).toBe(502);
      expect((await lastRefusal()).detail.reason).toBe('the IdP refused the authorization code (http_400)');
    }
    const v = (await t.request({ method: 'GET', url: '/v1/audit/verify' })).json();
    expect(v.ok, JSON.stringify(v)).toBe(true);
  });

  it("records the IdP answering no JSON to the code exchange (503), up to the address's budget of calls to the IdP", async () => {
    hand.tokenAnswers(502, '<h1>502 Bad Gateway</h1>');
    const refused = await (await cameBack())();
    expect(refused.statusCode, refused.body).toBe(503);
    const reason = "the identity provider: the IdP's /token answered 502 with no JSON";
    expect(refused.json().error.message).toBe(reason);
    expect(await lastRefusal()).toMatchObject({ actor: 'oidc', detail: { reason, issuer: hand.issuer } });

    // Failed credentials 2 a minute, calls to the IdP 8: the calls' budget bounds these entries, one
    // after another or all at once, and no failed credential is counted for them.
    const limited = await start(2);
    const callbacks = [];
    for (let i = 0; i < 10; i++) callbacks.push(await cameBack(limited));
    const answers = (await Promise.all(callbacks.map((c) => c()))).map((r) => r.statusCode).sort();
    expect(answers).toEqual([429, 429, ...Array(8).fill(503)]);
    const recorded = await limited.app.database.db
      .selectFrom('audit_entries')
      .select('id')
      .where('kind', '=', 'auth.refused')
      .execute();
    expect(recorded.length).toBe(8);
    const key = (await limited.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key as string;
    expect((await limited.request({ method: 'GET', url: '/v1/agents/support-bot-eu', token: key })).statusCode).not.toBe(429);
  });
});
