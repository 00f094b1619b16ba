// The audit log against a database writer (docs/audit.md): each of the 17 kinds of tampering is
// applied with raw SQL, as someone holding the database would, and `audit verify` — given the public
// key and a checkpoint kept outside — must name it (chain, entry, kind). Both engines.
import fs from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle } from '../../src/db/adapter.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { AuditEntryTable, Database } from '../../src/db/schema.js';
import { type AuditRecord, AuditWriter, entryHash, GENESIS } from '../../src/guard/audit.js';
import {
  checkpointFileText,
  createCheckpointer,
  latestCheckpoint,
  readCheckpointFile,
  type SignedCheckpoint,
  startMessage,
} from '../../src/guard/audit-checkpoint.js';
import { type AuditSigner, loadOrCreateAuditKey, readPublicKey } from '../../src/guard/audit-key.js';
import { type Finding, type VerifyReport, verifyAudit } from '../../src/guard/audit-verify.js';
import { hashArguments } from '../../src/guard/decide.js';
import { createTestDatabase, ENGINES, type Engine, type TestDatabase } from '../support/databases.js';
import { cli } from '../support/process.js';
import { startTestServer } from '../support/server.js';

type Db = Kysely<Database>;

function record(i: number): AuditRecord {
  const args = { customerId: `c-${i}` };
  return {
    id: `dec_t${i}_${Math.random().toString(36).slice(2, 10)}`,
    kind: 'decision',
    at: new Date(Date.UTC(2026, 11, 1, 0, 0, i)).toISOString(),
    actor: 'agent:support-bot',
    agent: 'support-bot',
    action: 'tool.call',
    target: 'crm.lookup',
    decision: 'allow',
    reasons: [{ policy: 'builtin/archetype-tools/support-agent', effect: 'permit' }],
    monitor: [],
    policyVersion: 3,
    argumentsHash: hashArguments(args, ['customer-records']),
    arguments: args,
    dataDomains: ['customer-records'],
    taskId: null,
    approvalId: null,
    detail: {},
  };
}

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

it('names 17 kinds of tampering', () => {
  expect(TAMPERS).toHaveLength(17);
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
      if (!t.missedBefore) return;
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
      expect(latest?.body.chains.find((c) => c.id === chain)?.head.seq).toBe(2);
    } finally {
      if (closed) await t.database.drop();
      else await t.close();
    }
  });
});
