// GET /v1/costs by initiative or business unit joins the rollups to the registry's agent → key map, one
// JSON parameter read as a table (adapter.objectEntries). On SQLite json_each has no index: joined as it
// was, it was walked whole for every rollup row of the window, and 5,000 registered agents over 20 days
// held the one connection (and the event loop) for 30 s. The map is read once into a table SQLite
// indexes for the join.
import { CompiledQuery, createQueryId, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/adapter.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { queryCosts } from '../../src/evidence/costs.js';
import type { RegistrySnapshot } from '../../src/registry/model.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

const registry = {
  list: () => Array.from({ length: 50 }, (_, i) => ({ name: `agent-${i}`, spec: { initiative: `initiative-${i % 5}` } })),
  get: (_kind: string, name: string) => ({ spec: { businessUnit: `unit-of-${name}` } }),
} as unknown as RegistrySnapshot;

describe('GET /v1/costs, grouped through the registry (SQLite)', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    handle = database.open();
    await migrateToLatest(handle);
  });
  afterAll(async () => {
    await handle?.destroy();
    await database?.drop();
  });

  it.each(['initiative', 'business-unit'] as const)(
    'by %s, reads the agent → key map once, not per rollup row',
    async (groupBy) => {
      const sent: CompiledQuery[] = [];
      const capture: KyselyPlugin = {
        transformQuery: ({ node }) => {
          sent.push(handle.db.getExecutor().compileQuery(node, createQueryId()));
          return node;
        },
        transformResult: async ({ result }) => result,
      };
      await queryCosts(handle.db.withPlugin(capture), registry, { groupBy, from: '2026-11-01', to: '2026-11-30', limit: 5 });
      const query = sent.at(-1) as CompiledQuery;
      const plan = await handle.db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters]),
      );
      const details = plan.rows.map((r) => r.detail);
      // The left join's inner side is looked up by key (an index), never scanned per row.
      expect(details.filter((d) => d.includes('LEFT-JOIN')).join('\n')).not.toMatch(/^SCAN /m);
      expect(
        details.some((d) => /LEFT-JOIN/.test(d) && /INDEX/.test(d)),
        details.join('\n'),
      ).toBe(true);
    },
  );
});
