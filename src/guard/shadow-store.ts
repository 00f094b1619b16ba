// Shadow agents: identities seen acting without a valid registration (unknown or revoked keys,
// and later MCP and telemetry). One row per identity, counted with an atomic upsert.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export type ShadowSource = 'unknown-key' | 'revoked-key' | 'mcp' | 'telemetry';

export interface ShadowAgent {
  identity: string;
  source: string;
  detail: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
}

export function createShadowStore(db: Kysely<Database>) {
  return {
    async record(identity: string, source: ShadowSource, detail: string, now = new Date().toISOString()): Promise<void> {
      await db
        .insertInto('shadow_agents')
        .values({ identity, source, detail, first_seen: now, last_seen: now, count: 1 })
        .onConflict((oc) =>
          oc.column('identity').doUpdateSet((eb) => ({ last_seen: now, count: eb('shadow_agents.count', '+', 1), detail })),
        )
        .execute();
    },

    async list(): Promise<ShadowAgent[]> {
      const rows = await db.selectFrom('shadow_agents').selectAll().orderBy('last_seen', 'desc').execute();
      return rows.map((r) => ({
        identity: r.identity,
        source: r.source,
        detail: r.detail,
        firstSeen: r.first_seen,
        lastSeen: r.last_seen,
        count: r.count,
      }));
    },
  };
}
