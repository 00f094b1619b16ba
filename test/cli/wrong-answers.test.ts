// The CLI against JSON that is valid but wrong: another service at the URL, a proxy's error page in
// JSON, a Fulcrum of another version. A real Fulcrum answers through a proxy that bends one answer per
// command in one way per test; each wrong answer fails the command (exit 1, nothing on stdout, --json
// included) naming the server, the path, the route and the first mismatch, and what a newer Fulcrum adds
// (properties, and words in a list: a verdict, a status) is still read. Before, --json passed such an answer on as it was (`decisions --json`
// wrote `{}` for `{"items": {}}`, exit 0), and the tables printed what they could make of it (`costs`
// showed a cost sent as the text "12.5" as n/a) or failed with a bare TypeError.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerDocument } from '../../src/client/answers.js';
import { ACME } from '../support/files.js';
import { cli, type ServedBundle, serveBundle } from '../support/process.js';

type Bend = (status: number, body: unknown) => [number, string];

/** The commands bent here: a list, a show, a status, budget, decisions, with and without --json. */
const COMMANDS = [
  { args: ['decisions', '--json'], path: '/v1/audit', route: '/v1/audit' },
  { args: ['incidents', 'list'], path: '/v1/incidents', route: '/v1/incidents' },
  { args: ['retention', 'show', '--json'], path: '/v1/retention', route: '/v1/retention' },
  { args: ['monitors', 'status'], path: '/v1/monitors/status', route: '/v1/monitors/status' },
  {
    args: ['budget', 'alignment', 'fy2026'],
    path: '/v1/budgets/fy2026/alignment',
    route: '/v1/budgets/{name}/alignment',
  },
  { args: ['costs'], path: '/v1/costs', route: '/v1/costs' },
  { args: ['diagnose', '--json'], path: '/v1/diagnostic', route: '/v1/diagnostic' },
  {
    args: ['outcomes', 'support-deflection'],
    path: '/v1/initiatives/support-deflection/outcomes',
    route: '/v1/initiatives/{name}/outcomes',
  },
] as const;

/** The top-level schema of a route's 200 answer, its reference followed. */
function topSchema(route: string): { required: string[]; properties: Record<string, { type?: string; $ref?: string }> } {
  const s = answerDocument.paths[route]?.get?.['200'] as { $ref?: string } | undefined;
  const resolved = s?.$ref ? answerDocument.components.schemas[s.$ref.split('/').at(-1) as string] : s;
  return resolved as ReturnType<typeof topSchema>;
}

/** What a command printed, its clock aside (the diagnostic says when it was made). */
const same = (out: string) => out.replace(/"generatedAt": "[^"]*"/g, '"generatedAt": "…"');

/** Every object in `value`, nested ones too, with `extra` added. */
function withExtra(value: unknown, extra: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => withExtra(v, extra));
  if (value && typeof value === 'object')
    return { ...Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withExtra(v, extra)])), ...extra };
  return value;
}

describe('the CLI against valid JSON of the wrong shape', { timeout: 300_000 }, () => {
  let fulcrum: ServedBundle;
  let proxy: http.Server;
  let proxyUrl: string;
  /** How the proxy bends the answer to a path (its query aside); others pass as they are. */
  const bends = new Map<string, Bend>();
  const env = () => ({ ...fulcrum.env, FULCRUM_URL: proxyUrl });

  beforeAll(async () => {
    fulcrum = await serveBundle(ACME);
    const token = fs.readFileSync(path.join(fulcrum.env.FULCRUM_DATA_DIR as string, 'admin-token'), 'utf8');
    fulcrum.env.FULCRUM_TOKEN = token.trim();
    proxy = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host') headers.set(k, v);
      const answer = await fetch(fulcrum.server.url + req.url, {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : null,
      });
      const text = await answer.text();
      const bend = bends.get(new URL(req.url ?? '/', 'http://x').pathname);
      const [status, body] = bend && answer.ok ? bend(answer.status, JSON.parse(text)) : [answer.status, text];
      res.writeHead(status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(body);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    proxy?.closeAllConnections();
    proxy?.close();
    await fulcrum?.close();
  });

  /** Runs every command with its answer bent by `bend(command)`; each must fail saying `why(command)`. */
  async function eachFails(
    bend: (c: (typeof COMMANDS)[number], i: number) => Bend,
    why: (c: (typeof COMMANDS)[number], i: number) => string,
  ) {
    for (const [i, c] of COMMANDS.entries()) {
      bends.clear();
      bends.set(c.path, bend(c, i));
      const r = await cli(env(), ...c.args);
      const said = `${c.args.join(' ')}: ${r.stdout} ${r.stderr}`;
      expect(r.code, said).toBe(1);
      expect(r.stdout, said).toBe('');
      expect(r.stderr.trim(), said).toBe(
        `fulcrum ${c.args[0]}: the answer of Fulcrum at ${proxyUrl} to ${c.path} is not what this fulcrum reads ` +
          `(GET ${c.route} ${why(c, i)}): is --url / FULCRUM_URL a Fulcrum server, of this version?`,
      );
    }
    bends.clear();
  }

  it('runs every command bent here as it does against Fulcrum itself, with no bend', async () => {
    for (const c of COMMANDS) {
      const direct = await cli(fulcrum.env, ...c.args);
      expect(direct.code, direct.stderr).toBe(0);
      expect(direct.stderr).toBe('');
      const through = await cli(env(), ...c.args);
      expect(same(through.stdout), c.args.join(' ')).toBe(same(direct.stdout));
    }
  });

  /** Runs a command against Fulcrum itself: it must succeed, with no word against the answer. */
  const run = async (...args: string[]) => {
    const r = await cli(fulcrum.env, ...args);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    // keys and tokens create say on stderr what the secret on stdout is for.
    expect(r.stderr, args.join(' ')).not.toMatch(/not what this fulcrum reads|is not JSON/);
    return r.stdout;
  };

  // Each answer the CLI reads as JSON goes through the check, which must not refuse any a real Fulcrum gives.
  it('runs every client command that reads against Fulcrum itself, its answers checked, as before', async () => {
    for (const args of [
      ['diagnose'],
      ['signals', '--json'],
      ['plan'],
      ['costs', '--group-by', 'model'],
      ['decisions'],
      ['approvals', 'list'],
      ['reviews', 'list'],
      ['monitors', 'status'],
      ['retention', 'show'],
      ['budget', 'alignment', 'fy2026'],
      ['budget', 'imports', 'fy2026'],
      ['spend-limits'],
      ['outcomes', 'support-deflection'],
      ['roi', 'support-deflection'],
      ['risk', 'questionnaire'],
      ['risk', 'history', 'support-deflection'],
      ['report', '--format', 'json'],
    ])
      await run(...args);
  });

  it('runs every client command that writes against Fulcrum itself, its answers checked, as before', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-wrong-answers-'));
    try {
      for (const args of [
        ['monitors', 'evaluate'],
        ['keys', 'create', '--agent', 'support-bot-eu'],
        ['keys', 'list', '--agent', 'support-bot-eu'],
        ['tokens', 'create', '--person', 'maria.okafor'],
        ['tokens', 'list', '--person', 'maria.okafor'],
        ['agents', 'suspend', 'support-bot-eu', '--reason', 'checking the CLI'],
        ['agents', 'resume', 'support-bot-eu', '--reason', 'checked'],
        ['export', '-o', out],
        ['apply', '-f', out],
      ])
        await run(...args);
      // An incident's id comes from the answer to its opening.
      const opened = JSON.parse(await run('incidents', 'open', '--title', 'A wrong answer', '--severity', 'sev3', '--json'));
      await run('incidents', 'note', opened.id, 'looked at');
      await run('incidents', 'show', opened.id);
      await run('incidents', 'move', opened.id, '--to', 'mitigated');
      await run('incidents', 'list');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('fails an answer without a property its route requires', async () => {
    await eachFails(
      (c) => (status, body) => {
        const { [topSchema(c.route).required[0] as string]: _left, ...rest } = body as Record<string, unknown>;
        return [status, JSON.stringify(rest)];
      },
      (c) => `200: at / expected property "${topSchema(c.route).required[0]}", got none`,
    );
  });

  it('fails an answer whose property is of another type (a total as text, a list as an object)', async () => {
    const other = (v: unknown) =>
      Array.isArray(v) ? {} : typeof v === 'number' ? String(v) : typeof v === 'string' ? 12 : v === null ? 0 : [];
    const got = (v: unknown) =>
      Array.isArray(v) ? 'an object' : typeof v === 'number' ? `string "${v}"` : typeof v === 'string' ? 'number 12' : 'an array';
    let seen: unknown[] = [];
    await eachFails(
      (c, i) => (status, body) => {
        const name = topSchema(c.route).required[0] as string;
        const b = body as Record<string, unknown>;
        seen[i] = b[name];
        return [status, JSON.stringify({ ...b, [name]: other(b[name]) })];
      },
      (c, i) => {
        const name = topSchema(c.route).required[0] as string;
        const type = topSchema(c.route).properties[name]?.type;
        return `200: at /${name} expected ${type}, got ${got(seen[i])}`;
      },
    );
    seen = [];
  });

  it('fails an answer that is not an object at all: null, a list, a string, a number', async () => {
    const bodies = [null, [], 'ok', 0] as const;
    const got = ['null', 'an array', 'string "ok"', 'number 0'];
    await eachFails(
      (_c, i) => (status) => [status, JSON.stringify(bodies[i % 4])],
      (_c, i) => `200: at / expected object, got ${got[i % 4]}`,
    );
  });

  it('reads a word a newer Fulcrum adds to a list (a verdict, a grouping), printing it as it came', async () => {
    // An older CLI failed the command: "at /verdict expected one of [...], got string "thriving"".
    for (const [args, p, name, word] of [
      [['diagnose', '--json'], '/v1/diagnostic', 'verdict', 'thriving'],
      [['diagnose'], '/v1/diagnostic', 'verdict', 'thriving'],
      [['costs', '--json'], '/v1/costs', 'groupBy', 'planet'],
    ] as const) {
      bends.set(p, (status, body) => [status, JSON.stringify({ ...(body as object), [name]: word })]);
      const r = await cli(env(), ...args);
      bends.clear();
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout.toLowerCase()).toContain(word); // the diagnostic's table shouts its verdict
    }
    // Nested, in a table that marks each word its own way: an area's new status is shown as it came.
    bends.set('/v1/diagnostic', (status, body) => {
      const b = body as { areas: Array<{ status: string }> };
      return [status, JSON.stringify({ ...b, areas: b.areas.map((a, i) => (i === 0 ? { ...a, status: 'degraded' } : a)) })];
    });
    const r = await cli(env(), 'diagnose');
    bends.clear();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^DEGRADED /m);
  });

  it('still fails a word of another type in a list (a verdict as a number, a grouping as null)', async () => {
    for (const [args, p, name, value, got] of [
      [['diagnose', '--json'], '/v1/diagnostic', 'verdict', 7, 'number 7'],
      [['costs'], '/v1/costs', 'groupBy', null, 'null'],
    ] as const) {
      bends.set(p, (status, body) => [status, JSON.stringify({ ...(body as object), [name]: value })]);
      const r = await cli(env(), ...args);
      bends.clear();
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`(GET ${p} 200: at /${name} expected string, got ${got}): is --url`);
    }
  });

  it('fails a success status its route does not document', async () => {
    await eachFails(
      () => (_status, body) => [202, JSON.stringify(body)],
      () => 'answered 202, a status it does not document (200)',
    );
  });

  it('reads the properties a newer Fulcrum adds, nested ones too, as before', async () => {
    for (const c of COMMANDS) {
      const direct = await cli(fulcrum.env, ...c.args);
      bends.set(c.path, (status, body) => [status, JSON.stringify(withExtra(body, { addedLater: { x: 1 } }))]);
      const r = await cli(env(), ...c.args);
      bends.clear();
      expect(r.code, `${c.args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toBe('');
      if ((c.args as readonly string[]).includes('--json'))
        expect(JSON.parse(same(r.stdout))).toEqual(withExtra(JSON.parse(same(direct.stdout)), { addedLater: { x: 1 } }));
      else expect(same(r.stdout)).toBe(same(direct.stdout));
    }
  });

  it('checks nothing of a document or a download (report), which are not the JSON of a route', async () => {
    const r = await cli(env(), 'report', '--format', 'md');
    expect(r.code, r.stderr).toBe(0);
    const out = path.join(os.tmpdir(), `fulcrum-wrong-answers-${process.pid}.html`);
    const d = await cli(env(), 'report', '--format', 'html', '-o', out);
    expect(d.code, d.stderr).toBe(0);
    fs.rmSync(out, { force: true });
  });
});
