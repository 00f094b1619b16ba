// The auditor's archive: its contents, the framework index, and a chain proof that
// `fulcrum audit verify --archive` accepts — and rejects once anything in it is changed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../support/files.js';
import { cli } from '../support/process.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe('the evidence export', () => {
  let t: TestServer;
  let env: NodeJS.ProcessEnv;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-evidence-test-'));
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    const key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
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
    expect(proof).toMatchObject({ verified: true, relevantEntries: 3 });
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
