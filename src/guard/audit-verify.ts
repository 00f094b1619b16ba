// Walks audit chains and recomputes every hash: a changed, inserted or removed entry breaks the
// chain at that entry. Works on the database (the server may be stopped) and on the chain segments
// of an evidence export.
import type { Kysely } from 'kysely';
import type { AuditEntryTable, Database } from '../db/schema.js';
import { entryHash, GENESIS } from './audit.js';
import { hashArguments } from './decide.js';

export interface VerifyReport {
  ok: boolean;
  chains: number;
  entries: number;
  broken?: { chainId: string; seq: number; id: string; problem: string };
}

/** Where a chain starts: seq 1 after the genesis hash, or after a retention checkpoint. */
export interface ChainStart {
  seq: number;
  hash: string;
}

/** Checks consecutive rows of one chain from `start`; returns the first problem, or where it ended. */
export function verifyRows(
  chainId: string,
  rows: Iterable<AuditEntryTable>,
  start: ChainStart,
): { ok: true; next: ChainStart; count: number } | { ok: false; broken: NonNullable<VerifyReport['broken']>; count: number } {
  let prev = start.hash;
  let expected = start.seq + 1;
  let count = 0;
  for (const row of rows) {
    const { hash, ...rest } = row;
    const at = { chainId, seq: row.seq, id: row.id };
    if (row.seq !== expected) return { ok: false, broken: { ...at, problem: `entry ${expected} is missing` }, count };
    if (row.prev_hash !== prev) return { ok: false, broken: { ...at, problem: 'does not follow the previous entry' }, count };
    if (entryHash(rest) !== hash) return { ok: false, broken: { ...at, problem: 'content does not match its hash' }, count };
    if (row.arguments !== null && hashArguments(JSON.parse(row.arguments), JSON.parse(row.data_domains)) !== row.arguments_hash)
      return { ok: false, broken: { ...at, problem: 'arguments do not match their hash' }, count };
    prev = hash;
    expected++;
    count++;
  }
  return { ok: true, next: { seq: expected - 1, hash: prev }, count };
}

const PAGE = 5000;

export async function verifyAudit(db: Kysely<Database>): Promise<VerifyReport> {
  const chainRows = await db.selectFrom('audit_entries').select('chain_id').distinct().orderBy('chain_id').execute();
  const checkpoints = new Map((await db.selectFrom('audit_checkpoints').selectAll().execute()).map((c) => [c.chain_id, c]));
  let entries = 0;
  for (const { chain_id: chainId } of chainRows) {
    // Retention removed the entries up to a checkpoint: the chain goes on from its hash.
    const checkpoint = checkpoints.get(chainId);
    let start: ChainStart = { seq: checkpoint?.seq ?? 0, hash: checkpoint?.hash ?? GENESIS };
    for (;;) {
      const page = await db
        .selectFrom('audit_entries')
        .selectAll()
        .where('chain_id', '=', chainId)
        .where('seq', '>', start.seq)
        .orderBy('seq')
        .limit(PAGE)
        .execute();
      const r = verifyRows(chainId, page, start);
      entries += r.count;
      if (!r.ok) return { ok: false, chains: chainRows.length, entries, broken: r.broken };
      start = r.next;
      if (page.length < PAGE) break;
    }
  }
  return { ok: true, chains: chainRows.length, entries };
}
