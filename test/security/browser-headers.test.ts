// What every answer that is not an API's JSON tells a browser, checked over a list of such paths: the
// console's pages and files, /docs and its files, /metrics, the report as PDF, HTML and Markdown,
// exports, and refusals. Before, /docs came without `nosniff` and a referrer policy, /metrics, the
// PDF and the exports without a content security policy, and only the console's pages kept their
// paths out of Referer headers (src/http/answer-headers.ts sets them all in one place).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DIR, consoleBuilt } from '../../src/http/console.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const HTML = { accept: 'text/html,application/xhtml+xml' };

describe('the headers a browser gets with every kind of answer', () => {
  let t: TestServer;
  let asset: string;
  beforeAll(async () => {
    if (!consoleBuilt()) throw new Error(`the console is not built in ${CONSOLE_DIR}: run \`npm run build\` (npm test does)`);
    asset = `/assets/${readdirSync(path.join(CONSOLE_DIR, 'assets')).find((f) => f.endsWith('.js'))}`;
    t = await startTestServer('sqlite');
    const files = readBundle(path.resolve(import.meta.dirname, '../fixtures/mini'));
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files } });
    expect(applied.statusCode, applied.body).toBe(200);
  });
  afterAll(() => t?.close());

  /** [path, signed in, the status it answers, its content type]. */
  const answers = (): Array<[string, boolean, number, RegExp]> => [
    ['/', false, 200, /^text\/html/],
    ['/approvals', false, 200, /^text\/html/],
    ['/no-such-page', false, 404, /^text\/html/],
    ['/favicon.svg', false, 200, /^image\/svg\+xml/],
    [asset, false, 200, /javascript/],
    ['/docs', false, 200, /^text\/html/],
    ['/docs/static/swagger-ui.css', false, 200, /^text\/css/],
    ['/docs/static/swagger-initializer.js', false, 200, /javascript/],
    ['/openapi.json', false, 200, /^application\/json/],
    ['/metrics', false, 200, /^text\/plain/],
    ['/v1/report?format=pdf', true, 200, /^application\/pdf/],
    ['/v1/report?format=html', true, 200, /^text\/html/],
    ['/v1/report?format=md', true, 200, /^text\/markdown/],
    ['/v1/export?format=yaml', true, 200, /^application\/yaml/],
    ['/v1/initiatives/support-deflection/evidence', true, 200, /^application\/gzip/],
    ['/v1/report?format=pdf', false, 401, /^application\/json/],
    ['/assets/no-such-file.js', false, 404, /^application\/json/],
  ];

  it('is nosniff, sends no referrer, may not be framed, and loads nothing it does not name', async () => {
    for (const [url, signedIn, status, type] of answers()) {
      const res = await t.request({ method: 'GET', url, headers: HTML, ...(signedIn ? {} : { token: null }) });
      const what = `${url}${signedIn ? ' (signed in)' : ''}`;
      expect(res.statusCode, `${what}: ${res.body.slice(0, 200)}`).toBe(status);
      expect(res.headers['content-type'], what).toMatch(type);
      expect(res.headers['x-content-type-options'], what).toBe('nosniff');
      expect(res.headers['referrer-policy'], what).toBe('no-referrer');
      expect(res.headers['x-frame-options'], what).toBe('DENY');
      const csp = String(res.headers['content-security-policy'] ?? '');
      expect(csp, what).toContain("frame-ancestors 'none'");
      // A PDF is shown by a plugin that default-src 'none' would block; everything else names its sources.
      if (!type.test('application/pdf')) expect(csp, what).toMatch(/default-src '(none|self)'/);
    }
  });
});
