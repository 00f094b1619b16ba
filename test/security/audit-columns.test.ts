// Every column of an audit entry, changed alone with raw SQL as a database writer would, is named by
// `audit verify` at that entry — and so is a change of text that reads as the same JSON value to
// JavaScript but not to another reader (a duplicated key). Both engines.
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/adapter.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { type AuditRecord, AuditWriter } from '../../src/guard/audit.js';
import { type AuditSigner, loadOrCreateAuditKey } from '../../src/guard/audit-key.js';
import { type TamperKind, verifyAudit } from '../../src/guard/audit-verify.js';
import { hashArguments } from '../../src/guard/decide.js';
import { decisionRecord } from '../support/audit.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';

/** Entry 2's column, its new value, and what verify must say. */
const CHANGES: Array<[column: string, value: unknown, kind: TamperKind, seq?: number]> = [
  ['id', 'dec_forged', 'content-changed'],
  ['kind', 'approval.approved', 'content-changed'],
  ['at', '2026-12-01T00:00:01.001Z', 'content-changed'],
  ['actor', 'person:mallory', 'content-changed'],
  ['agent', null, 'content-changed'],
  ['action', 'model.call', 'content-changed'],
  ['target', 'crm.refund', 'content-changed'],
  ['decision', 'deny', 'content-changed'],
  ['reasons', '[]', 'content-changed'],
  ['monitor', '[{"policy":"x"}]', 'content-changed'],
  ['policy_version', 4, 'content-changed'],
  ['arguments_hash', '0'.repeat(64), 'content-changed'],
  ['data_domains', '[]', 'content-changed'],
  ['task_id', 'task-1', 'content-changed'],
  ['approval_id', 'apr_x', 'content-changed'],
  ['detail', '{"initiative":"other"}', 'content-changed'],
  ['prev_hash', '1'.repeat(64), 'link-broken'],
  ['hash', '2'.repeat(64), 'content-changed'],
  ['arguments', '{"customerId":"c-9"}', 'arguments-changed'],
  // Read by JSON.parse as the same value, by a first-key-wins reader (or a person) as c-9.
  ['arguments', '{"customerId":"c-9","customerId":"c-2"}', 'arguments-changed'],
  ['arguments', '{"customerId":"\\u0063-2"}', 'arguments-changed'],
  // The same keys in another order, the same text in another Unicode normal form: other text, another hash.
  ['detail', '{"b":1,"a":2}', 'content-changed'],
  ['actor', 'agent:support-bot\u0301', 'content-changed'],
  ['seq', 7, 'missing-entry', 3],
];

describe.each(ENGINES)('each column of an audit entry changed alone, on %s', (engine) => {
  let db: TestDatabase;
  let handle: DatabaseHandle;
  let key: AuditSigner;
  let chain: string;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    handle = db.open();
    await migrateToLatest(handle);
    key = loadOrCreateAuditKey(path.join(db.dir, 'audit-signing-key.pem'));
    const w = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
    for (let i = 1; i <= 3; i++) await w.append({ ...decisionRecord(i), detail: { a: 2, b: 1 } });
    await w.close();
    chain = w.chainId;
  });
  afterAll(async () => {
    await handle?.destroy();
    await db?.drop();
  });

  it.each(CHANGES)('%s = %j is named', async (column, value, kind, seq = 2) => {
    const at = column === 'seq' ? value : 2;
    const before = await sql<
      Record<string, unknown>
    >`SELECT ${sql.ref(column)} AS v FROM audit_entries WHERE chain_id = ${chain} AND seq = 2`.execute(handle.db);
    await sql`UPDATE audit_entries SET ${sql.ref(column)} = ${value} WHERE chain_id = ${chain} AND seq = 2`.execute(handle.db);
    try {
      const report = await verifyAudit(handle.db, { verifier: key });
      expect(report.findings).toEqual([expect.objectContaining({ chainId: chain, seq, kind })]);
    } finally {
      await sql`UPDATE audit_entries SET ${sql.ref(column)} = ${before.rows[0]?.v} WHERE chain_id = ${chain} AND seq = ${at}`.execute(
        handle.db,
      );
    }
  });

  it('honest entries verify whatever JSON their arguments hold (the text written reads back to itself)', async () => {
    const tricky: unknown[] = [
      { b: 1, a: 2, 10: 'x', 2: 'y' },
      { n: [1e21, -0, 0.1, 5e-324, 1.0, 2 ** 53 + 1], s: 'é e\u0301 \ud800 \u2028 "\\' },
      { nested: { deep: [[[{ '': null }]]] }, ['__proto__']: { polluted: true } },
      [],
      'text',
    ];
    const w = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
    for (const [i, args] of tricky.entries()) {
      const r = decisionRecord(10 + i);
      await w.append({ ...r, arguments: args, argumentsHash: hashArguments(args, r.dataDomains) });
    }
    await w.close();
    expect(await verifyAudit(handle.db, { verifier: key })).toMatchObject({ ok: true, entries: 3 + tricky.length, findings: [] });
    await handle.db.deleteFrom('audit_entries').where('chain_id', '=', w.chainId).execute();
    await handle.db.deleteFrom('audit_chains').where('id', '=', w.chainId).execute();
  });

  it('the untouched log verifies', async () => {
    expect(await verifyAudit(handle.db, { verifier: key })).toMatchObject({ ok: true, entries: 3, findings: [] });
  });
});
