// A verification walks every audit entry; on SQLite its reads are synchronous (better-sqlite3), so a
// walk that never gave the event loop a turn held the node for its whole length: with 100,000 entries
// 1.8–3.7 s in which no decision or health check was answered (bench/audit-verify). It now runs in
// pieces (docs/audit.md "Cost"): a timer due when the walk begins fires before the walk ends.
import path from 'node:path';
import { expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { type AuditRecord, AuditWriter } from '../../src/guard/audit.js';
import { loadOrCreateAuditKey } from '../../src/guard/audit-key.js';
import { segmentChecker, verifyAudit } from '../../src/guard/audit-verify.js';
import { decisionRecord } from '../support/audit.js';
import { perTestDatabases } from '../support/databases.js';
import { timerFiresDuring } from '../support/pause.js';

const dbs = perTestDatabases();

/** A SQLite file (the second, read-only connection is what a walk reads through) with `n` entries in one chain. */
async function logOf(n: number) {
  const db = await dbs.create('sqlite');
  const handle = dbs.open(db);
  await migrateToLatest(handle);
  const w = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
  for (let from = 1; from <= n; from += 1000)
    await Promise.all(Array.from({ length: Math.min(1000, n - from + 1) }, (_, i) => w.append(decisionRecord(from + i))));
  await w.close();
  return { db: handle.db, dir: db.dir, chainId: w.chainId };
}

it('gives the event loop turns while it walks the log (verify, and the segment check retention and exports use)', async () => {
  const log = await logOf(6000);
  const verify = await timerFiresDuring(() => verifyAudit(log.db));
  expect(verify.result).toMatchObject({ ok: true, entries: 6000 });
  expect(verify.fired).toBe(true);

  const key = loadOrCreateAuditKey(path.join(log.dir, 'audit-signing-key.pem'));
  const check = await segmentChecker(log.db, key);
  const segment = await timerFiresDuring(() => check(log.chainId, 6000));
  expect(segment.result).toBeUndefined();
  expect(segment.fired).toBe(true);
}, 60_000);
