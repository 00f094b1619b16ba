// The agents' token issuer failing: its JWKS endpoint answering an HTTP error (a proxy's 503 in an
// outage) is the issuer being unavailable, not the agent's token being wrong. Over real HTTP to a
// hand-held issuer whose JWKS endpoint the test turns off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentitySettings } from '../../src/auth/identity-config.js';
import { ENGINES, type Engine } from '../support/databases.js';
import { MINI, readBundle } from '../support/files.js';
import { type HandIssuer, startHandIssuer } from '../support/oidc.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';

const PUBLIC = 'http://127.0.0.1:4199';
const now = () => Math.floor(Date.now() / 1000);
const lookup = { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c-1' }, dataDomains: ['customer-records'] };

/**
 * A server on a hand-held agent token issuer (fresh keys for `jwksMaxAgeMs`, the production default
 * when not given), with agent support-bot-eu taking its tokens as OAuth client support-eu-client.
 */
async function start(engine: Engine, identity: Partial<IdentitySettings> = {}): Promise<{ t: TestServer; hand: HandIssuer }> {
  const hand = await startHandIssuer();
  const t = await startTestServer(engine, {
    identity: { publicUrl: PUBLIC, agentTokenIssuer: hand.issuer, sessionSeconds: 3600, jwksCooldownMs: 0, ...identity },
  });
  expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
  const current = (await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu' })).json();
  const put = await t.request({
    method: 'PUT',
    url: '/v1/agents/support-bot-eu',
    payload: { spec: { ...current.spec, oauthClientId: 'support-eu-client' } },
  });
  expect(put.statusCode, put.body).toBe(200);
  return { t, hand };
}

describe.each(ENGINES)('the agent token issuer failing (%s)', (engine) => {
  let t: TestServer;
  let hand: HandIssuer;
  const token = () =>
    hand.sign({ aud: PUBLIC, client_id: 'support-eu-client', sub: 'support-eu-client', exp: now() + 300, iat: now() });

  beforeAll(async () => {
    ({ t, hand } = await start(engine));
  });
  afterAll(async () => {
    await t?.close();
    await hand?.stop();
  });

  it("answers 503 when the issuer's JWKS answers an HTTP error, and counts no failed credential against the agents' address", async () => {
    const from = '203.0.113.61';
    hand.jwksAnswers('error');
    // A key the node has not fetched yet (a rotation during the outage): its JWKS must be fetched.
    await hand.rotate();
    const tok = await token();
    for (let i = 0; i < 35; i++) {
      const res = await t.request({ method: 'POST', url: '/v1/decisions', token: tok, payload: lookup, remoteAddress: from });
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json().error?.code, res.body).toBe('unavailable');
      expect(res.json().error.message).toContain('503');
    }
    // The address is not locked out: a person's API token from behind the same NAT still works.
    const person = await t.request({ method: 'GET', url: '/v1/agents', remoteAddress: from });
    expect(person.statusCode, person.body).toBe(200);
    // The issuer back: the same token is accepted.
    hand.jwksAnswers('keys');
    const ok = await t.request({ method: 'POST', url: '/v1/decisions', token: tok, payload: lookup, remoteAddress: from });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});

describe.each(ENGINES)('the agent token issuer redirecting (%s)', (engine) => {
  let t: TestServer;
  let hand: HandIssuer;
  const token = () =>
    hand.sign({ aud: PUBLIC, client_id: 'support-eu-client', sub: 'support-eu-client', exp: now() + 300, iat: now() });

  beforeAll(async () => {
    ({ t, hand } = await start(engine));
  });
  afterAll(async () => {
    await t?.close();
    await hand?.stop();
  });

  it('follows no redirect of its JWKS, and says it was one (not "unreachable"), where it went', async () => {
    hand.jwksAnswers('redirect');
    const res = await t.request({ method: 'POST', url: '/v1/decisions', token: await token(), payload: lookup });
    expect(res.statusCode, res.body).toBe(503);
    const message = res.json().error.message as string;
    expect(message).toContain(`${hand.issuer}/jwks answered HTTP 302, a redirect to ${hand.issuer}/jwks-moved`);
    expect(message).not.toContain('unreachable');
  });

  it('says which discovery URL redirected, also when the next one tried answers otherwise', async () => {
    const moved = await startTestServer(engine, {
      identity: { publicUrl: PUBLIC, agentTokenIssuer: `${hand.issuer}/moved`, sessionSeconds: 3600, jwksCooldownMs: 0 },
    });
    try {
      const res = await moved.request({ method: 'POST', url: '/v1/decisions', token: await token(), payload: lookup });
      expect(res.statusCode, res.body).toBe(503);
      const message = res.json().error.message as string;
      expect(message).toContain(
        `${hand.issuer}/moved/.well-known/openid-configuration answered HTTP 301, a redirect to ${hand.issuer}/.well-known/openid-configuration`,
      );
      expect(message).toContain(`${hand.issuer}/.well-known/oauth-authorization-server/moved: HTTP 404`);
    } finally {
      await moved.close();
    }
  });
});

describe.each(ENGINES)('the agent token issuer down or slow after its keys were fetched (%s)', (engine) => {
  let t: TestServer;
  let hand: HandIssuer;
  const token = () =>
    hand.sign({ aud: PUBLIC, client_id: 'support-eu-client', sub: 'support-eu-client', exp: now() + 300, iat: now() });
  const decide = async () => t.request({ method: 'POST', url: '/v1/decisions', token: await token(), payload: lookup });

  beforeAll(async () => {
    // Keys are fresh for 0 ms: every call finds them due for a refresh (in production, every 10 minutes).
    ({ t, hand } = await start(engine, { jwksMaxAgeMs: 0 }));
  });
  afterAll(async () => {
    await t?.close();
    await hand?.stop();
  });

  it('keeps accepting tokens signed with a key it holds while the issuer errs or hangs, without waiting on it', async () => {
    const first = await decide();
    expect(first.statusCode, first.body).toBe(200);
    for (const mode of ['error', 'never'] as const) {
      hand.jwksAnswers(mode);
      const fetches = hand.jwksFetches();
      const started = Date.now();
      const res = await decide();
      expect(res.statusCode, `${mode}: ${res.body}`).toBe(200);
      // Not held for the issuer's 5 s timeout: the refresh runs beside the call.
      expect(Date.now() - started, mode).toBeLessThan(2000);
      await until(() => hand.jwksFetches() > fetches, `a refresh of the JWKS (${mode})`);
    }
    // The issuer back, having withdrawn the key: once refreshed, a token signed with it is refused.
    hand.jwksAnswers('keys');
    const old = await token();
    await hand.rotate();
    hand.withdraw(old);
    await until(async () => {
      const res = await t.request({ method: 'POST', url: '/v1/decisions', token: old, payload: lookup });
      return res.statusCode === 401;
    }, 'the withdrawn key refused');
    expect((await decide()).statusCode).toBe(200);
  });
});
