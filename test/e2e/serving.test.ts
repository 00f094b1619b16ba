// How the Fastify server serves the built console: public files, deep links answered with the
// app's page, and API paths that keep their JSON 404 (in process, no browser).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DIR, consoleBuilt } from '../../src/http/console.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('the console as the server serves it', () => {
  let t: TestServer;
  const html = { accept: 'text/html,application/xhtml+xml' };

  beforeAll(async () => {
    if (!consoleBuilt()) throw new Error(`the console is not built in ${CONSOLE_DIR}: run \`npm run build\` (npm test does)`);
    t = await startTestServer('sqlite');
  });
  afterAll(() => t?.close());

  it('serves the page at / without a token, with a strict content security policy', async () => {
    const res = await t.request({ method: 'GET', url: '/', token: null, headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<div id="root"></div>');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("base-uri 'none'; form-action 'self'");
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('sends the same security headers for a deep link as for /', async () => {
    // Referrer-Policy keeps console paths and their query strings (/audit?agent=…) out of Referer headers.
    const pick = (h: Record<string, unknown>) => ({
      csp: h['content-security-policy'],
      nosniff: h['x-content-type-options'],
      referrer: h['referrer-policy'],
      cache: h['cache-control'],
    });
    const root = await t.request({ method: 'GET', url: '/', token: null, headers: html });
    const deep = await t.request({ method: 'GET', url: '/audit?agent=refund-bot', token: null, headers: html });
    expect(root.statusCode).toBe(200);
    expect(deep.statusCode).toBe(200);
    expect(pick(root.headers)).toMatchObject({ nosniff: 'nosniff', referrer: 'no-referrer', cache: 'no-cache' });
    expect(pick(deep.headers)).toEqual(pick(root.headers));
  });

  it('serves its hashed assets publicly and for a year', async () => {
    const page = (await t.request({ method: 'GET', url: '/', token: null })).body;
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page)?.[1] as string;
    expect(script).toBeDefined();
    const res = await t.request({ method: 'GET', url: script, token: null });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('answers a deep link to a console page with the app, so a reload keeps the page', async () => {
    for (const url of ['/approvals', '/policies', '/portfolio?x=1']) {
      const res = await t.request({ method: 'GET', url, token: null, headers: html });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<div id="root"></div>');
    }
  });

  it('answers a path that is no console page with the app and 404, not 200', async () => {
    // Before, every path was a page that exists: /.env, /.git/config and /admin answered 200.
    const root = await t.request({ method: 'GET', url: '/', token: null, headers: html });
    for (const url of ['/no-such-page', '/.env', '/.git/config', '/admin', '/approvals/', '/Approvals', '/approvals/x?y=1']) {
      const res = await t.request({ method: 'GET', url, token: null, headers: html });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      // The app itself says the page is not found; the security headers are the page's own.
      expect(res.body, url).toContain('<div id="root"></div>');
      expect(res.headers['content-security-policy'], url).toBe(root.headers['content-security-policy']);
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
    }
    const head = await t.request({ method: 'HEAD', url: '/no-such-page', token: null, headers: html });
    expect(head.statusCode).toBe(404);
  });

  it('keeps JSON 404s for API paths, missing assets and non-browser clients', async () => {
    for (const url of ['/v1/no-such-thing', '/v1', '/otlp/v1/nothing', '/metrics/x', '/assets/missing.js']) {
      const res = await t.request({ method: 'GET', url, token: null, headers: html });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code, url).toBe('not_found');
    }
    const api = await t.request({ method: 'GET', url: '/approvals', token: null, headers: { accept: 'application/json' } });
    expect(api.statusCode).toBe(404);
    const post = await t.request({ method: 'POST', url: '/approvals', token: null, headers: html });
    expect(post.statusCode).toBe(404);
  });

  it('still asks for a token on the API and leaves the console out of the OpenAPI document', async () => {
    expect((await t.request({ method: 'GET', url: '/v1/agents', token: null })).statusCode).toBe(401);
    const spec = (await t.request({ method: 'GET', url: '/openapi.json', token: null })).json();
    const paths = Object.keys(spec.paths);
    expect(paths.length).toBeGreaterThan(20);
    for (const p of ['/', '/index.html', '/favicon.svg']) expect(paths).not.toContain(p);
    expect(paths.filter((p) => p.startsWith('/assets'))).toEqual([]);
  });
});
