// Walks every audit chain and recomputes every hash: a changed, inserted or removed entry breaks
// the chain at that entry. Reads the database directly, so it works with the server stopped.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { entryHash, GENESIS } from './audit.js';
import { hashArguments } from './decide.js';

export interface VerifyReport {
  ok: boolean;
  chains: number;
  entries: number;
  broken?: { chainId: string; seq: number; id: string; problem: string };
}

const PAGE = 5000;

export async function verifyAudit(db: Kysely<Database>): Promise<VerifyReport> {
  const chainRows = await db.selectFrom('audit_entries').select('chain_id').distinct().orderBy('chain_id').execute();
  let entries = 0;
  const checkpoints = new Map((await db.selectFrom('audit_checkpoints').selectAll().execute()).map((c) => [c.chain_id, c]));
  for (const { chain_id: chainId } of chainRows) {
    // Retention removed the entries up to a checkpoint: the chain goes on from its hash.
    const checkpoint = checkpoints.get(chainId);
    let prev = checkpoint?.hash ?? GENESIS;
    let expected = (checkpoint?.seq ?? 0) + 1;
    for (;;) {
      const page = await db
        .selectFrom('audit_entries')
        .selectAll()
        .where('chain_id', '=', chainId)
        .where('seq', '>=', expected)
        .orderBy('seq')
        .limit(PAGE)
        .execute();
      for (const row of page) {
        const { hash, ...rest } = row;
        const at = { chainId, seq: row.seq, id: row.id };
        if (row.seq !== expected)
          return { ok: false, chains: chainRows.length, entries, broken: { ...at, problem: `entry ${expected} is missing` } };
        if (row.prev_hash !== prev)
          return {
            ok: false,
            chains: chainRows.length,
            entries,
            broken: { ...at, problem: 'does not follow the previous entry' },
          };
        if (entryHash(rest) !== hash)
          return { ok: false, chains: chainRows.length, entries, broken: { ...at, problem: 'content does not match its hash' } };
        if (
          row.arguments !== null &&
          hashArguments(JSON.parse(row.arguments), JSON.parse(row.data_domains)) !== row.arguments_hash
        )
          return {
            ok: false,
            chains: chainRows.length,
            entries,
            broken: { ...at, problem: 'arguments do not match their hash' },
          };
        prev = hash;
        expected++;
        entries++;
      }
      if (page.length < PAGE) break;
    }
  }
  return { ok: true, chains: chainRows.length, entries };
}
