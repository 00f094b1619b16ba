// What the outside witness (a checkpoint file and the public key, docs/audit.md) proves against a
// database writer: a restore of an older backup whole (every chain consistent, its own older signed
// checkpoints in place) is named against the later checkpoint file; a checkpoint file whose unsigned
// summary was edited is refused rather than read as it says.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/adapter.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { type AuditRecord, AuditWriter } from '../../src/guard/audit.js';
import { createCheckpointer } from '../../src/guard/audit-checkpoint.js';
import { loadOrCreateAuditKey } from '../../src/guard/audit-key.js';
import { createAuditReader } from '../../src/guard/audit-reader.js';
import { decisionRecord } from '../support/audit.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { cli } from '../support/process.js';

describe('the outside witness', () => {
  let db: TestDatabase | undefined;
  let handle: DatabaseHandle | undefined;
  afterEach(async () => {
    await handle?.destroy();
    await db?.drop();
    handle = undefined;
    db = undefined;
  });

  /** Chain A with 4 entries and a signed checkpoint, then a backup; then 4 more in A, a new chain B,
   *  a checkpoint, and the witness's file exported with the CLI. */
  async function setup() {
    db = await createTestDatabase('sqlite');
    handle = db.open();
    await migrateToLatest(handle);
    const key = loadOrCreateAuditKey(path.join(db.dir, 'audit-signing-key.pem'));
    const publicKey = path.join(db.dir, 'public.pem');
    fs.writeFileSync(publicKey, key.publicKeyPem);
    const checkpoints = createCheckpointer({ db: handle.db, signer: key, node: 'n', onProblem: () => undefined });
    const a = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
    for (let i = 1; i <= 4; i++) await a.append(decisionRecord(i));
    await checkpoints.checkpointNow();
    const backup = path.join(db.dir, 'backup.db');
    await sql`VACUUM INTO ${backup}`.execute(handle.db);
    for (let i = 5; i <= 8; i++) await a.append(decisionRecord(i));
    const b = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
    await b.append(decisionRecord(1));
    await checkpoints.checkpointNow();
    await a.close();
    await b.close();
    const env = { PATH: process.env.PATH, FULCRUM_DATA_DIR: db.dir };
    const witness = path.join(db.dir, 'witness.json');
    const exported = await cli(env, 'audit', 'checkpoint', '-o', witness);
    expect(exported.code, exported.stderr).toBe(0);
    return { env, witness, publicKey, backup, a: a.chainId, b: b.chainId };
  }

  it('names an older backup restored whole: the chains it cut short and the chain it does not have', async () => {
    const w = await setup();
    await handle?.destroy();
    handle = undefined;
    const live = path.join(db?.dir as string, 'fulcrum.db');
    for (const f of [live, `${live}-wal`, `${live}-shm`]) fs.rmSync(f, { force: true });
    fs.copyFileSync(w.backup, live);
    // On its own, the restored database is consistent, and its signed checkpoint verifies.
    const alone = await cli(w.env, 'audit', 'verify', '--public-key', w.publicKey);
    expect(alone.code, alone.stderr).toBe(0);
    const r = await cli(w.env, 'audit', 'verify', '--public-key', w.publicKey, '--checkpoint', w.witness);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `audit log BROKEN at chain ${w.a} entry 5 (-): the chain ends at entry 4 but the signed checkpoint`,
    );
    expect(r.stderr).toMatch(/goes to entry 8: entries 5–8 were deleted \[truncated\]/);
    expect(r.stderr).toContain(`audit log BROKEN at chain ${w.b} entry 1 (-): every entry of the chain is gone`);
  });

  it('refuses a checkpoint file whose summary was edited, though its signed payload is intact', async () => {
    const w = await setup();
    const file = JSON.parse(fs.readFileSync(w.witness, 'utf8'));
    expect(file.summary).toMatchObject({ chains: 2, entries: 9 });
    file.summary.entries = 12;
    const edited = path.join(db?.dir as string, 'edited.json');
    fs.writeFileSync(edited, JSON.stringify(file));
    const r = await cli(w.env, 'audit', 'verify', '--public-key', w.publicKey, '--checkpoint', edited);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /edited\.json: its summary .*"entries":12.* is not what its signed payload says .*"entries":9.*: the file was edited/,
    );
    const ok = await cli(w.env, 'audit', 'verify', '--public-key', w.publicKey, '--checkpoint', w.witness);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('walks the log once for readers asking at once (GET /v1/audit/verify), and afresh after', async () => {
    await setup();
    const reader = createAuditReader(
      (handle as DatabaseHandle).db,
      loadOrCreateAuditKey(path.join(db?.dir as string, 'audit-signing-key.pem')),
    );
    const viewer = { type: 'admin', id: 'admin' } as const;
    const asked = await Promise.all(Array.from({ length: 5 }, () => reader.verify(viewer)));
    expect(asked[0]).toMatchObject({ ok: true, entries: 9 });
    for (const r of asked) expect(r).toBe(asked[0]);
    const later = await reader.verify(viewer);
    expect(later).not.toBe(asked[0]);
    expect(later).toEqual(asked[0]);
  });
});
