// The audit part of an evidence archive, checked by an outside party holding only the archive and the
// audit public key: a forger without the signing key who rewrites a segment with recomputed hashes
// and a matching proof.json, cuts its tail, or strips or edits the signed checkpoint, is caught.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryTable } from '../../src/db/schema.js';
import { entryHash } from '../../src/guard/audit.js';
import { ENGINES } from '../support/databases.js';
import { cli } from '../support/process.js';
import { ADMIN_TOKEN, startMini, type TestServer } from '../support/server.js';

describe.each(ENGINES)('an evidence archive checked with the public key alone (%s)', (engine) => {
  let t: TestServer;
  let env: NodeJS.ProcessEnv;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-evidence-signed-'));
  const archive = path.join(dir, 'evidence.tar.gz');
  const publicKey = path.join(dir, 'audit-public-key.pem');
  const out = path.join(dir, 'x');
  beforeAll(async () => {
    let key: string;
    ({ t, key } = await startMini(engine));
    for (const amount of [10, 900, 20, 30])
      await t.request({
        method: 'POST',
        url: '/v1/decisions',
        token: key,
        payload: { action: 'tool.call', tool: 'crm.refund', arguments: { amount, orderId: 'o' } },
      });
    // What the auditor has: the public key, from the server (or a copy kept), and the archive.
    fs.writeFileSync(publicKey, (await t.request({ method: 'GET', url: '/v1/audit/public-key' })).json().publicKey);
    const url = await t.server.listen({ host: '127.0.0.1', port: 0 });
    env = { PATH: process.env.PATH, FULCRUM_URL: url, FULCRUM_TOKEN: ADMIN_TOKEN };
    const res = await cli(env, 'evidence', 'export', '--initiative', 'support-deflection', '-o', archive);
    expect(res.code, res.stderr).toBe(0);
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The archive unpacked afresh, changed by `edit`, packed again. */
  async function forged(name: string, edit: (audit: string, chainId: string) => void): Promise<string> {
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(out);
    await tar.x({ file: archive, cwd: out });
    const audit = path.join(out, 'audit');
    const [proof] = JSON.parse(fs.readFileSync(path.join(audit, 'proof.json'), 'utf8'));
    edit(audit, proof.chainId);
    const file = path.join(dir, `${name}.tar.gz`);
    await tar.c({ gzip: true, file, cwd: out }, fs.readdirSync(out));
    return file;
  }

  /** A forger's segment: rows changed by `change`, every hash and link recomputed, proof.json to match. */
  function rewrite(audit: string, chainId: string, change: (rows: AuditEntryTable[]) => AuditEntryTable[]) {
    const jsonl = path.join(audit, `${chainId}.jsonl`);
    const rows = change(
      fs
        .readFileSync(jsonl, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AuditEntryTable),
    );
    const proofs = JSON.parse(fs.readFileSync(path.join(audit, 'proof.json'), 'utf8'));
    let prev: string = proofs[0].start.hash;
    for (const r of rows) {
      const { hash: _old, ...rest } = { ...r, prev_hash: prev };
      r.prev_hash = prev;
      r.hash = entryHash(rest);
      prev = r.hash;
    }
    fs.writeFileSync(jsonl, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const last = rows.at(-1) as AuditEntryTable;
    proofs[0].head = { seq: last.seq, hash: last.hash };
    proofs[0].entries = rows.length;
    fs.writeFileSync(path.join(audit, 'proof.json'), JSON.stringify(proofs));
  }

  it('verifies with the public key, against the signed checkpoint the archive carries', async () => {
    const ok = await cli(env, 'audit', 'verify', '--archive', archive, '--public-key', publicKey);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^evidence archive chain proof intact: \d+ entries in 1 chain segment\(s\)/);
    expect(ok.stdout).toMatch(/checked against the signed checkpoint of \S+ in the archive \(key [0-9a-f]{16}\)/);
    expect(ok.stdout).not.toMatch(/warning/);
    const plain = await cli(env, 'audit', 'verify', '--archive', archive);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/signatures not checked: no public key/);
  });

  it('names a decision rewritten with recomputed hashes and a matching proof', async () => {
    const file = await forged('rewritten', (audit, chainId) =>
      rewrite(audit, chainId, (rows) => rows.map((r) => (r.decision === 'approval_required' ? { ...r, decision: 'allow' } : r))),
    );
    // Without the key the forgery holds together: that is what the signature is for.
    expect((await cli(env, 'audit', 'verify', '--archive', file)).code).toBe(0);
    const bad = await cli(env, 'audit', 'verify', '--archive', file, '--public-key', publicKey);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /BROKEN at chain chain_\w+ entry \d+ \(dec_[\w-]+\): is not the entry the signed checkpoint .* \[rewritten\]/,
    );
  });

  it('names a segment cut short of the signed head, its proof changed to match', async () => {
    const file = await forged('cut', (audit, chainId) => rewrite(audit, chainId, (rows) => rows.slice(0, -1)));
    expect((await cli(env, 'audit', 'verify', '--archive', file)).code).toBe(0);
    const bad = await cli(env, 'audit', 'verify', '--archive', file, '--public-key', publicKey);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/but the signed checkpoint of \S+ goes to entry \d+ \[truncated\]/);
  });

  it('refuses an archive whose checkpoint is missing, edited, or signed with another key', async () => {
    const gone = await forged('no-checkpoint', (audit) => fs.rmSync(path.join(audit, 'checkpoint.json')));
    const r1 = await cli(env, 'audit', 'verify', '--archive', gone, '--public-key', publicKey);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(/holds no signed checkpoint \(audit\/checkpoint\.json\).*\[checkpoint-forged\]/);

    const edited = await forged('edited', (audit) => {
      const f = path.join(audit, 'checkpoint.json');
      const c = JSON.parse(fs.readFileSync(f, 'utf8'));
      // A careful forger edits the readable summary to match: the signature is what catches it.
      c.payload = c.payload.replace(/"entries":(\d+)}$/, (_: string, n: string) => `"entries":${Number(n) + 1}}`);
      c.summary.entries += 1;
      fs.writeFileSync(f, JSON.stringify(c));
    });
    const r2 = await cli(env, 'audit', 'verify', '--archive', edited, '--public-key', publicKey);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/audit\/checkpoint\.json: its signature does not verify/);

    const other = path.join(dir, 'other.pem');
    fs.writeFileSync(
      other,
      '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n',
    );
    const r3 = await cli(env, 'audit', 'verify', '--archive', archive, '--public-key', other);
    expect(r3.code).toBe(1);
    expect(r3.stderr).toMatch(/audit\/checkpoint\.json: it names key [0-9a-f]{16}, not this public key/);
  });

  it('refuses a proof naming a segment outside the archive', async () => {
    const file = await forged('escape', (audit) => {
      const proofs = JSON.parse(fs.readFileSync(path.join(audit, 'proof.json'), 'utf8'));
      proofs[0].chainId = '../../../etc/x';
      fs.writeFileSync(path.join(audit, 'proof.json'), JSON.stringify(proofs));
    });
    const r = await cli(env, 'audit', 'verify', '--archive', file, '--public-key', publicKey);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/audit\/proof\.json is not a list of chain segments/);
  });
});
