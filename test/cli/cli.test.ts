// The CLI against a real server process, as a user runs it: serve, apply, export, keys.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';
import { ACME } from '../support/files.js';
import { cli as runCli, type Served, serve, stop } from '../support/process.js';

describe.each(ENGINES)('the fulcrum CLI with a %s server', (engine) => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let server: Served | undefined;
  const cli = (...args: string[]) => runCli(env, ...args);
  const get = async (p: string) => {
    const token = fs.readFileSync(path.join(db.dir, 'admin-token'), 'utf8').trim();
    const res = await fetch(`${server?.url}${p}`, { headers: { authorization: `Bearer ${token}` } });
    return res.json() as Promise<any>;
  };

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    env = { PATH: process.env.PATH, FULCRUM_DATA_DIR: db.dir, ...(db.url ? { FULCRUM_DATABASE_URL: db.url } : {}) };
    server = await serve(env);
    env.FULCRUM_URL = server.url;
  });
  afterAll(async () => {
    await stop(server);
    await db?.drop();
  });

  it('keeps the generated admin token in the data dir (mode 0600), and out of piped output', async () => {
    const file = path.join(db.dir, 'admin-token');
    const token = fs.readFileSync(file, 'utf8').trim();
    expect(token).toMatch(/^fat_/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(server?.stderr).toContain(`Generated the admin token: saved to ${file}`);
    expect(server?.stderr).not.toContain(token);
  });

  it('applies the example enterprise, then finds nothing to change', async () => {
    const first = await cli('apply', '-f', 'examples/acme');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^created {2}Agent\/support-bot-eu$/m);
    expect(first.stdout).toMatch(/^applied: \d+ created, 0 updated, 0 unchanged, 0 deleted \(revision 1\)$/m);
    const agents = await get('/v1/agents');
    expect(agents.items.length).toBeGreaterThanOrEqual(10);
    const second = await cli('apply', '-f', 'examples/acme');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^no changes \(\d+ unchanged\)$/m);
  });

  it('exports the registry, and applying the export changes nothing', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-export-'));
    const exported = await cli('export', '-o', out);
    expect(exported.code).toBe(0);
    expect(fs.readdirSync(out)).toEqual(expect.arrayContaining(['agents.yaml', 'policies.yaml', 'people.yaml']));
    const again = await cli('apply', '-f', out);
    expect(again.stdout).toMatch(/^no changes/m);
    fs.rmSync(out, { recursive: true });
  });

  it('rejects a broken bundle naming file and line, exits non-zero, and changes nothing', async () => {
    const before = await get('/v1/export');
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-broken-'));
    fs.cpSync(ACME, broken, { recursive: true });
    const agentsFile = fs
      .readdirSync(broken)
      .find((f) => fs.readFileSync(path.join(broken, f), 'utf8').includes('kind: Agent')) as string;
    const target = path.join(broken, agentsFile);
    const text = fs.readFileSync(target, 'utf8');
    fs.writeFileSync(target, text.replace(/(\n {2}initiative: )\S+/, '$1no-such-initiative'));
    fs.writeFileSync(path.join(broken, 'extra.yaml'), 'apiVersion: fulcrum/v1\nkind: Robot\nmetadata: {name: r}\nspec: {}\n');
    const res = await cli('apply', '-f', broken);
    expect(res.code).toBe(1);
    const line = text.slice(0, text.search(/\n {2}initiative: /) + 1).split('\n').length;
    expect(res.stderr).toContain(`${target}:${line}:3: no Initiative named "no-such-initiative"`);
    expect(res.stderr).toContain(`${path.join(broken, 'extra.yaml')}:2:1: unknown kind "Robot"`);
    expect(res.stderr).toMatch(/apply failed: 2 problem\(s\); nothing was applied/);
    expect(await get('/v1/export')).toEqual(before);
    fs.rmSync(broken, { recursive: true });
  });

  it('prints the warnings of an apply on stderr, naming file and line, and exits 0', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-warn-'));
    const file = path.join(dir, 'tools.yaml');
    fs.writeFileSync(
      file,
      'apiVersion: fulcrum/v1\nkind: Tool\nmetadata:\n  name: gh.issue\n  labels: { fulcrum/mcp-server: gh }\n' +
        'spec: { system: gh, effect: read, dataDomains: [], arguments: { type: object } }\n',
    );
    const res = await cli('apply', '-f', file, '--dry-run');
    expect(res.code).toBe(0);
    expect(res.stderr).toBe(
      `warning: ${file}:5:13: Tool "gh.issue" is served by no McpServer: its label fulcrum/mcp-server names McpServer "gh", and there is none; agents do not see it in tools/list\n`,
    );
    expect(res.stdout).toMatch(/^dry run, would apply: 1 created/m);
    fs.rmSync(dir, { recursive: true });
  });

  it('creates an agent key and prints only the key on stdout', async () => {
    const res = await cli('keys', 'create', '--agent', 'support-bot-eu');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^fk_[A-Za-z0-9_-]{43}\n$/);
    const listed = await cli('keys', 'list', '--agent', 'support-bot-eu');
    expect(listed.stdout).toContain(`${res.stdout.slice(0, 9)}…`);
    expect(listed.stdout).not.toContain(res.stdout.trim());
    // Revoked, the list says when and by whom.
    const id = listed.stdout
      .split('\n')
      .find((l) => l.includes(`${res.stdout.slice(0, 9)}…`))
      ?.split('\t')[0] as string;
    const revoked = await cli('keys', 'revoke', '--agent', 'support-bot-eu', id);
    expect(revoked.code, revoked.stderr).toBe(0);
    const after = await cli('keys', 'list', '--agent', 'support-bot-eu');
    expect(after.stdout).toMatch(new RegExp(`^${id}\\t.*\\trevoked \\S+ by admin$`, 'm'));
  });

  it('runs the approval queue, the kill switch, decisions, costs and outcomes from the command line', async () => {
    const key = (await cli('keys', 'create', '--agent', 'support-bot-eu')).stdout.trim();
    const refund = {
      action: 'tool.call',
      tool: 'crm.refund',
      arguments: { orderId: 'A-1', amount: 900, currency: 'EUR', reason: 'damaged' },
      dataDomains: ['payment-data'],
    };
    const asked = await fetch(`${server?.url}/v1/decisions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(refund),
    });
    const { approvalId } = (await asked.json()) as { approvalId: string };
    expect(approvalId).toMatch(/^apr_/);
    const queue = await cli('approvals', 'list');
    expect(queue.stdout).toContain(`${approvalId}\tpending\tsupport-bot-eu\tcrm.refund`);
    const approved = await cli('approvals', 'approve', approvalId, '--comment', 'damaged in transit');
    expect(approved.stdout).toBe(`${approvalId}: approved by admin\n`);
    const suspended = await cli('agents', 'suspend', 'support-bot-eu', '--reason', 'incident 7');
    expect(suspended.stdout).toBe('support-bot-eu: suspended (incident 7)\n');
    expect((await cli('agents', 'suspend', 'support-bot-eu')).code).toBe(2);
    // The suspension ended the approval granted and not yet spent (docs/policies.md).
    const revoked = await cli('approvals', 'list', '--status', 'revoked');
    expect(revoked.stdout).toContain(`${approvalId}\trevoked (agent suspended)\tsupport-bot-eu\tcrm.refund`);
    await cli('agents', 'resume', 'support-bot-eu', '--reason', 'fixed');
    const decisions = await cli('decisions', '--agent', 'support-bot-eu');
    expect(decisions.stdout).toMatch(
      /\tsupport-bot-eu\tcrm\.refund\tapproval_required\tbuiltin\/autonomy-supervised,refund-supervisor-approval\n/,
    );
    const costs = await cli('costs', '--group-by', 'initiative', '--json');
    expect(JSON.parse(costs.stdout)).toMatchObject({ rows: [], totalRows: 0 });
    const unbounded = await cli('costs', '--limit', '0');
    expect(unbounded.code).not.toBe(0);
    expect(unbounded.stderr).toContain('limit');
    const roi = await cli('roi', 'support-deflection');
    // Nothing measured yet: no value, not a value of $0.00.
    expect(roi.stdout).toMatch(/^value {2}not valued$/m);
    expect(roi.stdout).toMatch(/^ROI {4}— \(not valued\)$/m);
    const outcomes = await cli('outcomes', 'support-deflection');
    expect(outcomes.code).toBe(0);
    expect(outcomes.stdout).toMatch(/baseline .* target .* current — \(none\)/);
    // Thirteen CLI processes, one after another: 23-30 s on this 2-core machine when its host is busy.
  }, 90_000);

  it("records a manual metric's value (it could be recorded with curl only)", async () => {
    const recorded = await cli(
      'outcomes',
      'finance-close-reconciliation',
      'record',
      'days to close',
      '6.5',
      '--period',
      '2026-11',
    );
    expect([recorded.code, recorded.stdout]).toEqual([
      0,
      'finance-close-reconciliation: days to close = 6.5 for 2026-11 (self-reported, by admin)\n',
    ]);
    const after = await cli('outcomes', 'finance-close-reconciliation');
    expect(after.stdout).toMatch(/^days to close +baseline 8 {2}target 5 {2}current 6\.5 \(self-reported\)/m);
    // Every value recorded, with who recorded it.
    const listed = await cli('outcomes', 'finance-close-reconciliation', 'measurements');
    expect(listed.stdout).toMatch(/^\S+Z {2}days to close = 6\.5 for 2026-11 \(by admin\)\n$/);
    expect((await cli('outcomes', 'finance-close-reconciliation', 'measurements', '--limit', '0')).stderr).toContain('limit');
    expect(
      (await cli('outcomes', 'finance-close-reconciliation', 'record', 'days to close', 'six', '--period', '2026-11')).code,
    ).toBe(2);
  }, 60_000);

  it('prints the scale-or-fail scorecard', async () => {
    const table = await cli('diagnose');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Verdict: (SCALE|AT-RISK|FAIL)/);
    for (const area of ['outcomes', 'agents', 'data-infrastructure', 'governance', 'operating-model', 'budget'])
      expect(table.stdout).toMatch(new RegExp(`^(PASS|PARTIAL|FAIL|UNKNOWN) +${area} `, 'm'));
    const json = JSON.parse((await cli('diagnose', '--json')).stdout);
    expect(json.areas).toHaveLength(6);
  });

  it('says clearly when the server is not there', async () => {
    const res = await cli('apply', '-f', 'examples/acme', '--url', 'http://127.0.0.1:9');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/cannot reach Fulcrum at http:\/\/127\.0\.0\.1:9/);
  });

  it('does not print the admin token again on restart', async () => {
    await stop(server);
    server = await serve(env);
    env.FULCRUM_URL = server.url;
    const token = fs.readFileSync(path.join(db.dir, 'admin-token'), 'utf8').trim();
    expect(server.stderr).not.toContain(token);
    expect((await get('/v1/agents')).items.length).toBeGreaterThanOrEqual(10);
  });
});
