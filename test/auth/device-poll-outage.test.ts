// `fulcrum login` polling while the IdP cannot be used (unreachable, a 5xx, server_error,
// temporarily_unavailable, an answer that is no JSON): each poll is answered 503 `unavailable`, so the
// CLI waits it out (test/auth/login-cli-outage.test.ts), and no failed credential is counted against
// the address. Before (found by review), a 5xx with an OAuth error was "the IdP refused the device
// code", a failed credential, and the CLI stopped at the first one. The outage is an auth.refused entry
// once per code and node, not at every poll; each poll counts against the address's budget of calls to
// the IdP, so made-up codes add entries no faster than that.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { MINI, readBundle } from '../support/files.js';
import { consoleClient, type HandIssuer, type Idp, ssoSettings, startHandIssuer, startIdp } from '../support/oidc.js';
import { startTestServer, type TestServer } from '../support/server.js';

const PUBLIC = 'http://127.0.0.1:4195';

describe.each(ENGINES)('device polls while the IdP cannot be used (%s)', (engine) => {
  let hand: HandIssuer;
  const servers: TestServer[] = [];

  async function start(authFailuresPerMinute = 30): Promise<TestServer> {
    const server = await startTestServer(engine, {
      authFailuresPerMinute,
      identity: {
        publicUrl: PUBLIC,
        oidc: { issuer: hand.issuer, clientId: 'fulcrum', clientSecret: 's', name: 'Hand IdP', requireEmailVerified: true },
        sessionSeconds: 3600,
        jwksCooldownMs: 0,
      },
    });
    servers.push(server);
    const applied = await server.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode).toBe(200);
    return server;
  }
  beforeAll(async () => {
    hand = await startHandIssuer();
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await hand?.stop();
  });

  const poll = (t: TestServer, deviceCode: string, remoteAddress = '127.0.0.1') =>
    t.request({ method: 'POST', url: '/auth/device/token', token: null, payload: { deviceCode }, remoteAddress });
  const reasons = async (t: TestServer) =>
    (
      await t.app.database.db
        .selectFrom('audit_entries')
        .select('detail')
        .where('kind', '=', 'auth.refused')
        .orderBy('seq')
        .execute()
    ).map((e) => (typeof e.detail === 'string' ? JSON.parse(e.detail) : e.detail).reason as string);

  it.each([
    ['a 503 page', 503, '<h1>503 Service Unavailable</h1>', "the IdP's /token answered 503 with no JSON"],
    ['server_error', 500, { error: 'server_error' }, "the IdP's token endpoint answered 500 (server_error)"],
    ['temporarily_unavailable', 400, { error: 'temporarily_unavailable' }, 'answered 400 (temporarily_unavailable)'],
    ['a 502 with an error of its own', 502, { error: 'x'.repeat(10_000) }, "the IdP's token endpoint answered 502 (http_502)"],
    ['garbage with a 200', 200, 'garbage', "the IdP's /token answered 200 with no JSON"],
  ])('answers %s with 503, records it once per code, and counts no failed credential', async (_what, status, body, says) => {
    hand.tokenAnswers(status, body);
    // Failed credentials: 1 a minute; calls to the IdP: 4.
    const t = await start(1);
    const answers = [];
    for (const code of ['code-a', 'code-a', 'code-a', 'code-b']) answers.push(await poll(t, code));
    for (const a of answers) {
      expect(a.statusCode, a.body).toBe(503);
      expect(a.json().error.code).toBe('unavailable');
      expect(a.json().error.message).toContain(says);
    }
    const recorded = await reasons(t);
    expect(recorded).toHaveLength(2);
    for (const r of recorded) expect(r).toMatch(/^the identity provider, polled for a `fulcrum login`: /);
    expect(recorded.join()).not.toContain('xxxx');
    // The fifth call to the IdP is past its budget; the failed credentials' budget was never touched.
    expect((await poll(t, 'code-c')).statusCode).toBe(429);
    expect(await reasons(t)).toHaveLength(2);
    const unknown = await t.request({ method: 'GET', url: '/v1/whoami', token: `fpt_${'x'.repeat(43)}` });
    expect(unknown.statusCode).toBe(401);
  });

  describe('a real IdP gone', () => {
    let idp: Idp;
    beforeAll(async () => {
      idp = await startIdp([consoleClient(PUBLIC)]);
    });
    afterAll(async () => {
      await idp?.stop();
    });

    it('answers a poll 503 once the IdP cannot be reached, and records it once', async () => {
      const t = await startTestServer(engine, { identity: ssoSettings(idp, PUBLIC) });
      servers.push(t);
      const started = await t.request({ method: 'POST', url: '/auth/device', token: null, payload: {} });
      expect(started.statusCode, started.body).toBe(200);
      const { deviceCode } = started.json();
      expect((await poll(t, deviceCode)).statusCode).toBe(202);
      await idp.stop();
      for (let i = 0; i < 3; i++) {
        const a = await poll(t, deviceCode);
        expect(a.statusCode, a.body).toBe(503);
        expect(a.json().error.message).toMatch(/^the identity provider: /);
      }
      const recorded = await reasons(t);
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatch(/^the identity provider, polled for a `fulcrum login`: /);
    });
  });
});
