// The CLI's views of what only the console and curl showed (found by review: every feature reachable
// from the CLI too): the registry's change log, shadow agents, the policies in force, and a simulated
// decision, each against a real `fulcrum serve`, as a table and as --json.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINI } from '../support/files.js';
import { call, cli, type ServedBundle, serveBundle } from '../support/process.js';
import { until } from '../support/wait.js';

describe('fulcrum changes, shadow-agents, policies and simulate', { timeout: 120_000 }, () => {
  let bundle: ServedBundle;
  beforeAll(async () => {
    bundle = await serveBundle(MINI);
  }, 120_000);
  afterAll(async () => {
    await bundle?.close();
  });
  const run = (...args: string[]) => cli(bundle.env, ...args);

  it("lists the registry's changes, newest first, as many as asked", async () => {
    const r = await run('changes', '--limit', '3');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toMatch(/^\S+\trevision \d+\tcreated\t[A-Za-z]+\/\S+\tby admin$/);
    const json = JSON.parse((await run('changes', '--json')).stdout);
    expect(json.length).toBeGreaterThan(3);
    expect(json[0]).toMatchObject({ action: 'created', actor: 'admin' });
    for (const bad of ['0', '1001', 'x']) {
      const refused = await run('changes', '--limit', bad);
      expect([refused.code, refused.stderr]).toEqual([2, 'fulcrum changes: --limit must be a whole number from 1 to 1000\n']);
    }
  });

  it('shows the policies in force, and their Cedar', async () => {
    const r = await run('policies');
    expect(r.code, r.stderr).toBe(0);
    const [head, ...rows] = r.stdout.trimEnd().split('\n');
    expect(head).toMatch(/^registry revision \d+: (\d+) policies in force$/);
    expect(rows).toHaveLength(Number(/(\d+) policies/.exec(head as string)?.[1]));
    expect(rows.some((l) => /^builtin\/\S+\t(permit|forbid)/.test(l))).toBe(true);
    const cedar = await run('policies', '--cedar');
    expect(cedar.stdout).toMatch(/^\/\/ builtin\/\S+ \(builtin, enforce\)\n(@\w+\(.*\)\n)*(permit|forbid) ?\(/m);
  });

  it('says what a call would be answered, recording nothing, and refuses a request it cannot make', async () => {
    const entries = async () =>
      (await call(bundle.server.url, adminToken(), 'GET', '/v1/audit?kind=decision&limit=10')).json.items.length;
    const before = await entries();
    const lookup = await run(
      'simulate',
      '--agent',
      'support-bot-eu',
      '--tool',
      'crm.lookup',
      '--arguments',
      '{"customerId":"c-1"}',
      '--data-domains',
      'customer-records',
    );
    expect(lookup.code, lookup.stderr).toBe(0);
    expect(lookup.stdout).toMatch(/^allow \(registry revision \d+; nothing recorded\)\n/);
    const refund = await run(
      'simulate',
      '--agent',
      'support-bot-eu',
      '--tool',
      'crm.refund',
      '--arguments',
      '{"amount":900,"orderId":"o-1"}',
      '--data-domains',
      'customer-records',
      '--json',
    );
    expect(JSON.parse(refund.stdout)).toMatchObject({ decision: 'approval_required' });
    expect(await entries()).toBe(before);
    for (const [args, said] of [
      [['--agent', 'support-bot-eu'], 'usage: fulcrum simulate'],
      [['--agent', 'support-bot-eu', '--tool', 'crm.lookup', '--model', 'gpt-4o'], 'usage: fulcrum simulate'],
      [['--agent', 'support-bot-eu', '--tool', 'crm.lookup', '--arguments', '{nope'], '--arguments is not JSON'],
      [['--agent', 'support-bot-eu', '--tool', 'crm.lookup', '--arguments', '[1]'], '--arguments must be a JSON object'],
    ] as const) {
      const r = await run('simulate', ...args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(said);
    }
  });

  it('lists the identities seen acting without a registration', async () => {
    expect((await call(bundle.server.url, 'fk_not-a-real-key', 'POST', '/v1/decisions', { action: 'tool.call' })).status).toBe(
      401,
    );
    await until(async () => (await run('shadow-agents')).stdout.includes('unknown-key'), 'the unknown key listed', {
      timeoutMs: 60_000,
      everyMs: 500,
    });
    const r = await run('shadow-agents');
    expect(r.stdout).toMatch(
      /^key:fk_@127\.0\.0\.1\tunknown-key\t\d+ time\(s\)\tfirst \S+\tlast \S+\tunknown fk_ keys from 127\.0\.0\.1/m,
    );
    const json = JSON.parse((await run('shadow-agents', '--json')).stdout);
    expect(json.items).toEqual(expect.arrayContaining([expect.objectContaining({ source: 'unknown-key' })]));
  });

  /** The admin token the server generated into its data directory (the CLI's own fallback). */
  const adminToken = () => fs.readFileSync(path.join(bundle.env.FULCRUM_DATA_DIR as string, 'admin-token'), 'utf8').trim();
});
