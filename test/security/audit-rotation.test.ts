// A key rotation done as docs/audit.md says: `audit verify` with the new public key passes, and says
// how many of the old key's checkpoints it passed over — it used to report each of them as a forgery
// (exit 1) until they were pruned, a hundred checkpoints later. Both engines.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { type AuditRecord, AuditWriter } from '../../src/guard/audit.js';
import { createCheckpointer, latestCheckpoint } from '../../src/guard/audit-checkpoint.js';
import { type AuditSigner, loadOrCreateAuditKey } from '../../src/guard/audit-key.js';
import { verifyAudit } from '../../src/guard/audit-verify.js';
import { decisionRecord } from '../support/audit.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';
import { cli } from '../support/process.js';
import { startNode } from '../support/server.js';

describe.each(ENGINES)('audit verify after a key rotation on %s', (engine) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  it('passes with the new key and names the old key’s checkpoints, library and CLI; a later one of another key is still a finding', async () => {
    db = await createTestDatabase(engine);
    const handle = db.open();
    try {
      await migrateToLatest(handle);
      const oldKey = loadOrCreateAuditKey(path.join(db.dir, 'old-key.pem'));
      const newKey = loadOrCreateAuditKey(path.join(db.dir, 'audit-signing-key.pem'));
      const node = (signer: AuditSigner, rotateKey = false) =>
        createCheckpointer({ db: handle.db, signer, node: 'n', rotateKey, onProblem: () => undefined });
      const w = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
      const before = node(oldKey);
      for (let i = 1; i <= 3; i++) {
        await w.append(decisionRecord(i));
        await before.checkpointNow();
      }
      // The rotation: the new key's first checkpoint, then more entries under it.
      expect((await node(newKey, true).checkpointNow())?.keyId).toBe(newKey.keyId);
      await w.append(decisionRecord(4));
      await node(newKey).checkpointNow();
      await w.close();

      const report = await verifyAudit(handle.db, { verifier: newKey });
      expect(report, JSON.stringify(report.findings)).toMatchObject({
        ok: true,
        entries: 4,
        findings: [],
        earlierKeys: { [oldKey.keyId]: 3 },
      });
      const env = {
        PATH: process.env.PATH,
        FULCRUM_DATA_DIR: db.dir,
        ...(db.url ? { FULCRUM_DATABASE_URL: db.url } : {}),
      };
      const res = await cli(env, 'audit', 'verify');
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(
        `3 checkpoint(s) signed with key ${oldKey.keyId} before key ${newKey.keyId} signed (a key rotation): not checked with this key`,
      );

      // A row naming another key after the new key's first checkpoint is what a database writer inserts
      // to stop the signing (docs/audit.md): still named.
      const payload = (await latestCheckpoint(handle.db, newKey))?.checkpoint.payload ?? '';
      await sql`INSERT INTO audit_signed_checkpoints (at, node, key_id, payload, signature)
        VALUES (${new Date().toISOString()}, 'forger', ${oldKey.keyId}, ${payload}, ${oldKey.sign(payload)})`.execute(handle.db);
      const after = await verifyAudit(handle.db, { verifier: newKey });
      expect(after.ok).toBe(false);
      expect(after.findings).toEqual([expect.objectContaining({ kind: 'checkpoint-forged' })]);
      // With a key that signed nothing here, every checkpoint is a finding, as before.
      const stranger = loadOrCreateAuditKey(path.join(db.dir, 'stranger.pem'));
      expect((await verifyAudit(handle.db, { verifier: stranger })).findings).toHaveLength(6);
      expect(fs.existsSync(path.join(db.dir, 'audit-signing-key.pem'))).toBe(true);
    } finally {
      await handle.destroy();
    }
  });

  // Found by review: which checkpoints were an earlier key's was read from the key_id column, outside
  // what is signed. A database writer who edited this key's first checkpoint and relabelled its row
  // with the old key's id had it passed over as the old key's, not reported. The key a checkpoint
  // names is read from its signed payload, and a row whose column says otherwise is a finding.
  it('reports a checkpoint of this key relabelled as the earlier key’s', async () => {
    db = await createTestDatabase(engine);
    const handle = db.open();
    try {
      await migrateToLatest(handle);
      const oldKey = loadOrCreateAuditKey(path.join(db.dir, 'old-key.pem'));
      const newKey = loadOrCreateAuditKey(path.join(db.dir, 'audit-signing-key.pem'));
      const node = (signer: AuditSigner, rotateKey = false) =>
        createCheckpointer({ db: handle.db, signer, node: 'n', rotateKey, onProblem: () => undefined });
      const w = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
      await w.append(decisionRecord(1));
      await node(oldKey).checkpointNow();
      await w.append(decisionRecord(2));
      await node(newKey, true).checkpointNow();
      await w.append(decisionRecord(3));
      await node(newKey).checkpointNow();
      await w.close();
      const rows = await handle.db.selectFrom('audit_signed_checkpoints').select(['id', 'payload']).orderBy('id').execute();
      const first = rows[1] as { id: number; payload: string };
      // The new key's first checkpoint, edited (its time), and its row relabelled as the old key's.
      await handle.db
        .updateTable('audit_signed_checkpoints')
        .set({ key_id: oldKey.keyId, payload: first.payload.replace(/"at":"[^"]+"/, '"at":"2020-01-01T00:00:00.000Z"') })
        .where('id', '=', first.id)
        .execute();
      const report = await verifyAudit(handle.db, { verifier: newKey });
      expect(report.ok).toBe(false);
      expect(report.earlierKeys).toEqual({ [oldKey.keyId]: 1 });
      expect(report.findings).toEqual([
        expect.objectContaining({
          kind: 'checkpoint-forged',
          problem: expect.stringMatching(`its row says key ${oldKey.keyId}, its signed payload key ${newKey.keyId}`),
        }),
      ]);
    } finally {
      await handle.destroy();
    }
  });
});

describe('a node restarted without its signing key', () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  it('does not start with a new key of its own while the database holds checkpoints, unless rotating', async () => {
    db = await createTestDatabase('sqlite');
    const first = await startNode(db);
    const signedWith = first.app.auditKey.keyId;
    await first.server.close();
    await first.app.close(); // signs a checkpoint at shutdown
    const keyFile = path.join(db.dir, 'audit-signing-key.pem');
    fs.rmSync(keyFile); // a secret not mounted, a wrong path, a data directory restored without it
    await expect(startNode(db)).rejects.toThrow(
      `the audit signing key ${keyFile} does not exist, but the database's checkpoints are signed with key ${signedWith}`,
    );
    expect(fs.existsSync(keyFile)).toBe(false);
    const rotated = await startNode(db, { auditKeyRotate: true });
    try {
      expect(rotated.app.auditKey.keyId).not.toBe(signedWith);
      expect(fs.existsSync(keyFile)).toBe(true);
    } finally {
      await rotated.server.close();
      await rotated.app.close();
    }
  });
});
