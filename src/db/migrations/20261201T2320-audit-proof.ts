// The audit log proves itself (docs/audit.md): each chain records its head in the same transaction
// as its entries, a retention start carries a signature, and signed checkpoints over every chain
// are kept. Heads of existing chains are filled in from their entries (or their retention start).
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

const GENESIS = '0'.repeat(64);

export function up(adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .alterTable('audit_chains')
      .addColumn('head_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('audit_chains')
      .addColumn('head_hash', 'text', (c) => c.notNull().defaultTo(GENESIS))
      .execute();
    await sql`UPDATE audit_chains SET head_seq = (SELECT MAX(seq) FROM audit_entries e WHERE e.chain_id = audit_chains.id)
      WHERE EXISTS (SELECT 1 FROM audit_entries e WHERE e.chain_id = audit_chains.id)`.execute(db);
    await sql`UPDATE audit_chains SET head_hash = (SELECT hash FROM audit_entries e
      WHERE e.chain_id = audit_chains.id AND e.seq = audit_chains.head_seq) WHERE head_seq > 0`.execute(db);
    // A chain retention emptied ends where its retention start is.
    await sql`UPDATE audit_chains
      SET head_seq = (SELECT seq FROM audit_checkpoints c WHERE c.chain_id = audit_chains.id),
          head_hash = (SELECT hash FROM audit_checkpoints c WHERE c.chain_id = audit_chains.id)
      WHERE head_seq = 0 AND EXISTS (SELECT 1 FROM audit_checkpoints c WHERE c.chain_id = audit_chains.id)`.execute(db);

    // Ed25519 over chain_id, seq and hash of the retention start; NULL for starts written before.
    await db.schema.alterTable('audit_checkpoints').addColumn('signature', 'text').execute();
    // The starts that exist now were written before starts were signed: only these may be taken
    // on trust by the first checkpoint. An unsigned start that appears later is a forgery.
    await db.schema
      .alterTable('audit_checkpoints')
      .addColumn('legacy', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`UPDATE audit_checkpoints SET legacy = 1`.execute(db);

    await db.schema
      .createTable('audit_signed_checkpoints')
      .addColumn('id', adapter.autoIncrementType, (c) => adapter.autoIncrement(c))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('node', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .execute();
  };
}
