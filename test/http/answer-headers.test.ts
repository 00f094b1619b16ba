// What the API's answers tell the browser. With single sign-on the session cookie authenticates a plain
// navigation (GET /v1/report, /v1/export, /v1/audit), and an answer without Cache-Control stays in the
// browser's HTTP cache: after "Sign out" on a shared machine, Back showed the board report, the
// registry or the audit log to the next person. And the HTML board report, a page built from registry
// text on Fulcrum's origin, came with no content security policy: one escaping slip in
// report-render.ts would have run script beside the session's CSRF token.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleSessions } from '../../src/auth/console-sessions.js';
import { parseIdentitySettings } from '../../src/auth/identity-config.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

// Sessions are accepted only with single sign-on set up: an issuer no request reaches here (the
// session is made directly, as sign-in makes it).
const ISSUER = 'http://127.0.0.1:9';
const SSO = parseIdentitySettings({
  FULCRUM_PUBLIC_URL: 'http://127.0.0.1:4100',
  FULCRUM_OIDC_ISSUER: ISSUER,
  FULCRUM_OIDC_CLIENT_ID: 'fulcrum',
});

describe('what API answers tell the browser', () => {
  let t: TestServer;
  let cookie: string;
  beforeAll(async () => {
    t = await startTestServer('sqlite', { identity: SSO });
    const files = readBundle(path.resolve(import.meta.dirname, '../fixtures/mini'));
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files } });
    expect(applied.statusCode, applied.body).toBe(200);
    const sessions = createConsoleSessions({ db: t.app.database.db, ttlSeconds: 600, issuer: ISSUER });
    cookie = `fulcrum_session=${(await sessions.create('dana.lee', 'dana.lee@acme.example', 'browser'))?.token}`;
  });
  afterAll(() => t?.close());

  const headersOf = (res: { headers: Record<string, unknown> }) => ({
    cache: res.headers['cache-control'],
    nosniff: res.headers['x-content-type-options'],
  });
  const kept = { cache: 'no-store', nosniff: 'nosniff' };

  it('has the browser store no answer of the API, by cookie or bearer, refusals included', async () => {
    for (const url of ['/v1/whoami', '/v1/report?format=html', '/v1/export?format=yaml', '/v1/audit', '/v1/agents']) {
      const byCookie = await t.request({ method: 'GET', url, token: null, headers: { cookie } });
      expect(byCookie.statusCode, `${url}: ${byCookie.body.slice(0, 200)}`).toBe(200);
      expect(headersOf(byCookie), url).toEqual(kept);
      const byToken = await t.request({ method: 'GET', url });
      expect(headersOf(byToken), url).toEqual(kept);
    }
    for (const url of ['/v1/agents', '/v1/no-such-thing', '/v1/audit/public-key']) {
      const res = await t.request({ method: 'GET', url, token: null });
      expect(headersOf(res), url).toEqual(kept);
    }
    // Public documents that are no one's data keep whatever caching they had.
    expect((await t.request({ method: 'GET', url: '/openapi.json', token: null })).headers['cache-control']).toBeUndefined();
  });

  it('serves the HTML board report with a content security policy that lets nothing in it run or load', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/report', token: null, headers: { cookie, accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; sandbox",
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
