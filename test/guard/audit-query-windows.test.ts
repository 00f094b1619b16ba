// GET /v1/audit with a filter no index serves (`decision`, `kind`) reads the log window by window,
// newest first (src/guard/audit-query.ts): the same entries in the same order as one statement would
// give, ties on `at` at a window's edge included, and the event loop gets turns during a read that
// finds nothing in a large log (one statement over it held the node: 240–300 ms per 100,000 entries).
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { type AuditRecord, AuditWriter } from '../../src/guard/audit.js';
import { type AuditQuery, queryAudit } from '../../src/guard/audit-query.js';
import { decisionRecord } from '../support/audit.js';
import { ENGINES, perTestDatabases } from '../support/databases.js';
import { timerFiresDuring } from '../support/pause.js';

const dbs = perTestDatabases();

/** 2,600 entries: every 7th a deny, every 13th another agent's, five to each `at` (ties across windows). */
async function log(engine: (typeof ENGINES)[number]) {
  const handle = dbs.open(await dbs.create(engine));
  await migrateToLatest(handle);
  const w = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
  const at = (i: number) => new Date(Date.UTC(2026, 11, 1) + Math.floor(i / 5) * 1000).toISOString();
  for (let from = 1; from <= 2600; from += 500)
    await Promise.all(
      Array.from({ length: Math.min(500, 2601 - from) }, (_, k) => {
        const i = from + k;
        const r = decisionRecord(i, at(i));
        return w.append({
          ...r,
          ...(i % 7 === 0 ? { decision: 'deny' as const } : {}),
          ...(i % 13 === 0 ? { agent: 'other-bot' } : {}),
        });
      }),
    );
  await w.close();
  return handle.db;
}

describe.each(ENGINES)('audit queries read in windows (%s)', (engine) => {
  it('answer what one statement over the whole log answers', async () => {
    const db = await log(engine);
    const oneStatement = async (q: AuditQuery) => {
      const where = [
        q.agent ? sql`agent = ${q.agent}` : sql`1=1`,
        q.decision ? sql`decision = ${q.decision}` : sql`1=1`,
        q.kind ? sql`kind = ${q.kind}` : sql`1=1`,
        q.since ? sql`at >= ${q.since}` : sql`1=1`,
        q.until ? sql`at < ${q.until}` : sql`1=1`,
      ];
      const r = await sql<{ id: string }>`SELECT id FROM audit_entries WHERE ${sql.join(where, sql` AND `)}
        ORDER BY at DESC, seq DESC LIMIT ${q.limit}`.execute(db);
      return r.rows.map((x) => x.id);
    };
    const cases: AuditQuery[] = [
      { decision: 'deny', limit: 1000 },
      { decision: 'deny', limit: 5 },
      { decision: 'allow', limit: 1000 },
      { decision: 'deny', agent: 'other-bot', limit: 1000 },
      { kind: 'decision', limit: 1000, since: '2026-12-01T00:01:00.000Z', until: '2026-12-01T00:07:00.000Z' },
      { decision: 'approval_required', limit: 10 },
      { kind: 'decision', limit: 3, until: '2026-12-01T00:00:02.000Z' },
    ];
    for (const q of cases) {
      const want = await oneStatement(q);
      const got = (await queryAudit(db, q)).map((e) => e.id);
      expect(got, JSON.stringify(q)).toEqual(want);
    }
    expect((await queryAudit(db, { decision: 'deny', limit: 1000 })).length).toBe(Math.floor(2600 / 7));
  }, 60_000);

  it('gives the event loop turns while a filter finds nothing in a large log', async () => {
    const db = await log(engine);
    const read = await timerFiresDuring(() => queryAudit(db, { decision: 'approval_required', limit: 100 }));
    expect(read.result).toEqual([]);
    expect(read.fired).toBe(true);
  }, 60_000);
});
