// `fulcrum login` as a person runs it: the real CLI process starts the device flow through Fulcrum,
// the person enters the code at the real IdP (oidc-provider), and the session lands in the user's
// config directory with mode 0600, where the other commands find it. Needs dist/ (npm run build).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { type Idp, startIdp, walkIdp } from '../support/oidc.js';
import { freePort } from '../support/ports.js';
import { BIN, cli } from '../support/process.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.each(ENGINES)('fulcrum login (%s)', (engine) => {
  let idp: Idp;
  let t: TestServer;
  let plain: TestServer;
  let url: string;
  let plainUrl: string;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-login-'));
  const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: path.join(home, 'cfg') };

  beforeAll(async () => {
    idp = await startIdp([
      {
        client_id: 'fulcrum-cli',
        grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
        token_endpoint_auth_method: 'none',
      },
    ]);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    t = await startTestServer(engine, {
      identity: {
        publicUrl: url,
        // Fulcrum's own client would be confidential; `fulcrum login` uses the public one (Okta's way).
        oidc: {
          issuer: idp.issuer,
          clientId: 'fulcrum-console',
          clientSecret: 's',
          deviceClientId: 'fulcrum-cli',
          name: 'Acme IdP',
          requireEmailVerified: true,
        },
        sessionSeconds: 3600,
        jwksCooldownMs: 0,
      },
    });
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    await t.server.listen({ host: '127.0.0.1', port });
    plain = await startTestServer('sqlite');
    plainUrl = await plain.server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await t?.close();
    await plain?.close();
    await idp?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('signs in with a device code and keeps the session, mode 0600, for the other commands', async () => {
    const proc = spawn(BIN, ['login', '--url', url], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const link = await new Promise<string>((resolve, reject) => {
      proc.stderr.on('data', (d) => {
        stderr += d;
        const m = /open (\S+) in a browser/.exec(stderr);
        if (m) resolve(m[1] as string);
      });
      proc.on('exit', (code) => reject(new Error(`login exited with ${code}: ${stderr}`)));
    });
    const exited = new Promise<number | null>((r) => proc.on('exit', r));
    const done = await walkIdp(link, 'dana.lee@acme.example', 'never');
    expect(done.page).toContain('Sign-in Success');
    expect(await exited).toBe(0);
    expect(stderr).toContain(`Signed in to ${url} as dana.lee`);
    const file = path.join(home, 'cfg/fulcrum/credentials.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')).servers[url];
    expect(saved).toMatchObject({ person: 'dana.lee', token: expect.stringMatching(/^fss_/) });
    // The server is on this machine: who listened on its port is kept (the CLI sends the session to no
    // other user's listener there: test/cli/admin-token.test.ts).
    if (process.platform === 'linux') expect(saved.listenerUid).toBe(process.getuid?.());

    // The client commands use it: dana lists her own tokens (admin-only data would be refused).
    const listed = await cli(env, 'tokens', 'list', '--person', 'dana.lee', '--url', url);
    expect(listed.code, listed.stderr).toBe(0);
    const others = await cli(env, 'tokens', 'list', '--person', 'omar.owner', '--url', url);
    expect(others.code).toBe(1);
    expect(others.stderr).toContain('person "dana.lee" may not manage the tokens');

    const out = await cli(env, 'logout', '--url', url);
    expect(out.stderr).toContain(`Signed out of ${url}`);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).servers[url]).toBeUndefined();
    expect((await t.request({ method: 'GET', url: '/v1/whoami', token: saved.token })).statusCode).toBe(401);
  }, 60_000);

  it('says how to use an API token where Fulcrum has no single sign-on', async () => {
    const r = await cli(env, 'login', '--url', plainUrl);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('this Fulcrum has no single sign-on');
    expect(r.stderr).toContain('fulcrum tokens create --person <you>');
  });
});
