// The audit log against a database writer (docs/audit.md): each of the 18 kinds of tampering is
// applied with raw SQL, as someone holding the database would, and `audit verify` — given the public
// key and a checkpoint kept outside — must name it (chain, entry, kind). Both engines.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/adapter.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { AuditEntryTable, Database } from '../../src/db/schema.js';
import { createRetentionService } from '../../src/governance/retention.js';
import { type AuditRecord, AuditWriter, entryHash, GENESIS } from '../../src/guard/audit.js';
import {
  checkpointFileText,
  createCheckpointer,
  latestCheckpoint,
  readCheckpointFile,
  type SignedCheckpoint,
  startMessage,
} from '../../src/guard/audit-checkpoint.js';
import { type AuditSigner, type AuditVerifier, loadOrCreateAuditKey, readPublicKey } from '../../src/guard/audit-key.js';
import { createAuditReader } from '../../src/guard/audit-reader.js';
import { type Finding, segmentChecker, type VerifyReport, verifyAudit } from '../../src/guard/audit-verify.js';
import { decisionRecord } from '../support/audit.js';
import { createTestDatabase, ENGINES, type Engine, perTestDatabases, type TestDatabase } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { pauseQuery } from '../support/pause.js';
import { cli, ROOT } from '../support/process.js';
import { startTestServer } from '../support/server.js';

type Db = Kysely<Database>;

const record = decisionRecord;

/** Appends n entries; the writer's group commit keeps the order of the calls. */
async function append(w: AuditWriter<AuditRecord>, from: number, n: number) {
  await Promise.all(Array.from({ length: n }, (_, i) => w.append(record(from + i))));
}

interface Fixture {
  db: TestDatabase;
  handle: DatabaseHandle;
  key: AuditSigner;
  /** A: 12 entries signed in the exported checkpoint, then 4 more; B: 4 entries, all signed. */
  a: string;
  b: string;
  checkpointFile: string;
  publicKeyFile: string;
  checkpoint: SignedCheckpoint;
  problems: string[];
  env: NodeJS.ProcessEnv;
}

async function setup(engine: Engine): Promise<Fixture> {
  const db = await createTestDatabase(engine);
  const handle = db.open();
  await migrateToLatest(handle);
  const key = loadOrCreateAuditKey(path.join(db.dir, 'audit-signing-key.pem'));
  const problems: string[] = [];
  const checkpoints = createCheckpointer({ db: handle.db, signer: key, node: 'test', onProblem: (m) => problems.push(m) });
  const wa = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
  const wb = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
  await append(wa, 1, 4);
  await checkpoints.checkpointNow();
  await append(wa, 5, 8);
  await append(wb, 1, 4);
  await checkpoints.checkpointNow();
  const latest = await latestCheckpoint(handle.db, key);
  if (!latest) throw new Error('no checkpoint');
  const checkpointFile = path.join(db.dir, 'witness-checkpoint.json');
  fs.writeFileSync(checkpointFile, checkpointFileText(latest.checkpoint, latest.body));
  const publicKeyFile = path.join(db.dir, 'witness-public-key.pem');
  fs.writeFileSync(publicKeyFile, key.publicKeyPem);
  // Written after the checkpoint the witness holds: covered by the chain's links and head only.
  await append(wa, 13, 4);
  await wa.close();
  await wb.close();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    FULCRUM_DATA_DIR: db.dir,
    ...(db.url ? { FULCRUM_DATABASE_URL: db.url } : {}),
  };
  return {
    db,
    handle,
    key,
    a: wa.chainId,
    b: wb.chainId,
    checkpointFile,
    publicKeyFile,
    checkpoint: readCheckpointFile(checkpointFile),
    problems,
    env,
  };
}

// --- what a database writer can do, in SQL -------------------------------------------------------

async function rows(db: Db, chain: string): Promise<AuditEntryTable[]> {
  return db.selectFrom('audit_entries').selectAll().where('chain_id', '=', chain).orderBy('seq').execute();
}

async function hashAt(db: Db, chain: string, seq: number): Promise<string> {
  const r = await sql<{ hash: string }>`SELECT hash FROM audit_entries WHERE chain_id = ${chain} AND seq = ${seq}`.execute(db);
  return (r.rows[0] as { hash: string }).hash;
}

/** Recomputes every hash of the chain from `fromSeq` on (links included) and writes them back. */
async function rehash(db: Db, chain: string, fromSeq: number) {
  let prev = fromSeq === 1 ? GENESIS : await hashAt(db, chain, fromSeq - 1);
  for (const r of await rows(db, chain)) {
    if (r.seq < fromSeq) continue;
    const { hash: _old, ...rest } = { ...r, prev_hash: prev };
    const h = entryHash(rest);
    await sql`UPDATE audit_entries SET prev_hash = ${prev}, hash = ${h} WHERE chain_id = ${chain} AND seq = ${r.seq}`.execute(db);
    prev = h;
  }
}

/** What a careful attacker does after the change: moves the recorded heads and removes the signed
 *  checkpoints from the database, so only the checkpoint kept outside is left to tell. */
async function coverTracks(db: Db) {
  await sql`UPDATE audit_chains SET
    head_seq = COALESCE((SELECT MAX(seq) FROM audit_entries e WHERE e.chain_id = audit_chains.id), 0)`.execute(db);
  await sql`UPDATE audit_chains SET head_hash = COALESCE((SELECT hash FROM audit_entries e
    WHERE e.chain_id = audit_chains.id AND e.seq = audit_chains.head_seq), ${GENESIS})`.execute(db);
  await sql`DELETE FROM audit_signed_checkpoints`.execute(db);
}

/** A purge as retention does it: entries up to `seq` go, the start is recorded and signed. */
async function purge(db: Db, key: AuditSigner, chain: string, seq: number) {
  const h = await hashAt(db, chain, seq);
  await sql`INSERT INTO audit_checkpoints (chain_id, seq, hash, at, signature)
    VALUES (${chain}, ${seq}, ${h}, ${new Date().toISOString()}, ${key.sign(startMessage(chain, seq, h))})`.execute(db);
  await sql`DELETE FROM audit_entries WHERE chain_id = ${chain} AND seq <= ${seq}`.execute(db);
}

// --- the 17 kinds of tampering --------------------------------------------------------------------

interface Tamper {
  name: string;
  /** Missed by `audit verify` before signed checkpoints (issue 14). */
  missedBefore?: boolean;
  /** Stopped `audit verify` with an error (exit 3, "could not run") instead of a finding, once. */
  crashedBefore?: boolean;
  apply(f: Fixture): Promise<void>;
  expect(f: Fixture): Want;
}

const TAMPERS: Tamper[] = [
  {
    name: 'a field changed in place',
    apply: async ({ handle, a }) => {
      await sql`UPDATE audit_entries SET decision = 'deny' WHERE chain_id = ${a} AND seq = 5`.execute(handle.db);
    },
    expect: ({ a }) => ({ chainId: a, seq: 5, kind: 'content-changed', problem: /content does not match its hash/ }),
  },
  {
    name: "a field changed and that entry's hash recomputed",
    apply: async ({ handle, a }) => {
      await sql`UPDATE audit_entries SET decision = 'deny' WHERE chain_id = ${a} AND seq = 5`.execute(handle.db);
      const [r] = (await rows(handle.db, a)).filter((x) => x.seq === 5);
      const { hash: _h, ...rest } = r as AuditEntryTable;
      await sql`UPDATE audit_entries SET hash = ${entryHash(rest)} WHERE chain_id = ${a} AND seq = 5`.execute(handle.db);
    },
    expect: ({ a }) => ({ chainId: a, seq: 6, kind: 'link-broken', problem: /does not follow the previous entry/ }),
  },
  {
    name: 'the link to the previous entry changed',
    apply: async ({ handle, a }) => {
      const other = await hashAt(handle.db, a, 2);
      await sql`UPDATE audit_entries SET prev_hash = ${other} WHERE chain_id = ${a} AND seq = 5`.execute(handle.db);
    },
    expect: ({ a }) => ({ chainId: a, seq: 5, kind: 'link-broken' }),
  },
  {
    name: 'an entry in the middle deleted',
    apply: async ({ handle, a }) => {
      await sql`DELETE FROM audit_entries WHERE chain_id = ${a} AND seq = 5`.execute(handle.db);
    },
    expect: ({ a }) => ({ chainId: a, seq: 6, kind: 'missing-entry', problem: /^entry 5 is missing$/ }),
  },
  {
    name: 'two entries swapped',
    apply: async ({ handle, a }) => {
      await sql`UPDATE audit_entries SET seq = -1 WHERE chain_id = ${a} AND seq = 5`.execute(handle.db);
      await sql`UPDATE audit_entries SET seq = 5 WHERE chain_id = ${a} AND seq = 6`.execute(handle.db);
      await sql`UPDATE audit_entries SET seq = 6 WHERE chain_id = ${a} AND seq = -1`.execute(handle.db);
    },
    expect: ({ a }) => ({ chainId: a, seq: 5, kind: 'link-broken' }),
  },
  {
    name: 'a forged entry inserted in the middle (later entries renumbered, not re-hashed)',
    apply: async ({ handle, a }) => {
      await sql`UPDATE audit_entries SET seq = seq + 1000 WHERE chain_id = ${a} AND seq > 6`.execute(handle.db);
      await sql`UPDATE audit_entries SET seq = seq - 999 WHERE chain_id = ${a} AND seq > 1000`.execute(handle.db);
      const prev = await hashAt(handle.db, a, 6);
      const forged = { ...(await rows(handle.db, a))[0], seq: 7, id: 'dec_forged', decision: 'allow', prev_hash: prev };
      const { hash: _h, ...rest } = forged as AuditEntryTable;
      const r = { ...rest, hash: entryHash(rest) };
      await sql`INSERT INTO audit_entries (${sql.join(Object.keys(r).map((k) => sql.ref(k)))})
        VALUES (${sql.join(Object.values(r))})`.execute(handle.db);
    },
    expect: ({ a }) => ({ chainId: a, seq: 8, kind: 'link-broken' }),
  },
  {
    name: 'stored arguments changed',
    apply: async ({ handle, a }) => {
      await sql`UPDATE audit_entries SET arguments = '{"customerId":"c-999"}' WHERE chain_id = ${a} AND seq = 5`.execute(
        handle.db,
      );
    },
    expect: ({ a }) => ({ chainId: a, seq: 5, kind: 'arguments-changed' }),
  },
  {
    name: 'stored arguments replaced by text that is not JSON',
    crashedBefore: true,
    apply: async ({ handle, a }) => {
      await sql`UPDATE audit_entries SET arguments = '{"customerId":"c-9"' WHERE chain_id = ${a} AND seq = 5`.execute(handle.db);
    },
    expect: ({ a }) => ({ chainId: a, seq: 5, kind: 'arguments-changed', problem: /not JSON/ }),
  },
  {
    name: 'an entry moved to another chain',
    apply: async ({ handle, a, b }) => {
      await sql`UPDATE audit_entries SET chain_id = ${b}, seq = 5 WHERE chain_id = ${a} AND seq = 5`.execute(handle.db);
    },
    expect: ({ a }) => ({ chainId: a, seq: 6, kind: 'missing-entry', problem: /^entry 5 is missing$/ }),
  },
  {
    name: 'the first entry deleted',
    apply: async ({ handle, a }) => {
      await sql`DELETE FROM audit_entries WHERE chain_id = ${a} AND seq = 1`.execute(handle.db);
    },
    expect: ({ a }) => ({ chainId: a, seq: 2, kind: 'missing-entry', problem: /^entry 1 is missing$/ }),
  },
  {
    name: 'a retention start changed after a purge',
    apply: async ({ handle, key, a }) => {
      await purge(handle.db, key, a, 3);
      const other = await hashAt(handle.db, a, 8);
      await sql`UPDATE audit_checkpoints SET hash = ${other} WHERE chain_id = ${a}`.execute(handle.db);
    },
    expect: ({ a }) => ({ chainId: a, seq: 3, kind: 'start-forged', problem: /signature does not verify/ }),
  },
  {
    name: 'a retention start deleted after a purge',
    apply: async ({ handle, key, a }) => {
      await purge(handle.db, key, a, 3);
      await sql`DELETE FROM audit_checkpoints WHERE chain_id = ${a}`.execute(handle.db);
    },
    expect: ({ a }) => ({ chainId: a, seq: 4, kind: 'missing-entry', problem: /^entry 1 is missing$/ }),
  },
  // The six `audit verify` missed before (issue 14); each attacker also covers their tracks.
  {
    name: 'the tail of a chain deleted',
    missedBefore: true,
    apply: async ({ handle, a }) => {
      await sql`DELETE FROM audit_entries WHERE chain_id = ${a} AND seq > 9`.execute(handle.db);
      await coverTracks(handle.db);
    },
    expect: ({ a }) => ({ chainId: a, seq: 10, kind: 'truncated', problem: /ends at entry 9 .* entries 10–12 were deleted/ }),
  },
  {
    name: 'a whole chain deleted (audit_chains still lists it)',
    missedBefore: true,
    apply: async ({ handle, b }) => {
      await sql`DELETE FROM audit_entries WHERE chain_id = ${b}`.execute(handle.db);
      await coverTracks(handle.db);
    },
    expect: ({ b }) => ({
      chainId: b,
      seq: 1,
      kind: 'chain-deleted',
      problem: /every entry of the chain is gone: .* 4 entries up to entry 4/,
    }),
  },
  {
    name: 'every entry deleted',
    missedBefore: true,
    apply: async ({ handle }) => {
      await sql`DELETE FROM audit_entries`.execute(handle.db);
      await coverTracks(handle.db);
    },
    expect: ({ a }) => ({ chainId: a, seq: 1, kind: 'chain-deleted', problem: /12 entries up to entry 12/ }),
  },
  {
    name: 'a decision changed and every later hash recomputed',
    missedBefore: true,
    apply: async ({ handle, a }) => {
      await sql`UPDATE audit_entries SET decision = 'deny' WHERE chain_id = ${a} AND seq = 5`.execute(handle.db);
      await rehash(handle.db, a, 5);
      await coverTracks(handle.db);
    },
    expect: ({ a }) => ({ chainId: a, seq: 12, kind: 'rewritten', problem: /signed checkpoint .* rewritten up to here/ }),
  },
  {
    name: 'an entry deleted, the rest renumbered and re-hashed',
    missedBefore: true,
    apply: async ({ handle, a }) => {
      await sql`DELETE FROM audit_entries WHERE chain_id = ${a} AND seq = 5`.execute(handle.db);
      await sql`UPDATE audit_entries SET seq = seq + 1000 WHERE chain_id = ${a} AND seq > 5`.execute(handle.db);
      await sql`UPDATE audit_entries SET seq = seq - 1001 WHERE chain_id = ${a} AND seq > 1000`.execute(handle.db);
      await rehash(handle.db, a, 5);
      await coverTracks(handle.db);
    },
    expect: ({ a }) => ({ chainId: a, seq: 12, kind: 'rewritten' }),
  },
  {
    name: 'a retention start forged in audit_checkpoints and the first entries deleted',
    missedBefore: true,
    apply: async ({ handle, a }) => {
      const h = await hashAt(handle.db, a, 4);
      await sql`INSERT INTO audit_checkpoints (chain_id, seq, hash, at) VALUES (${a}, 4, ${h}, ${new Date().toISOString()})`.execute(
        handle.db,
      );
      await sql`DELETE FROM audit_entries WHERE chain_id = ${a} AND seq <= 4`.execute(handle.db);
      await coverTracks(handle.db);
    },
    expect: ({ a }) => ({
      chainId: a,
      seq: 4,
      kind: 'start-forged',
      problem: /not signed: entries 1–4 were deleted outside retention/,
    }),
  },
];

/** The finding expected: its chain, entry and kind, and what its message says. */
type Want = Partial<Omit<Finding, 'problem'>> & { problem?: RegExp };

function expectFinding(r: VerifyReport, want: Want) {
  expect(r.ok).toBe(false);
  const { problem, ...fields } = want;
  const found = (r.findings ?? []).find((f) => f.chainId === fields.chainId);
  expect(found, JSON.stringify(r.findings)).toMatchObject(fields);
  if (problem) expect(found?.problem).toMatch(problem);
}

it('names the 17 kinds of tampering of issue 14, and one found since', () => {
  expect(TAMPERS).toHaveLength(18);
  expect(TAMPERS.filter((t) => t.crashedBefore)).toHaveLength(1);
  expect(TAMPERS.filter((t) => t.missedBefore)).toHaveLength(6);
});

describe.each(ENGINES)('audit tampering on %s', (engine) => {
  let f: Fixture;
  afterEach(async () => {
    await f?.handle.destroy();
    await f?.db.drop();
  });
  const verify = (x: Fixture) => verifyAudit(x.handle.db, { verifier: readPublicKey(x.publicKeyFile), checkpoint: x.checkpoint });

  it('passes an untampered log against the outside checkpoint, library and CLI', async () => {
    f = await setup(engine);
    const r = await verify(f);
    expect(r).toMatchObject({ ok: true, chains: 2, entries: 20, findings: [], signatures: 'checked' });
    expect(r.checkpoint).toMatchObject({ chains: 2, entries: 16 });
    const out = await cli(f.env, 'audit', 'verify', '--checkpoint', f.checkpointFile, '--public-key', f.publicKeyFile);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^audit log intact: 20 entries in 2 chain\(s\)/);
    expect(out.stdout).toContain(`key ${f.key.keyId}`);
  });

  it('passes after a legitimate purge, whose new start is signed', async () => {
    f = await setup(engine);
    await purge(f.handle.db, f.key, f.a, 14); // past the head the outside checkpoint signed (12)
    await purge(f.handle.db, f.key, f.b, 2);
    expect(await verify(f)).toMatchObject({ ok: true, entries: 4, findings: [] });
  });

  for (const t of TAMPERS)
    it(`detects and names: ${t.name}`, async () => {
      f = await setup(engine);
      expect((await verify(f)).ok).toBe(true);
      await t.apply(f);
      expectFinding(await verify(f), t.expect(f));
      if (!t.missedBefore && !t.crashedBefore) return;
      // What the operator runs: exit 1, the chain, the entry and the kind on stderr.
      const want = t.expect(f);
      const out = await cli(f.env, 'audit', 'verify', '--checkpoint', f.checkpointFile, '--public-key', f.publicKeyFile);
      expect(out.code, out.stdout).toBe(1);
      expect(out.stderr).toContain(`audit log BROKEN at chain ${want.chainId} entry ${want.seq} `);
      expect(out.stderr).toContain(`[${want.kind}]`);
    });

  it('names entries appended after the recorded head, around the writer', async () => {
    f = await setup(engine);
    const [last] = (await rows(f.handle.db, f.b)).slice(-1);
    const { hash: _h, ...rest } = {
      ...(last as AuditEntryTable),
      seq: 5,
      id: 'dec_appended',
      prev_hash: (last as AuditEntryTable).hash,
    };
    const r = { ...rest, hash: entryHash(rest) };
    await sql`INSERT INTO audit_entries (${sql.join(Object.keys(r).map((k) => sql.ref(k)))})
      VALUES (${sql.join(Object.values(r))})`.execute(f.handle.db);
    expectFinding(await verify(f), { chainId: f.b, seq: 5, kind: 'appended', problem: /not written by Fulcrum’s writer/ });
  });

  it('names a forged signed checkpoint in the database', async () => {
    f = await setup(engine);
    const latest = (await latestCheckpoint(f.handle.db, f.key))?.checkpoint as SignedCheckpoint;
    const payload = latest.payload.replace('"entries":16', '"entries":99');
    await sql`INSERT INTO audit_signed_checkpoints (at, node, key_id, payload, signature)
      VALUES (${new Date().toISOString()}, 'forger', ${f.key.keyId}, ${payload}, ${latest.signature})`.execute(f.handle.db);
    const r = await verify(f);
    expect(r.findings?.[0]).toMatchObject({ chainId: '-', kind: 'checkpoint-forged' });
    expect(r.findings?.[0]?.problem).toMatch(/signature does not verify/);
  });

  it('refuses a checkpoint file that was edited, or checked with another key', async () => {
    f = await setup(engine);
    const edited = { ...f.checkpoint, payload: f.checkpoint.payload.replace(/"seq":12/, '"seq":11') };
    const r = await verifyAudit(f.handle.db, { verifier: readPublicKey(f.publicKeyFile), checkpoint: edited });
    expect(r.findings?.[0]).toMatchObject({ kind: 'checkpoint-forged' });
    expect(r.findings?.[0]?.problem).toMatch(/^the checkpoint file: its signature does not verify/);
    const other = loadOrCreateAuditKey(path.join(f.db.dir, 'other-key.pem'));
    const r2 = await verifyAudit(f.handle.db, { verifier: other, checkpoint: f.checkpoint });
    expect(r2.findings?.[0]?.problem).toMatch(`names key ${f.key.keyId}, not this public key (${other.keyId})`);
  });

  it('never signs a chain that went backwards: a later checkpoint keeps the signed head', async () => {
    f = await setup(engine);
    await sql`DELETE FROM audit_entries WHERE chain_id = ${f.b} AND seq > 2`.execute(f.handle.db);
    await sql`UPDATE audit_chains SET head_seq = 2, head_hash = ${await hashAt(f.handle.db, f.b, 2)} WHERE id = ${f.b}`.execute(
      f.handle.db,
    );
    const checkpoints = createCheckpointer({ db: f.handle.db, signer: f.key, node: 't', onProblem: (m) => f.problems.push(m) });
    const body = await checkpoints.checkpointNow();
    expect(body?.chains.find((c) => c.id === f.b)?.head.seq).toBe(4);
    expect(f.problems.join('\n')).toContain(`audit chain ${f.b}: its head went back from entry 4 to 2`);
    // Without the outside checkpoint, the database's own signed checkpoints still tell.
    const r = await verifyAudit(f.handle.db, { verifier: f.key });
    expectFinding(r, { chainId: f.b, seq: 3, kind: 'truncated' });
  });

  it('exports the latest checkpoint with `audit checkpoint -o` and verifies against it', async () => {
    f = await setup(engine);
    const file = path.join(f.db.dir, 'exported.json');
    const out = await cli(f.env, 'audit', 'checkpoint', '-o', file);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toMatch(/16 entries in 2 chain\(s\) written to/);
    expect(readCheckpointFile(file)).toEqual(f.checkpoint);
    const ok = await cli(f.env, 'audit', 'verify', '--checkpoint', file, '--public-key', f.publicKeyFile);
    expect(ok.code, ok.stderr).toBe(0);
    await sql`DELETE FROM audit_entries WHERE chain_id = ${f.b}`.execute(f.handle.db);
    await coverTracks(f.handle.db);
    const bad = await cli(f.env, 'audit', 'verify', '--checkpoint', file, '--public-key', f.publicKeyFile);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`audit log BROKEN at chain ${f.b} entry 1 (-): every entry of the chain is gone`);
  });

  it('exports a checkpoint only when it can check its signature (--public-key, or the local key file)', async () => {
    f = await setup(engine);
    const file = path.join(f.db.dir, 'exported.json');
    const noKey = { ...f.env, FULCRUM_AUDIT_KEY_FILE: path.join(f.db.dir, 'absent.pem') };
    const refused = await cli(noKey, 'audit', 'checkpoint', '-o', file);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/no key to check the checkpoint's signature with: .*absent\.pem does not exist here/);
    expect(fs.existsSync(file)).toBe(false);
    const ok = await cli(noKey, 'audit', 'checkpoint', '-o', file, '--public-key', f.publicKeyFile);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('signature checked');
    expect(readCheckpointFile(file)).toEqual(f.checkpoint);
    const otherKey = path.join(f.db.dir, 'other-public.pem');
    fs.writeFileSync(otherKey, loadOrCreateAuditKey(path.join(f.db.dir, 'other.pem')).publicKeyPem);
    const wrong = await cli(noKey, 'audit', 'checkpoint', '--public-key', otherKey);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/no audit checkpoint signed with key [0-9a-f]{16}/);
    expect(wrong.stdout).toBe('');
  });

  // Review of issue 14: an unsigned start forged after signing began, taken by a later checkpoint
  // (the attacker deleted the signed ones first), must still be named against the witness.
  it('names a forged start even after a later checkpoint took it, against the outside checkpoint', async () => {
    f = await setup(engine);
    const h = await hashAt(f.handle.db, f.a, 6);
    const forgeStart = async (legacy: 0 | 1) => {
      await sql`DELETE FROM audit_signed_checkpoints`.execute(f.handle.db);
      await sql`DELETE FROM audit_checkpoints WHERE chain_id = ${f.a}`.execute(f.handle.db);
      await sql`INSERT INTO audit_checkpoints (chain_id, seq, hash, at, signature, legacy)
        VALUES (${f.a}, 6, ${h}, '2026-01-01T00:00:00.000Z', NULL, ${legacy})`.execute(f.handle.db);
      await sql`DELETE FROM audit_entries WHERE chain_id = ${f.a} AND seq <= 6`.execute(f.handle.db);
    };
    const server = () =>
      createCheckpointer({ db: f.handle.db, signer: f.key, node: 'server', onProblem: (m) => f.problems.push(m) });
    const want = { chainId: f.a, seq: 6, kind: 'start-forged' as const, problem: /entries 1–6 were deleted outside retention/ };

    await forgeStart(0);
    expectFinding(await verify(f), want);
    // The server's next checkpoint: no earlier one to go by, but the start is not one the migration found.
    const body = await server().checkpointNow();
    expect(body?.chains.find((c) => c.id === f.a)?.start.seq).toBe(0);
    expect(f.problems.join('\n')).toContain(`audit chain ${f.a}: its retention start (entry 6) is not signed; not checkpointed`);
    expectFinding(await verify(f), want);

    // The attacker marks the forged start as one the migration found: the checkpoint takes it on
    // trust, and verify still names it, because the witness has the chain start at entry 0.
    await forgeStart(1);
    expect((await server().checkpointNow())?.chains.find((c) => c.id === f.a)?.start.seq).toBe(6);
    expectFinding(await verify(f), {
      ...want,
      problem: /not signed, and the signed checkpoint of .* \(file\) has the chain start after entry 0: entries 1–6 were deleted/,
    });
    const out = await cli(f.env, 'audit', 'verify', '--checkpoint', f.checkpointFile, '--public-key', f.publicKeyFile);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`audit log BROKEN at chain ${f.a} entry 6 (-): `);
  });

  it('takes the starts purged before signing existed (marked legacy by the migration) on the first checkpoint', async () => {
    f = await setup(engine);
    // The database as the upgrade finds it: no signed checkpoint yet, an unsigned start from an old purge.
    const h = await hashAt(f.handle.db, f.b, 2);
    await sql`DELETE FROM audit_signed_checkpoints`.execute(f.handle.db);
    await sql`INSERT INTO audit_checkpoints (chain_id, seq, hash, at, signature, legacy)
      VALUES (${f.b}, 2, ${h}, '2026-01-01T00:00:00.000Z', NULL, 1)`.execute(f.handle.db);
    await sql`DELETE FROM audit_entries WHERE chain_id = ${f.b} AND seq <= 2`.execute(f.handle.db);
    const first = createCheckpointer({ db: f.handle.db, signer: f.key, node: 'upgraded', onProblem: (m) => f.problems.push(m) });
    expect((await first.checkpointNow())?.chains.find((c) => c.id === f.b)?.start.seq).toBe(2);
    const witness = (await latestCheckpoint(f.handle.db, f.key))?.checkpoint as SignedCheckpoint;
    expect(await verifyAudit(f.handle.db, { verifier: f.key, checkpoint: witness })).toMatchObject({ ok: true, findings: [] });
    expect(f.problems).toEqual([]);
  });

  it('refuses to sign when the latest checkpoint names another key, unless told to rotate', async () => {
    f = await setup(engine);
    const other = loadOrCreateAuditKey(path.join(f.db.dir, 'other-node.pem'));
    const problems: string[] = [];
    const node = (signer: AuditSigner, rotateKey = false) =>
      createCheckpointer({ db: f.handle.db, signer, node: 'n', rotateKey, onProblem: (m) => problems.push(m) });
    const checkpointKeys = async () =>
      (await f.handle.db.selectFrom('audit_signed_checkpoints').select('key_id').orderBy('id').execute()).map((r) => r.key_id);
    const before = await checkpointKeys();

    const stray = node(other);
    expect(await stray.checkpointNow()).toBeUndefined();
    expect(stray.stats).toMatchObject({ written: 0, refused: 1 });
    // Nor does it hand out its key as the one that checks the checkpoints (GET /v1/audit/public-key).
    await expect(createAuditReader(f.handle.db, other).publicKey()).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(`this node's audit key \\(${other.keyId}\\) is not the key .*\\(${f.key.keyId}\\)`),
    });
    expect((await createAuditReader(f.handle.db, f.key).publicKey()).keyId).toBe(f.key.keyId);
    // Started to rotate (FULCRUM_AUDIT_KEY_ROTATE=1), it serves its new key before its first checkpoint lands.
    expect((await createAuditReader(f.handle.db, other, { rotating: true }).publicKey()).keyId).toBe(other.keyId);
    expect(problems[0]).toMatch(`signed with key ${f.key.keyId}, this node has key ${other.keyId}`);
    expect(problems[0]).toMatch(/FULCRUM_AUDIT_KEY_ROTATE=1/);
    expect(await checkpointKeys()).toEqual(before);

    const rotated = node(other, true);
    expect((await rotated.checkpointNow())?.keyId).toBe(other.keyId);
    expect(await checkpointKeys()).toEqual([...before, other.keyId]);
    // Now the old key is the stray one.
    const old = node(f.key);
    expect(await old.checkpointNow()).toBeUndefined();
    expect(old.stats.refused).toBe(1);
  });

  it("takes the retention starts the old key signed on a rotation: the new key's checkpoints vouch for them", async () => {
    f = await setup(engine);
    // Purged with the old key: chain B whole (as a dead node's chain is), chain A up to entry 3.
    await purge(f.handle.db, f.key, f.a, 3);
    await purge(f.handle.db, f.key, f.b, 4);
    await f.handle.db.deleteFrom('audit_signed_checkpoints').execute(); // pruned in time: only the new key's remain
    const next = loadOrCreateAuditKey(path.join(f.db.dir, 'next.pem'));
    const problems: string[] = [];
    const rotate = () =>
      createCheckpointer({ db: f.handle.db, signer: next, node: 'n', rotateKey: true, onProblem: (m) => problems.push(m) });
    expect((await rotate().checkpointNow())?.keyId).toBe(next.keyId);
    expect(problems).toEqual([]);
    const report = await verifyAudit(f.handle.db, { verifier: next });
    expect(report, JSON.stringify(report.findings)).toMatchObject({ ok: true, entries: 13, findings: [] });
  });

  it('with the old public key, a rotation takes the starts the old key signed and no other (junk in the signature column)', async () => {
    f = await setup(engine);
    await purge(f.handle.db, f.key, f.b, 4); // signed with the old key: taken
    // Entries 1-5 of chain A deleted behind a start whose "signature" no key made.
    const h = await hashAt(f.handle.db, f.a, 5);
    await sql`INSERT INTO audit_checkpoints (chain_id, seq, hash, at, signature) VALUES (${f.a}, 5, ${h}, ${new Date().toISOString()}, 'AAAA')`.execute(
      f.handle.db,
    );
    await sql`DELETE FROM audit_entries WHERE chain_id = ${f.a} AND seq <= 5`.execute(f.handle.db);
    await f.handle.db.deleteFrom('audit_signed_checkpoints').execute();
    const next = loadOrCreateAuditKey(path.join(f.db.dir, 'next.pem'));
    const problems: string[] = [];
    const rotating = (rotateFrom?: AuditVerifier) =>
      createCheckpointer({
        db: f.handle.db,
        signer: next,
        node: 'n',
        rotateKey: true,
        ...(rotateFrom ? { rotateFrom } : {}),
        onProblem: (m) => problems.push(m),
      });
    expect((await rotating(readPublicKey(f.publicKeyFile)).checkpointNow())?.keyId).toBe(next.keyId);
    expect(problems).toEqual([
      `audit chain ${f.a}: its retention start (entry 5) is not signed with the old key (FULCRUM_AUDIT_KEY_ROTATE_FROM); not checkpointed`,
    ]);
    const report = await verifyAudit(f.handle.db, { verifier: next });
    expect(report.findings).toEqual([expect.objectContaining({ chainId: f.a, seq: 5, kind: 'start-forged' })]);
  });

  it('does not take on a rotation a start no key signed', async () => {
    f = await setup(engine);
    await purge(f.handle.db, f.key, f.b, 4);
    // Entries 1–5 of chain A deleted outside retention, behind an unsigned start.
    const h = await hashAt(f.handle.db, f.a, 5);
    await sql`INSERT INTO audit_checkpoints (chain_id, seq, hash, at) VALUES (${f.a}, 5, ${h}, ${new Date().toISOString()})`.execute(
      f.handle.db,
    );
    await sql`DELETE FROM audit_entries WHERE chain_id = ${f.a} AND seq <= 5`.execute(f.handle.db);
    await f.handle.db.deleteFrom('audit_signed_checkpoints').execute();
    const next = loadOrCreateAuditKey(path.join(f.db.dir, 'next.pem'));
    const problems: string[] = [];
    const rotating = createCheckpointer({
      db: f.handle.db,
      signer: next,
      node: 'n',
      rotateKey: true,
      onProblem: (m) => problems.push(m),
    });
    expect((await rotating.checkpointNow())?.keyId).toBe(next.keyId);
    expect(problems).toEqual([`audit chain ${f.a}: its retention start (entry 5) is not signed; not checkpointed`]);
    const report = await verifyAudit(f.handle.db, { verifier: next });
    expect(report.findings).toEqual([expect.objectContaining({ chainId: f.a, seq: 5, kind: 'start-forged' })]);
  });
});

describe('the signing key file', () => {
  it('is created whole once when processes start at once: one key, mode 0600, no temporary file left', async () => {
    const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'fulcrum-key-race-'));
    try {
      const file = path.join(dir, 'audit-signing-key.pem');
      const script = `import(${JSON.stringify(path.join(ROOT, 'dist/guard/audit-key.js'))}).then((m) => process.stdout.write(m.loadOrCreateAuditKey(process.argv[1]).keyId))`;
      const run = promisify(execFile);
      const ids = await Promise.all(
        Array.from({ length: 8 }, () => run(process.execPath, ['--input-type=module', '-e', script, file]).then((r) => r.stdout)),
      );
      expect(new Set(ids).size).toBe(1);
      expect(ids[0]).toMatch(/^[0-9a-f]{16}$/);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.readdirSync(dir)).toEqual(['audit-signing-key.pem']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('`audit verify` when it cannot check', () => {
  it('exits 3, not 1, for a database it cannot reach or whose schema is too old', async () => {
    const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'fulcrum-verify-'));
    try {
      // No database at all (a data directory named wrong): said so, and nothing made there. Before, it
      // made the folder and an empty fulcrum.db, and told to migrate it, as if its schema were old.
      const wrong = path.join(dir, 'no-such-data-dir');
      const publicKey = path.join(dir, 'public.pem');
      fs.writeFileSync(publicKey, loadOrCreateAuditKey(path.join(dir, 'key.pem')).publicKeyPem);
      for (const args of [['verify'], ['checkpoint', '--public-key', publicKey]]) {
        const none = await cli({ PATH: process.env.PATH, FULCRUM_DATA_DIR: wrong }, 'audit', ...args);
        expect(none.code, none.stderr).toBe(3);
        expect(none.stderr).toBe(
          `fulcrum audit: there is no Fulcrum database at ${path.join(wrong, 'fulcrum.db')}: nothing to check ` +
            "(FULCRUM_DATA_DIR names the server's data directory, FULCRUM_DATABASE_URL its PostgreSQL)\n",
        );
        expect(fs.existsSync(wrong)).toBe(false);
      }
      fs.writeFileSync(path.join(dir, 'fulcrum.db'), ''); // a database with no schema
      const empty = await cli({ PATH: process.env.PATH, FULCRUM_DATA_DIR: dir }, 'audit', 'verify');
      expect(empty.code, empty.stderr).toBe(3);
      expect(empty.stderr).toMatch(/the database schema is older than this fulcrum .*fulcrum migrate/);
      const unreachable = await cli(
        { PATH: process.env.PATH, FULCRUM_DATA_DIR: dir, FULCRUM_DATABASE_URL: 'postgresql://fulcrum@127.0.0.1:1/none' },
        'audit',
        'verify',
      );
      expect(unreachable.code, unreachable.stderr).toBe(3);
      expect(unreachable.stderr).toMatch(/cannot read the audit log \(postgresql:.*\): .*ECONNREFUSED/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Stops the first query whose first row `match`es until released. */
const pauseAfter = (match: (row: Record<string, unknown>) => boolean) => pauseQuery({ row: match });

const keys =
  (...k: string[]) =>
  (row: Record<string, unknown>) =>
    Object.keys(row).sort().join() === [...k].sort().join();

describe.each(ENGINES)('purges and checks running at once on %s', (engine) => {
  const dbs = perTestDatabases();
  let db: TestDatabase | undefined;
  const registry = async () => ({ list: () => [], get: () => undefined }) as never;
  const system = { type: 'system', id: 'retention' } as const;
  const DAY = 86_400_000;
  /** The clock at which decisions retention (730 days) keeps entries from 2020-01-`day` on. */
  const keepingFrom = (day: number) => new Date(Date.UTC(2020, 0, day) + 730 * DAY);

  /** A fresh database with a signing key and one chain's writer. */
  async function openChain() {
    db = await dbs.create(engine);
    const handle = dbs.open(db);
    await migrateToLatest(handle);
    const key = loadOrCreateAuditKey(path.join(db.dir, 'k.pem'));
    const w = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
    return { handle, key, w };
  }

  /** One chain: entries 1–20 a day apart in January 2020 (past retention), 21–25 recent; signed up to `signedUpTo`. */
  async function setupChain(signedUpTo = 25) {
    const { handle, key, w } = await openChain();
    const at = (seq: number) => (seq <= 20 ? new Date(Date.UTC(2020, 0, seq)).toISOString() : new Date().toISOString());
    const write = (from: number, to: number) =>
      Promise.all(Array.from({ length: to - from + 1 }, (_, i) => w.append({ ...record(from + i), at: at(from + i) })));
    const problems: string[] = [];
    const checkpoints = createCheckpointer({ db: handle.db, signer: key, node: 't', onProblem: (m) => problems.push(m) });
    await write(1, signedUpTo);
    await checkpoints.checkpointNow();
    if (signedUpTo < 25) await write(signedUpTo + 1, 25);
    await w.close();
    const retention = (on: Db) =>
      createRetentionService({
        db: on,
        registry,
        signChainStart: (c, seq, h) => key.sign(startMessage(c, seq, h)),
        chainSegmentChecker: (d) => segmentChecker(d, key),
      });
    const start = async () => (await handle.db.selectFrom('audit_checkpoints').selectAll().executeTakeFirstOrThrow()).seq;
    /** Another process on the same database (a second node, or the CLI beside the server). */
    const second = () => {
      return dbs.open(db as TestDatabase).db;
    };
    return { handle, key, chain: w.chainId, checkpoints, problems, retention, start, second };
  }

  it('two purges with different cutoffs: the start never moves back, whichever finishes first', async () => {
    const t = await setupChain();
    // A (another connection: a paused query holds its connection) reads which entries it must keep
    // (from 2020-01-12 on, so entry 11 is its last to go) and stops; B purges up to entry 16 and
    // finishes; then A goes on.
    const pause = pauseAfter(keys('seq'));
    const a = t.retention(t.second().withPlugin(pause.plugin)).purge(system, keepingFrom(12));
    await pause.paused;
    await t.retention(t.handle.db).purge(system, keepingFrom(17));
    expect(await t.start()).toBe(16);
    pause.release();
    await a;
    expect(await t.start()).toBe(16);
    expect(await verifyAudit(t.handle.db, { verifier: t.key })).toMatchObject({ ok: true, entries: 9, findings: [] });

    // Now A (last entry 20) stops after signing its start and before deleting (after it looked for
    // where its first slice ends); B (last entry 17, still there) runs meanwhile and finishes first:
    // its start must not replace A's. Each counts only what it deleted itself: B entry 17, A 18 to 20.
    const inside = pauseQuery({ query: (n) => n.kind === 'SelectQueryNode' && n.offset !== undefined });
    const a2 = t.retention(t.handle.db.withPlugin(inside.plugin)).purge(system, keepingFrom(21));
    await inside.paused;
    const b2 = t.retention(t.second()).purge(system, keepingFrom(18));
    expect((await b2).decisions).toBe(1);
    inside.release();
    expect((await a2).decisions).toBe(3);
    expect(await t.start()).toBe(20);
    expect(await verifyAudit(t.handle.db, { verifier: t.key })).toMatchObject({ ok: true, entries: 5, findings: [] });
    await t.checkpoints.checkpointNow();
    expect(t.problems).toEqual([]);
  });

  it('verify reads one snapshot: a purge committing in the middle of it is not a missing entry', async () => {
    const t = await setupChain();
    const other = t.retention(t.second());
    // Verify stops after listing the chains (before walking them), a purge on another connection
    // deletes entries 1–16 and commits, then verify walks on.
    const pause = pauseAfter(keys('chain_id'));
    const verifying = verifyAudit(t.handle.db.withPlugin(pause.plugin), { verifier: t.key });
    await pause.paused;
    await other.purge(system, keepingFrom(17));
    pause.release();
    expect(await verifying).toMatchObject({ ok: true, entries: 25, findings: [] });
    expect(await verifyAudit(t.handle.db, { verifier: t.key })).toMatchObject({ ok: true, entries: 9, findings: [] });
  });

  it("a node whose key is not the database's moves no chain start (its signature would read as a forgery)", async () => {
    const t = await setupChain();
    const stray = loadOrCreateAuditKey(path.join((db as TestDatabase).dir, 'stray.pem'));
    const strayCheckpoints = (rotateKey = false) =>
      createCheckpointer({ db: t.handle.db, signer: stray, node: 'stray', rotateKey, onProblem: () => {} });
    const purgeAs = (cp: ReturnType<typeof strayCheckpoints>) =>
      createRetentionService({
        db: t.handle.db,
        registry,
        signChainStart: (c, seq, h) => stray.sign(startMessage(c, seq, h)),
        chainStartsHeld: () => cp.startsHeld(),
      }).purge(system, keepingFrom(17));
    const held = await purgeAs(strayCheckpoints());
    expect(held).toMatchObject({ decisions: 0, auditEntries: 0 });
    expect(held.auditHeldBack).toMatch(`signed with key ${t.key.keyId}, this node has key ${stray.keyId}`);
    expect(await verifyAudit(t.handle.db, { verifier: t.key })).toMatchObject({ ok: true, entries: 25, findings: [] });
    // A node told to rotate to its key purges (its first checkpoint takes the database as it finds it).
    expect((await purgeAs(strayCheckpoints(true))).decisions).toBe(16);
  });

  it('a purge never signs a start over tampered entries: backdated ones stay, and it says why', async () => {
    // Entries 21-25 are recent; a database writer backdates them so that they fall out of their period,
    // as is (their hashes broken), or with every hash from there recomputed.
    for (const rehashed of [false, true]) {
      const t = await setupChain();
      await sql`UPDATE audit_entries SET at = '2000-01-01T00:00:00.000Z' WHERE seq > 20`.execute(t.handle.db);
      if (rehashed) await rehash(t.handle.db, t.chain, 21);
      const done = await t.retention(t.handle.db).purge(system);
      expect(done.auditHeldBack).toMatch(
        new RegExp(
          `audit chain ${t.chain}: entries not purged, entry ${rehashed ? 25 : 21} .*\\[${rehashed ? 'rewritten' : 'content-changed'}\\]`,
        ),
      );
      expect(await t.handle.db.selectFrom('audit_entries').select('seq').execute()).toHaveLength(25);
      const report = await verifyAudit(t.handle.db, { verifier: t.key });
      expect(report.findings).toEqual([
        expect.objectContaining({ chainId: t.chain, seq: rehashed ? 25 : 21, kind: rehashed ? 'rewritten' : 'content-changed' }),
      ]);
      await dbs.dropAll();
    }
  });

  it('a purge of a chain with nothing to keep leaves an entry its writer appends meanwhile', async () => {
    const { handle, key, w } = await openChain();
    const old = (i: number) => ({ ...record(i), at: new Date(Date.UTC(2020, 0, i)).toISOString() });
    await Promise.all([1, 2, 3].map((i) => w.append(old(i))));
    const other = dbs.open(db as TestDatabase);
    // The purge (on another connection) has read how far the chain goes, and stops; the chain's
    // writer appends entry 4 (as old: only its timing matters); the purge goes on.
    const pause = pauseAfter(keys('seq'));
    const purging = createRetentionService({
      db: other.db.withPlugin(pause.plugin),
      registry,
      signChainStart: (c, seq, h) => key.sign(startMessage(c, seq, h)),
    }).purge(system, keepingFrom(10));
    await pause.paused;
    await w.append(old(4));
    pause.release();
    expect((await purging).decisions).toBe(3);
    expect((await rows(handle.db, w.chainId)).map((r) => r.seq)).toEqual([4]);
    await w.close();
    expect(await verifyAudit(handle.db, { verifier: key })).toMatchObject({ ok: true, entries: 1, findings: [] });
  });

  it('a checkpoint reads one snapshot: a purge committing in the middle of it is not a gone entry', async () => {
    const t = await setupChain(10);
    await t.retention(t.handle.db).purge(system, keepingFrom(3)); // a start to read: entry 2
    const other = t.retention(t.second());
    // The checkpointer stops after reading the starts; a purge past the head it signed before (10)
    // commits; the checkpointer then checks that entry 10 is still the one it signed.
    const pause = pauseAfter((row) => 'legacy' in row);
    const cp = createCheckpointer({
      db: t.handle.db.withPlugin(pause.plugin),
      signer: t.key,
      node: 't',
      onProblem: (m) => t.problems.push(m),
    });
    const writing = cp.checkpointNow();
    await pause.paused;
    await other.purge(system, keepingFrom(17));
    pause.release();
    expect(await writing).toBeDefined();
    expect(t.problems).toEqual([]);
    expect(await verifyAudit(t.handle.db, { verifier: t.key })).toMatchObject({ ok: true, findings: [] });
  });
});

describe('FULCRUM_AUDIT_KEY_ROTATE_FROM', () => {
  it('rotates, with the old public key read at start: a file that is not one stops the start, naming it', async () => {
    const c = loadConfig({ FULCRUM_DATA_DIR: '/tmp/fulcrum-x', FULCRUM_AUDIT_KEY_ROTATE_FROM: 'old-public.pem' });
    expect(c).toMatchObject({ auditKeyRotate: true, auditKeyRotateFrom: path.resolve('old-public.pem') });
    expect(loadConfig({ FULCRUM_DATA_DIR: '/tmp/fulcrum-x' })).toMatchObject({ auditKeyRotate: false, auditKeyRotateFrom: '' });
    const junk = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rotate-from-')), 'old.pem');
    fs.writeFileSync(junk, 'not a key\n');
    await expect(startTestServer('sqlite', { auditKeyRotate: true, auditKeyRotateFrom: junk })).rejects.toThrow(
      `${junk} is not a PEM public key`,
    );
  });
});

describe('the signing key', () => {
  it('is generated once, mode 0600, and read back as the same key', () => {
    const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'fulcrum-key-'));
    try {
      const file = path.join(dir, 'nested', 'audit-signing-key.pem');
      const first = loadOrCreateAuditKey(file);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const again = loadOrCreateAuditKey(file);
      expect(again.keyId).toBe(first.keyId);
      expect(readPublicKey(file).verify('x', first.sign('x'))).toBe(true);
      fs.chmodSync(file, 0o644);
      const warnings: string[] = [];
      loadOrCreateAuditKey(file, (m) => warnings.push(m));
      expect(warnings[0]).toMatch(/has mode 644: anyone who can read it can forge checkpoints/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(ENGINES)('checkpoints written by the server on %s', (engine) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await db?.drop();
    db = undefined;
  });

  it('writes one every interval while entries are written, none when nothing moved', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    db = await createTestDatabase(engine);
    const handle = db.open();
    try {
      await migrateToLatest(handle);
      const key = loadOrCreateAuditKey(path.join(db.dir, 'k.pem'));
      const checkpoints = createCheckpointer({ db: handle.db, signer: key, node: 't', onProblem: () => {} });
      const count = async () =>
        Number(
          (
            await handle.db
              .selectFrom('audit_signed_checkpoints')
              .select((e) => e.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      checkpoints.start(60_000);
      const w = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
      await checkpoints.checkpointNow(); // after the one written at start: the new chain, at entry 0
      const base = await count();
      expect(base).toBe(1);
      await append(w, 1, 3);
      await vi.advanceTimersByTimeAsync(60_000);
      await vi.waitFor(async () => expect(await count()).toBe(base + 1));
      await vi.advanceTimersByTimeAsync(60_000);
      await checkpoints.checkpointNow(); // waits for any run the timer started; nothing moved
      expect(await count()).toBe(base + 1);
      await append(w, 4, 2);
      await vi.advanceTimersByTimeAsync(60_000);
      await vi.waitFor(async () => expect(await count()).toBe(base + 2));
      const latest = await latestCheckpoint(handle.db, key);
      expect(latest?.body.chains).toEqual([expect.objectContaining({ id: w.chainId, entries: 5 })]);
      await w.close();
      await checkpoints.close();
    } finally {
      await handle.destroy();
    }
  });

  it('signs a checkpoint at shutdown, serves the public key, and signs retention purges', async () => {
    const t = await startTestServer(engine);
    let closed = false;
    try {
      await t.app.guard.recordAct({ kind: 'agent.suspended', actor: 'person:dana', agent: 'x', detail: { reason: 'test' } });
      const res = await t.request({ method: 'GET', url: '/v1/audit/public-key', token: null });
      expect(res.statusCode).toBe(200);
      const { keyId, publicKey, algorithm } = res.json();
      expect({ keyId, algorithm }).toEqual({ keyId: t.app.auditKey.keyId, algorithm: 'Ed25519' });
      const keyFile = path.join(t.database.dir, 'downloaded.pem');
      fs.writeFileSync(keyFile, publicKey);
      const openapi = (await t.request({ method: 'GET', url: '/openapi.json' })).json();
      expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/v1/audit/public-key', '/v1/audit/checkpoint']));

      await t.app.checkpoints.checkpointNow();
      const cp = await t.request({ method: 'GET', url: '/v1/audit/checkpoint' });
      expect(cp.statusCode).toBe(200);
      expect(readPublicKey(keyFile).verify(cp.json().payload, cp.json().signature)).toBe(true);

      // A real purge (everything is past its period two years on): the new start is signed.
      const purged = await t.app.retention.purge({ type: 'admin', id: 'admin' }, new Date(Date.now() + 3000 * 86_400_000));
      expect(purged.auditEntries).toBe(1);
      const verified = (await t.request({ method: 'GET', url: '/v1/audit/verify' })).json();
      expect(verified).toMatchObject({ ok: true, signatures: 'checked', findings: [] });
      const start = await t.app.database.db.selectFrom('audit_checkpoints').selectAll().executeTakeFirstOrThrow();
      expect(t.app.auditKey.verify(startMessage(start.chain_id, start.seq, start.hash), start.signature as string)).toBe(true);

      // The last decision before shutdown is in the shutdown checkpoint.
      await t.app.guard.recordAct({ kind: 'agent.resumed', actor: 'person:dana', agent: 'x' });
      const chain = t.app.guard.chainId;
      await t.server.close();
      await t.app.close();
      closed = true;
      const handle = t.database.open();
      const latest = await latestCheckpoint(handle.db, readPublicKey(keyFile));
      await handle.destroy();
      // 1 the suspension (purged), 2 the purge's own record (retention.purged), 3 the resumption.
      expect(latest?.body.chains.find((c) => c.id === chain)?.head.seq).toBe(3);
    } finally {
      if (closed) await t.database.drop();
      else await t.close();
    }
  });
});

// A JavaScript string may hold a lone UTF-16 surrogate; SQLite and PostgreSQL store UTF-8, in which it
// becomes U+FFFD. An entry hashed as sent would not be the entry stored: `audit verify` would find an
// honest log changed, and check nothing after it in that chain. One agent's task id was enough.
describe.each(ENGINES)('text a database cannot hold as sent, on %s', (engine) => {
  it('is hashed as stored: the log verifies, entries after it included', async () => {
    const t = await startTestServer(engine);
    try {
      const files = readBundle(path.resolve(import.meta.dirname, '../fixtures/mini'));
      expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files } })).statusCode).toBe(200);
      const key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
      const decide = (taskId: string) =>
        t.request({
          method: 'POST',
          url: '/v1/decisions',
          token: key,
          headers: { 'content-type': 'application/json' },
          // Written by hand: JSON's \ud83d escape is a lone surrogate once parsed.
          payload: `{"action":"tool.call","tool":"crm.lookup","arguments":{"customerId":"c-1"},"dataDomains":["customer-records"],"taskId":"${taskId}"}`,
        });
      for (const taskId of ['t-\\ud83d', 'x\\udc00y', 'after']) expect((await decide(taskId)).json().decision).toBe('allow');
      const items = (await t.request({ method: 'GET', url: '/v1/audit?kind=decision' })).json().items;
      expect(items.map((e: { taskId: string }) => e.taskId)).toEqual(['after', 'x\ufffdy', 't-\ufffd']);
      const verified = (await t.request({ method: 'GET', url: '/v1/audit/verify' })).json();
      expect(verified, JSON.stringify(verified)).toMatchObject({ ok: true, findings: [] });
    } finally {
      await t.close();
    }
  });
});
