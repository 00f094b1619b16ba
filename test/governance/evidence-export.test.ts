// The auditor's archive: its contents, the framework index, and a chain proof that
// `fulcrum audit verify --archive` accepts — and rejects once anything in it is changed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createCredentialStore } from '../../src/auth/credential-store.js';
import type { Principal } from '../../src/auth/principal.js';
import { displayPrefix, hashToken, newId, newSecret, TOKEN_PREFIX } from '../../src/auth/tokens.js';
import type { Database } from '../../src/db/schema.js';
import { createEvidenceExport } from '../../src/governance/evidence-export.js';
import { verifyArchive } from '../../src/governance/evidence-verify.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { pauseQuery, selectsFrom } from '../support/pause.js';
import { cli } from '../support/process.js';
import { ADMIN_TOKEN, startMini, startTestServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe('the evidence export', () => {
  let t: TestServer;
  let env: NodeJS.ProcessEnv;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-evidence-test-'));
  beforeAll(async () => {
    let key: string;
    ({ t, key } = await startMini('sqlite'));
    for (const amount of [10, 900])
      await t.request({
        method: 'POST',
        url: '/v1/decisions',
        token: key,
        payload: { action: 'tool.call', tool: 'crm.refund', arguments: { amount, orderId: 'o' } },
      });
    await t.request({
      method: 'POST',
      url: '/v1/incidents',
      payload: { title: 'Refund loop', severity: 'sev2', agents: ['support-bot-eu'], seriousIncident: true },
    });
    await t.request({
      method: 'PUT',
      url: '/v1/monitors/denies',
      payload: { spec: { metric: 'deny_rate', threshold: 0.5, severity: 'sev3', agent: 'support-bot-eu' } },
    });
    const url = await t.server.listen({ host: '127.0.0.1', port: 0 });
    env = { PATH: process.env.PATH, FULCRUM_URL: url, FULCRUM_TOKEN: ADMIN_TOKEN };
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes one archive with every item and an index to the frameworks', async () => {
    const file = path.join(dir, 'evidence.tar.gz');
    const res = await cli(env, 'evidence', 'export', '--initiative', 'support-deflection', '-o', file);
    expect(res.code, res.stderr).toBe(0);
    const out = path.join(dir, 'x');
    fs.mkdirSync(out);
    await tar.x({ file, cwd: out });
    expect(fs.readdirSync(out).sort()).toEqual([
      'README.md',
      'audit',
      'incidents.json',
      'index.json',
      'inventory.json',
      'monitors.json',
      'outcomes.json',
      'policies.cedar',
      'policies.json',
      'reviews.json',
      'risk-assessments.json',
    ]);
    const read = (f: string) => JSON.parse(fs.readFileSync(path.join(out, f), 'utf8'));
    expect(read('inventory.json').agents.map((a: { name: string }) => a.name)).toEqual(['support-bot-eu']);
    expect(read('incidents.json')[0]).toMatchObject({
      title: 'Refund loop',
      seriousIncident: true,
      timeline: [{ kind: 'opened' }],
    });
    expect(read('monitors.json').map((m: { name: string }) => m.name)).toEqual(['denies']);
    expect(read('policies.json').policies.map((p: { id: string }) => p.id)).toContain('refund-approval');
    const index = read('index.json').files;
    expect(index['incidents.json'].euAiAct).toContain('Art. 73 (reporting of serious incidents)');
    expect(index['audit/'].euAiAct).toContain('Art. 12 (record-keeping)');
    expect(index['inventory.json'].nistAiRmf).toContain('GOVERN 1.6 (inventory of AI systems)');
    const [proof] = read('audit/proof.json');
    // The two decisions, the incident, and the agent's key issued for them (credential.issued).
    expect(proof).toMatchObject({ verified: true, relevantEntries: 4 });
    expect(fs.readFileSync(path.join(out, 'policies.cedar'), 'utf8')).toContain('// refund-approval (enforce, custom)');

    const ok = await cli(env, 'audit', 'verify', '--archive', file);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^evidence archive chain proof intact: \d+ entries in 1 chain segment\(s\)/);

    // Change one decision in the archive: the proof no longer holds.
    const jsonl = path.join(out, 'audit', `${proof.chainId}.jsonl`);
    fs.writeFileSync(jsonl, fs.readFileSync(jsonl, 'utf8').replace('"decision":"approval_required"', '"decision":"allow"'));
    const tampered = path.join(dir, 'tampered.tar.gz');
    await tar.c({ gzip: true, file: tampered, cwd: out }, fs.readdirSync(out));
    const bad = await cli(env, 'audit', 'verify', '--archive', tampered);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/chain proof BROKEN at chain .* entry \d+ \(dec_[^)]+\): content does not match its hash/);
  });

  it('answers 404 for an unknown initiative', async () => {
    expect((await t.request({ method: 'GET', url: '/v1/initiatives/nope/evidence' })).statusCode).toBe(404);
    const res = await cli(env, 'evidence', 'export', '--initiative', 'nope', '-o', path.join(dir, 'n.tar.gz'));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/no Initiative named "nope"/);
  });
});

describe.each(ENGINES)('the evidence export over long chains on %s', (engine) => {
  let t: TestServer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-evidence-paged-'));
  const admin: Principal = { type: 'admin', id: 'admin' };
  beforeAll(async () => {
    t = await startTestServer(engine);
    await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    const other = { title: 'Ops', type: 'agent', riskTier: 'low', stage: 'pilot', owner: 'dana.lee', businessUnit: 'cx' };
    expect(
      (await t.request({ method: 'PUT', url: '/v1/initiatives/SUPPORT-DEFLECTION', payload: { spec: other } })).statusCode,
    ).toBe(201);
    const bot = {
      initiative: 'SUPPORT-DEFLECTION',
      archetype: 'support-agent',
      owner: 'omar.owner',
      framework: 'openai-agents-sdk',
    };
    expect((await t.request({ method: 'PUT', url: '/v1/agents/ops-bot', payload: { spec: bot } })).statusCode).toBe(201);
    const keys = {
      eu: (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key,
      ops: (await t.request({ method: 'POST', url: '/v1/agents/ops-bot/keys' })).json().key,
    };
    // The initiative's decisions interleaved with another's, and the other's after its last one;
    // the other is named like it but for case (SQLite's LIKE ignores case: the query overshoots).
    for (const who of ['eu', 'ops', 'eu', 'eu', 'ops', 'eu', 'ops', 'ops', 'eu', 'ops', 'ops', 'ops'] as const)
      await t.request({
        method: 'POST',
        url: '/v1/decisions',
        token: keys[who],
        payload: { action: 'tool.call', tool: 'crm.refund', arguments: { amount: 10, orderId: who } },
      });
    const promote = {
      method: 'POST',
      url: '/v1/initiatives/SUPPORT-DEFLECTION/promotions',
      payload: { to: 'production' },
    } as const;
    expect((await t.request(promote)).statusCode).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function exportWith(pageSize: number | undefined, name: string) {
    const exporter = exporterOf(t.app, t.app.database.db, pageSize);
    const file = path.join(dir, `${name}.tar.gz`);
    const summary = await exporter.export(admin, 'support-deflection', file);
    const out = path.join(dir, name);
    fs.mkdirSync(out);
    await tar.x({ file, cwd: out });
    const proofs = JSON.parse(fs.readFileSync(path.join(out, 'audit', 'proof.json'), 'utf8'));
    const rows = (chainId: string) =>
      fs
        .readFileSync(path.join(out, 'audit', `${chainId}.jsonl`), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
    return { file, out, summary, proofs, rows };
  }

  it('reads the log a page at a time and writes the same segment, ending at the initiative’s last entry', async () => {
    const whole = await exportWith(undefined, 'whole');
    const paged = await exportWith(2, 'paged');
    expect(paged.proofs).toEqual(whole.proofs);
    const [proof] = paged.proofs;
    const rows = paged.rows(proof.chainId);
    expect(rows).toEqual(whole.rows(proof.chainId));
    // Its five decisions and its agent's key, issued for them (credential.issued).
    expect(proof).toMatchObject({ verified: true, entries: rows.length, relevantEntries: 6 });
    expect(rows.at(-1)).toMatchObject({ agent: 'support-bot-eu', seq: proof.head.seq, hash: proof.head.hash });
    // The other initiative's entries after the last relevant one are left out, those between are kept
    // (its agent's key, issued after this one's, and three of its decisions).
    expect(rows.filter((r: { agent: string }) => r.agent === 'ops-bot')).toHaveLength(5);
    expect(paged.summary).toEqual({ ...whole.summary, file: paged.file });
    for (const size of [1, 2, 3, 5000])
      expect(await verifyArchive(paged.file, { pageSize: size })).toMatchObject({ ok: true, entries: rows.length });
  });

  it('notices entries cut from the end of a segment', async () => {
    const { out, proofs } = await exportWith(3, 'cut');
    const jsonl = path.join(out, 'audit', `${proofs[0].chainId}.jsonl`);
    const lines = fs.readFileSync(jsonl, 'utf8').split('\n').filter(Boolean);
    fs.writeFileSync(jsonl, `${lines.slice(0, -1).join('\n')}\n`);
    const cut = path.join(dir, 'cut-again.tar.gz');
    await tar.c({ gzip: true, file: cut, cwd: out }, fs.readdirSync(out));
    const r = await verifyArchive(cut);
    expect(r).toMatchObject({ ok: false, broken: { seq: proofs[0].head.seq - 1 } });
    expect(r.ok ? '' : r.broken.problem).toMatch(
      new RegExp(
        `^the segment ends at entry ${proofs[0].head.seq - 1} \\(hash \\w{12}…\\); its proof says entry ${proofs[0].head.seq} \\(hash ${proofs[0].head.hash.slice(0, 12)}…\\)$`,
      ),
    );

    // Cut in the middle of a line, then without the segment at all; and not an archive.
    const bytes = fs.readFileSync(jsonl);
    fs.writeFileSync(jsonl, bytes.subarray(0, bytes.length - 40));
    await tar.c({ gzip: true, file: cut, cwd: out }, fs.readdirSync(out));
    expect(await verifyArchive(cut)).toMatchObject({
      ok: false,
      broken: { problem: `line ${lines.length - 1} of audit/${proofs[0].chainId}.jsonl is not a JSON entry (cut or changed)` },
    });
    fs.rmSync(jsonl);
    await tar.c({ gzip: true, file: cut, cwd: out }, fs.readdirSync(out));
    expect(await verifyArchive(cut)).toMatchObject({
      ok: false,
      broken: { problem: `audit/${proofs[0].chainId}.jsonl is missing` },
    });
    const notArchive = path.join(dir, 'not-an-archive.tar.gz');
    fs.writeFileSync(notArchive, 'hello');
    await expect(verifyArchive(notArchive)).rejects.toThrow(`${notArchive} is not a readable tar.gz archive`);
  });
});

describe.each(ENGINES)('what the evidence export gathers on %s', (engine) => {
  let t: TestServer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-evidence-linked-'));
  beforeAll(async () => {
    t = await startTestServer(engine);
    await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    // Another initiative named like it but for case, with an agent of its own.
    const other = { title: 'Ops', type: 'agent', riskTier: 'low', stage: 'pilot', owner: 'dana.lee', businessUnit: 'cx' };
    await t.request({ method: 'PUT', url: '/v1/initiatives/SUPPORT-DEFLECTION', payload: { spec: other } });
    const bot = {
      initiative: 'SUPPORT-DEFLECTION',
      archetype: 'support-agent',
      owner: 'omar.owner',
      framework: 'openai-agents-sdk',
    };
    await t.request({ method: 'PUT', url: '/v1/agents/ops-bot', payload: { spec: bot } });
    for (const [title, link] of [
      ['by initiative', { initiatives: ['support-deflection'] }],
      ['by agent', { agents: ['support-bot-eu'] }],
      ['other agent', { agents: ['ops-bot'] }],
      ['other initiative', { initiatives: ['SUPPORT-DEFLECTION'] }],
    ] as const) {
      const res = await t.request({ method: 'POST', url: '/v1/incidents', payload: { title, severity: 'sev3', ...link } });
      expect(res.statusCode, res.body).toBe(201);
    }
    for (const name of ['support-deflection', 'SUPPORT-DEFLECTION']) {
      const to = name === 'support-deflection' ? 'scaled' : 'production';
      const res = await t.request({ method: 'POST', url: `/v1/initiatives/${name}/promotions`, payload: { to } });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("takes every incident linked to the initiative or its agents, and only the initiative's reviews", async () => {
    const file = path.join(dir, 'e.tar.gz');
    await t.app.evidenceExport.export({ type: 'admin', id: 'admin' }, 'support-deflection', file);
    await tar.x({ file, cwd: dir });
    const read = (f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    expect(read('incidents.json').map((i: { title: string }) => i.title)).toEqual(['by agent', 'by initiative']);
    expect(read('reviews.json').map((r: { initiative: string; to: string }) => [r.initiative, r.to])).toEqual([
      ['support-deflection', 'scaled'],
    ]);
  });

  it('finds them among more than a thousand incidents and agents (SQLite caps an expression at 1,000 terms)', async () => {
    const now = new Date().toISOString();
    const row = (i: number, agents: string[]) => ({
      id: `inc_bulk${String(i).padStart(5, '0')}`,
      title: `bulk ${i}`,
      description: '',
      severity: 'sev4' as const,
      status: 'open' as const,
      owner: null,
      agents: JSON.stringify(agents),
      initiatives: '[]',
      serious: 0,
      serious_kind: null,
      aware_at: now,
      report_due_at: null,
      reported_at: null,
      report_reference: null,
      source: 'test',
      opened_at: now,
      updated_at: now,
    });
    const db = t.app.database.db;
    for (let i = 0; i < 1200; i += 200)
      await db
        .insertInto('incidents')
        .values(Array.from({ length: 200 }, (_, k) => row(i + k, [i + k === 1100 ? 'support-bot-eu' : 'ops-bot'])))
        .execute();
    const admin = { type: 'admin', id: 'admin' } as const;
    const many = [...Array.from({ length: 1500 }, (_, i) => `agent-${i}`), 'support-bot-eu'];
    const found = await t.app.incidents.related(admin, 'support-deflection', many);
    expect(found.map((i) => i.title)).toEqual(expect.arrayContaining(['bulk 1100', 'by agent', 'by initiative']));
    expect(found).toHaveLength(3);
    // The export looks for each of those incidents' entries in the audit log, 1,200 ids and more.
    const opsAll = await t.app.incidents.related(admin, 'SUPPORT-DEFLECTION', ['ops-bot']);
    expect(opsAll.length).toBeGreaterThan(1000);
    const file = path.join(dir, 'many.tar.gz');
    const summary = await t.app.evidenceExport.export(admin, 'SUPPORT-DEFLECTION', file);
    expect(summary).toMatchObject({ verified: true, chains: 1 });
  });

  it('lists reviews of one initiative', async () => {
    const of = async (name: string) =>
      (await t.request({ method: 'GET', url: `/v1/reviews?initiative=${name}` }))
        .json()
        .items.map((r: { initiative: string }) => r.initiative);
    expect(await of('SUPPORT-DEFLECTION')).toEqual(['SUPPORT-DEFLECTION']);
    expect(await of('support-deflection')).toEqual(['support-deflection']);
    expect(await of('nope')).toEqual([]);
    expect((await t.request({ method: 'GET', url: '/v1/reviews?initiative=a%20b' })).statusCode).toBe(400);
  });
});

// The export reads the audit log in one snapshot, as `audit verify` does: a retention purge that
// commits while it reads (after it has read where each chain starts) would otherwise delete the entries
// that follow that start, and the archive would prove a break the log does not have.
describe.each(ENGINES)('an evidence export while retention purges (%s)', (engine) => {
  const admin: Principal = { type: 'admin', id: 'admin' };
  it('proves the log as it was when the export began', async () => {
    const t = await startTestServer(engine);
    const second = t.database.open();
    try {
      await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
      // The key is put in the store directly: issued through the API, it is an act (credential.issued)
      // at the chain's start, kept longer than decisions, and a chain is purged from its start only.
      const key = newSecret(TOKEN_PREFIX.agent);
      await createCredentialStore(t.app.database.db).insert({
        id: newId('key_'),
        kind: 'Agent',
        subject: 'support-bot-eu',
        hash: hashToken(key),
        prefix: displayPrefix(key),
        description: null,
        createdBy: 'admin',
        now: new Date().toISOString(),
      });
      const lookup = (customerId: string) =>
        t.request({
          method: 'POST',
          url: '/v1/decisions',
          token: key,
          payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId }, dataDomains: ['customer-records'] },
        });
      await lookup('c-1');
      await lookup('c-2');
      // A human act (kept by retention longer than decisions), then one more decision.
      expect(
        (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/suspend', payload: { reason: 'x' } })).statusCode,
      ).toBe(200);
      expect(
        (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/resume', payload: { reason: 'y' } })).statusCode,
      ).toBe(200);
      await lookup('c-3');

      // The export, on a connection of its own, stops once it has read the chains' starts.
      const pause = pauseQuery({ query: selectsFrom('audit_checkpoints') });
      const a = t.app;
      const exporter = exporterOf(a, second.db.withPlugin(pause.plugin));
      const file = path.join(os.tmpdir(), `fulcrum-export-race-${engine}-${process.pid}.tar.gz`);
      const exporting = exporter.export(admin, 'support-deflection', file);
      await pause.paused;
      // Decisions past their retention (as if 800 days later) go; the acts stay: the chain's start moves.
      expect((await a.retention.purge(admin, new Date(Date.now() + 800 * 86_400_000))).decisions).toBeGreaterThan(0);
      pause.release();
      const summary = await exporting;
      expect(summary).toMatchObject({ verified: true, chains: 1 });
      expect(await verifyArchive(file)).toMatchObject({ ok: true });
      fs.rmSync(file, { force: true });
      expect((await t.request({ method: 'GET', url: '/v1/audit/verify' })).json()).toMatchObject({ ok: true });
    } finally {
      await second.destroy();
      await t.close();
    }
  });
});

// An agent's entries belong to the initiative it was in when they were written: the export once chose
// entries by the agents an initiative has today, so an agent moved elsewhere took its history with it,
// and a deleted agent's decisions were in no archive at all.
describe('the evidence export of an agent that moved to another initiative and was then deleted', () => {
  let t: TestServer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-evidence-moved-'));
  const admin: Principal = { type: 'admin', id: 'admin' };
  const bot = (initiative: string) => ({
    initiative,
    archetype: 'support-agent',
    owner: 'omar.owner',
    framework: 'openai-agents-sdk',
  });
  const lookup = (key: string, customerId: string) =>
    t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId }, dataDomains: ['customer-records'] },
    });
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    const invoices = { title: 'Invoices', type: 'agent', riskTier: 'low', stage: 'pilot', owner: 'dana.lee', businessUnit: 'cx' };
    expect((await t.request({ method: 'PUT', url: '/v1/initiatives/invoices', payload: { spec: invoices } })).statusCode).toBe(
      201,
    );
    const key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
    expect((await lookup(key, 'before-the-move')).json().decision).toBe('allow');
    const moved = await t.request({ method: 'PUT', url: '/v1/agents/support-bot-eu', payload: { spec: bot('invoices') } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await lookup(key, 'after-the-move')).json().decision).toBe('allow');
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function exported(initiative: string, name: string) {
    const file = path.join(dir, `${name}.tar.gz`);
    const summary = await exporterOf(t.app, t.app.database.db).export(admin, initiative, file);
    const out = path.join(dir, name);
    fs.mkdirSync(out);
    await tar.x({ file, cwd: out });
    const read = (f: string) => JSON.parse(fs.readFileSync(path.join(out, f), 'utf8'));
    const proofs = read('audit/proof.json');
    expect(proofs).toHaveLength(1);
    const rows: Array<{ detail: string; arguments: string | null }> = fs
      .readFileSync(path.join(out, 'audit', `${proofs[0].chainId}.jsonl`), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const customers = (mark: string) =>
      rows
        .filter((r) => r.detail.includes(`"initiative":"${mark}"`) && r.arguments)
        .map((r) => JSON.parse(r.arguments as string).customerId);
    return { summary, inventory: read('inventory.json'), proof: proofs[0], rows, customers };
  }

  it('each decision is recorded with, and exported under, the initiative of its time', async () => {
    const before = await exported('support-deflection', 'sd-moved');
    expect(before.summary.verified).toBe(true);
    expect(before.customers('support-deflection')).toEqual(['before-the-move']);
    expect(before.customers('invoices')).toEqual([]); // the segment ends at support-deflection's last entry
    // The decision, and the agent's key issued while it worked for support-deflection (credential.issued).
    // The key was issued just after the registry write: the entry names the initiative as committed, not
    // as the node's snapshot had it (none yet), which had it exported under invoices.
    expect(before.proof.relevantEntries).toBe(2);
    expect(before.inventory.agents).toEqual([]);
    expect(before.inventory.formerAgents).toEqual([{ name: 'support-bot-eu', now: { initiative: 'invoices' } }]);

    const after = await exported('invoices', 'inv-moved');
    expect(after.customers('invoices')).toEqual(['after-the-move']);
    // The whole chain is in the segment (a chain is proven whole), but only today's entry is the initiative's.
    expect(after.customers('support-deflection')).toEqual(['before-the-move']);
    expect(after.proof.relevantEntries).toBe(1);
    expect(after.inventory.agents.map((a: { name: string }) => a.name)).toEqual(['support-bot-eu']);
    expect(after.inventory.formerAgents).toEqual([]);
  });

  it('a deleted agent’s decisions stay in its initiative’s archive, and the inventory says it was deleted', async () => {
    expect((await t.request({ method: 'DELETE', url: '/v1/agents/support-bot-eu' })).statusCode).toBe(204);
    const gone = await exported('invoices', 'inv-deleted');
    expect(gone.summary.verified).toBe(true);
    expect(gone.customers('invoices')).toEqual(['after-the-move']);
    // The decision, and the key the deletion revoked (credential.revoked), while the agent was invoices'.
    expect(gone.proof.relevantEntries).toBe(2);
    const revoked = gone.rows.find((r) => (r as { kind?: string }).kind === 'credential.revoked');
    expect(revoked?.detail).toContain('"initiative":"invoices"');
    expect(revoked?.detail).toContain('"reason":"agent-deleted"');
    expect(gone.inventory.agents).toEqual([]);
    expect(gone.inventory.formerAgents).toEqual([{ name: 'support-bot-eu', now: 'deleted' }]);
    const first = await exported('support-deflection', 'sd-deleted');
    expect(first.customers('support-deflection')).toEqual(['before-the-move']);
    expect(first.inventory.formerAgents).toEqual([{ name: 'support-bot-eu', now: 'deleted' }]);
  });
});

// Each export walks every audit chain in one snapshot and writes a checkpoint, and any registry reader
// may ask: a node runs two at once and answers one more 503 with Retry-After, not queued behind them.
describe('evidence exports at once on one node', () => {
  it('runs two, refuses a third while they run (503, Retry-After), and runs one again once they end', async () => {
    const admin: Principal = { type: 'admin', id: 'admin' };
    const { t } = await startMini('sqlite');
    try {
      // Every export stops where it reads the registry until the gate opens.
      let open!: () => void;
      const opened = new Promise<void>((r) => {
        open = r;
      });
      let held = 0;
      const exporter = createEvidenceExport({
        ...depsOf(t.app, t.app.database.db),
        registry: async () => {
          held++;
          await opened;
          return t.app.registry.snapshot();
        },
      });
      const file = (n: number) => path.join(os.tmpdir(), `fulcrum-export-busy-${process.pid}-${n}.tar.gz`);
      const first = exporter.export(admin, 'support-deflection', file(1));
      const other = exporter.export(admin, 'support-deflection', file(2));
      await until(async () => held >= 2, 'both exports to be reading the database');
      // Refused at once: not queued behind the two (which would leave it pending here).
      const third = exporter.export(admin, 'support-deflection', file(3)).then(
        () => 'finished',
        (err: unknown) => err,
      );
      const now = await Promise.race([third, new Promise((r) => setImmediate(() => r('still pending')))]);
      expect(now).toMatchObject({
        code: 'unavailable',
        retryAfterSeconds: 5,
        message: expect.stringContaining('2 evidence exports are running on this node'),
      });
      open();
      expect(await first).toMatchObject({ verified: true });
      expect(await other).toMatchObject({ verified: true });
      expect(await exporter.export(admin, 'support-deflection', file(3))).toMatchObject({ verified: true });
      for (const n of [1, 2, 3]) fs.rmSync(file(n), { force: true });
    } finally {
      await t.close();
    }
  });
});

/** The app's evidence export, reading through `db` (another connection, a plugin) a page of `pageSize` at a time. */
function exporterOf(a: App, db: Kysely<Database>, pageSize?: number) {
  return createEvidenceExport(depsOf(a, db, pageSize));
}

function depsOf(a: App, db: Kysely<Database>, pageSize?: number) {
  return {
    db,
    auditKey: a.auditKey,
    registry: () => a.registry.snapshot(),
    policies: () => a.guard.effectivePolicies({ type: 'admin', id: 'admin' }),
    risk: a.risk,
    reviews: a.reviews,
    incidents: a.incidents,
    monitors: a.monitors,
    ...(pageSize !== undefined ? { auditPageSize: pageSize } : {}),
  };
}
