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
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/server.js';

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

    // Her sessions: this one alone, and nothing else to end.
    const mine = await cli(env, 'sessions', '--url', url);
    expect(mine.code, mine.stderr).toBe(0);
    expect(mine.stdout).toMatch(/^session:[0-9a-f]{12}\tcli\tcurrent\tstarted \S+\tuntil \S+\n$/);
    const rest = await cli(env, 'sessions', 'end', '--all', '--url', url);
    expect(rest.stdout).toBe('Person "dana.lee" had no other live session\n');

    const out = await cli(env, 'logout', '--url', url);
    expect(out.stderr).toContain(`Signed out of ${url}`);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).servers[url]).toBeUndefined();
    expect((await t.request({ method: 'GET', url: '/v1/whoami', token: saved.token })).statusCode).toBe(401);
  }, 60_000);

  it("lets an admin list and end a person's session from the CLI (a device code phished, say)", async () => {
    const start = (await t.request({ method: 'POST', url: '/auth/device', token: null, payload: {} })).json();
    await walkIdp(start.verificationUriComplete, 'dana.lee@acme.example', 'never');
    const made = await t.request({
      method: 'POST',
      url: '/auth/device/token',
      token: null,
      payload: { deviceCode: start.deviceCode },
    });
    expect(made.statusCode, made.body).toBe(200);
    const admin = { ...env, FULCRUM_TOKEN: ADMIN_TOKEN };
    // The admin token is no person: whose sessions must be said.
    const unnamed = await cli(admin, 'sessions', '--url', url);
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toContain("this credential is the admin's, not a person's: name whose sessions with --person NAME");
    for (const wrong of [['end'], ['end', 'session:000000000000', '--all'], ['list', 'x'], ['stop']]) {
      const r = await cli(admin, 'sessions', ...wrong, '--person', 'dana.lee', '--url', url);
      expect(r.code, wrong.join(' ')).toBe(2);
      expect(r.stderr).toContain('usage: fulcrum sessions');
    }
    const listed = await cli(admin, 'sessions', '--person', 'dana.lee', '--json', '--url', url);
    expect(listed.code, listed.stderr).toBe(0);
    const { items } = JSON.parse(listed.stdout);
    expect(items).toEqual([expect.objectContaining({ kind: 'cli', current: false })]);
    const ended = await cli(admin, 'sessions', 'end', items[0].id, '--person', 'dana.lee', '--url', url);
    expect(ended.stdout).toBe(`ended ${items[0].id}\n`);
    expect((await t.request({ method: 'GET', url: '/v1/whoami', token: made.json().token })).statusCode).toBe(401);
    const twice = await cli(admin, 'sessions', 'end', items[0].id, '--person', 'dana.lee', '--url', url);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain(`Person "dana.lee" has no live session "${items[0].id}"`);
  }, 90_000); // nine CLI processes: on a loaded 2-core machine, 27 s

  it('says how to use an API token where Fulcrum has no single sign-on', async () => {
    const r = await cli(env, 'login', '--url', plainUrl);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('this Fulcrum has no single sign-on');
    expect(r.stderr).toContain('fulcrum tokens create --person <you>');
  });
});
