// The admin token file ($FULCRUM_DATA_DIR/admin-token) belongs to the installation on this machine:
// the CLI sends it only to a server on this machine (a loopback address or localhost). Found by review:
// one command pointed at another server (--url / FULCRUM_URL: staging, a colleague's, a URL from a
// ticket) sent that server this installation's admin token, over plain http too.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, onThisMachine } from '../../src/cli/client.js';
import { until } from '../support/wait.js';

/** A Node.js binary the user `nobody` may run: every folder on its path, and the file, executable by
 *  others (Node 24 fetched into a clone under a 0700 temporary folder is not; the machine's Node is). */
const NODE_FOR_NOBODY = [process.execPath, '/usr/bin/node', '/usr/local/bin/node'].find((file) => {
  try {
    for (let p = file; p !== path.dirname(p); p = path.dirname(p)) if (!(fs.statSync(p).mode & 0o001)) return false;
    return true;
  } catch {
    return false;
  }
});

describe('the CLI and the admin token file', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-admin-token-'));
  const ADMIN = `fat_${'s'.repeat(43)}`;
  const env = { FULCRUM_DATA_DIR: dataDir, HOME: dataDir };
  let local: http.Server;
  let port: number;
  let seen: string | undefined;
  /** The authorization header of every request that reached the local server, in order. */
  const wire: Array<string | null> = [];

  /**
   * Sends every request the CLI makes, whatever host its URL names, to the local server instead: what
   * the CLI puts on the wire for another host, over real HTTP, with no DNS and no network.
   */
  const everyHostIsLocal = () => {
    const real = http.request;
    const route = ((url: string | URL, options: http.RequestOptions) => {
      const u = new URL(String(url));
      return real(`http://127.0.0.1:${port}${u.pathname}${u.search}`, options);
    }) as typeof http.request;
    vi.spyOn(http, 'request').mockImplementation(route);
    vi.spyOn(https, 'request').mockImplementation(route as unknown as typeof https.request);
  };

  beforeAll(async () => {
    fs.writeFileSync(path.join(dataDir, 'admin-token'), `${ADMIN}\n`, { mode: 0o600 });
    local = http.createServer((req, res) => {
      seen = req.headers.authorization;
      wire.push(req.headers.authorization ?? null);
      if (!seen)
        return res
          .writeHead(401, { 'content-type': 'application/json' })
          .end('{"error":{"code":"unauthenticated","message":"missing token"}}');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"type":"admin","id":"admin","permissions":[]}');
    });
    await new Promise<void>((r) => local.listen(0, '127.0.0.1', r));
    port = (local.address() as net.AddressInfo).port;
  });
  afterEach(() => {
    vi.restoreAllMocks();
    seen = undefined;
    wire.length = 0;
  });
  afterAll(async () => {
    await new Promise((r) => local.close(r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends it to a server on this machine', async () => {
    await connect({ url: `http://127.0.0.1:${port}` }, env).GET('/v1/whoami');
    expect(seen).toBe(`Bearer ${ADMIN}`);
    await connect({ url: `http://localhost:${port}` }, env).GET('/v1/whoami');
    expect(seen).toBe(`Bearer ${ADMIN}`);
  });

  // Another local user may listen on the server's port while Fulcrum is stopped (4100 is no privileged
  // port): the token went to them, and with it every power the 0600 file was keeping from them.
  it.skipIf(process.getuid?.() !== 0 || !NODE_FOR_NOBODY)(
    "is not sent to a port another local user listens on (run as root: 'nobody' listens)",
    async () => {
      // It answers as Fulcrum would (the CLI checks every answer's shape): what is sent is what is tested.
      const listener = spawn(
        NODE_FOR_NOBODY as string,
        [
          '-e',
          `require('node:http').createServer((req, res) => { console.log('GOT ' + (req.headers.authorization ?? 'none')); res.end('{"type":"person","id":"dana.lee","permissions":[]}'); })
          .listen(0, '127.0.0.1', function () { console.log('PORT ' + this.address().port); });`,
        ],
        { uid: 65534, gid: 65534, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      try {
        let out = '';
        listener.stdout.on('data', (d) => {
          out += d;
        });
        await new Promise<void>((resolve, reject) => {
          listener.stdout.on('data', () => /PORT \d+/.test(out) && resolve());
          listener.on('exit', (code) => reject(new Error(`the listener ended (${code})`)));
          listener.on('error', reject);
        });
        const theirs = Number(/PORT (\d+)/.exec(out)?.[1]);
        await expect(connect({ url: `http://127.0.0.1:${theirs}` }, env).GET('/v1/whoami')).rejects.toThrow(
          `127.0.0.1:${theirs} is listened on by another user (uid 65534)`,
        );
        expect(out).not.toContain(ADMIN);
        // A session `fulcrum login` saved for that URL when root's server answered there is not sent to
        // nobody's listener either; one saved when nobody's served the sign-in is (it was theirs to see).
        const session = `fss_${'l'.repeat(40)}`;
        const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-login-'));
        const saveSession = (listenerUid: number) =>
          fs.writeFileSync(
            path.join(configDir, 'credentials.json'),
            JSON.stringify({
              servers: {
                [`http://127.0.0.1:${theirs}`]: {
                  token: session,
                  person: 'dana.lee',
                  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
                  listenerUid,
                },
              },
            }),
            { mode: 0o600 },
          );
        try {
          saveSession(0);
          await expect(
            connect({ url: `http://127.0.0.1:${theirs}` }, { ...env, FULCRUM_CONFIG_DIR: configDir }).GET('/v1/whoami'),
          ).rejects.toThrow(
            `127.0.0.1:${theirs} is listened on by another user (uid 65534), not uid 0, who served that sign-in: the session \`fulcrum login\` saved for it is not sent there`,
          );
          saveSession(65534);
          await connect({ url: `http://127.0.0.1:${theirs}` }, { ...env, FULCRUM_CONFIG_DIR: configDir }).GET('/v1/whoami');
          await until(async () => out.includes('GOT '), "the listener's line about the request");
          expect(out).toContain(`GOT Bearer ${session}`);
          out = out.replace(/GOT .*\n/g, '');
        } finally {
          fs.rmSync(configDir, { recursive: true, force: true });
        }
        // A token given on purpose (FULCRUM_TOKEN) is the caller's choice, and goes.
        await connect({ url: `http://127.0.0.1:${theirs}` }, { ...env, FULCRUM_TOKEN: 'fpt_chosen' }).GET('/v1/whoami');
        // The listener's line may reach this process after its answer did.
        await until(async () => out.includes('GOT '), "the listener's line about the request");
        expect(out).toContain('GOT Bearer fpt_chosen');
      } finally {
        listener.kill();
      }
    },
  );

  it('reads it whatever server settings the environment holds (the CLI needs only the data directory)', async () => {
    // A bad server setting (the CLI's shell sources the server's env file) made it read no file at
    // all, and say "no token" with the file in place.
    for (const bad of [{ FULCRUM_WORKER_LLM_QUEUE: 'lots' }, { FULCRUM_PORT: 'http' }]) {
      await connect({ url: `http://127.0.0.1:${port}` }, { ...env, ...bad }).GET('/v1/whoami');
      expect(seen).toBe(`Bearer ${ADMIN}`);
    }
  });

  it('sends it nowhere else, and says why a token is missing', async () => {
    // What the CLI puts on the wire for another host.
    everyHostIsLocal();
    for (const url of [
      'http://fulcrum.staging.example:4100',
      'https://10.0.0.5',
      'http://[fe80::1]:4100',
      'http://127.0.0.1.example.com',
    ])
      await expect(connect({ url }, env).GET('/v1/whoami')).rejects.toThrow(
        /no token for .*: set FULCRUM_TOKEN or run `fulcrum login` \(the admin token file is sent only to a server on this machine\)/,
      );
    expect(wire).toEqual([null, null, null, null]);
    // FULCRUM_TOKEN is the operator's choice, sent wherever the operator points it.
    await connect({ url: 'http://fulcrum.staging.example:4100' }, { ...env, FULCRUM_TOKEN: 'fpt_mine' }).GET('/v1/whoami');
    expect(wire.at(-1)).toBe('Bearer fpt_mine');
  });

  it('warns before a credential crosses the network over plain http, and only then', async () => {
    const said = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      everyHostIsLocal();
      const warned = () => said.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('over plain http'));
      const mine = { ...env, FULCRUM_TOKEN: 'fpt_mine' };
      await connect({ url: 'http://fulcrum.staging.example:4100' }, mine).GET('/v1/whoami');
      expect(warned()).toEqual([
        expect.stringMatching(
          /^fulcrum: warning: sending your credential to fulcrum\.staging\.example:4100 over plain http: .*https:\/\//,
        ),
      ]);
      // Not for https, a server on this machine, no credential at all, or when the operator said so.
      await connect({ url: 'https://fulcrum.staging.example' }, mine).GET('/v1/whoami');
      await connect({ url: `http://127.0.0.1:${port}` }, env).GET('/v1/whoami');
      await connect({ url: 'http://fulcrum.staging.example:4100' }, env)
        .GET('/v1/whoami')
        .catch(() => undefined);
      await connect({ url: 'http://fulcrum.staging.example:4100' }, { ...mine, FULCRUM_ALLOW_PLAIN_HTTP: '1' }).GET('/v1/whoami');
      expect(warned()).toHaveLength(1);
    } finally {
      said.mockRestore();
    }
  });

  it.each([
    ['http://127.0.0.1:4100', true],
    ['http://127.8.9.10', true],
    ['http://localhost:4100', true],
    ['http://LOCALHOST.:4100', true],
    ['http://fulcrum.localhost', false],
    ['http://[::1]:4100', true],
    ['http://127.0.0.1.example.com', false],
    ['http://localhost.example.com', false],
    ['http://10.0.0.5:4100', false],
    ['http://[::ffff:7f00:1]:4100', false],
    ['http://0.0.0.0:4100', false],
    ['not a url', false],
  ])('%s is on this machine: %s', (url, expected) => {
    expect(onThisMachine(url)).toBe(expected);
  });
});
