// `fulcrum login` while the IdP cannot be used: the real CLI process polls through Fulcrum, which
// answers 503 while the IdP's token endpoint fails. The CLI says so once and tries again, signs in
// when the IdP answers again, and gives up after a few polls in a row went unanswered, saying why.
// Before (found by review), the first such poll ended the sign-in with "sign-in refused".
// Needs dist/ (npm run build).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { MINI, readBundle } from '../support/files.js';
import { type HandIssuer, startHandIssuer } from '../support/oidc.js';
import { freePort } from '../support/ports.js';
import { BIN } from '../support/process.js';
import { startTestServer, type TestServer } from '../support/server.js';

const OUTAGE = '<h1>503 Service Unavailable</h1>';

describe.each(ENGINES)('fulcrum login while the IdP cannot be used (%s)', (engine) => {
  let hand: HandIssuer;
  let t: TestServer;
  let url: string;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-login-outage-'));
  const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: path.join(home, 'cfg') };

  beforeAll(async () => {
    hand = await startHandIssuer();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    t = await startTestServer(engine, {
      identity: {
        publicUrl: url,
        oidc: { issuer: hand.issuer, clientId: 'fulcrum', clientSecret: 's', name: 'Hand IdP', requireEmailVerified: true },
        sessionSeconds: 3600,
        jwksCooldownMs: 0,
      },
    });
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    await t.server.listen({ host: '127.0.0.1', port });
  });
  afterAll(async () => {
    await t?.close();
    await hand?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  /** `fulcrum login`, calling `onLine` with its stderr so far at each write. */
  function login(onLine: (stderr: string) => void = () => {}) {
    const proc = spawn(BIN, ['login', '--url', url], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d) => {
      stderr += d;
      onLine(stderr);
    });
    return new Promise<{ code: number | null; stderr: string }>((r) => proc.on('exit', (code) => r({ code, stderr })));
  }

  it('says the IdP did not answer, tries again, and signs in once it answers', async () => {
    hand.tokenAnswers(503, OUTAGE);
    const now = Math.floor(Date.now() / 1000);
    const idToken = await hand.sign(
      { sub: 'dana', aud: 'fulcrum', email: 'dana.lee@acme.example', email_verified: true, iat: now, exp: now + 600 },
      { typ: 'JWT' },
    );
    let answered = false;
    const done = await login((stderr) => {
      if (!answered && stderr.includes('trying again')) {
        answered = true;
        hand.tokenAnswers(200, { id_token: idToken, token_type: 'Bearer' });
      }
    });
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toContain(
      "the identity provider: the IdP's /token answered 503 with no JSON; trying again (at most 2 more times)",
    );
    expect(done.stderr).toContain(`Signed in to ${url} as dana.lee`);
  }, 30_000);

  it('gives up after three polls in a row went unanswered, saying why', async () => {
    hand.tokenAnswers(500, { error: 'server_error' });
    const done = await login();
    expect(done.code).toBe(1);
    expect(done.stderr).toContain(
      "the sign-in could not finish: 3 polls in a row went unanswered (the identity provider: the IdP's token endpoint answered 500 (server_error)); run `fulcrum login` again later",
    );
    expect(done.stderr).not.toContain('Signed in');
  }, 30_000);
});
