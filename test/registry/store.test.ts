// Registry storage on every engine: rows round-trip, the revision counts, migrations are idempotent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/adapter.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createRegistryStore } from '../../src/registry/registry-store.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';

describe.each(ENGINES)('registry store on %s', (engine) => {
  let tdb: TestDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    handle = tdb.open();
    await migrateToLatest(handle);
  });
  afterAll(async () => {
    await handle.destroy();
    await tdb.drop();
  });

  it('migrating twice applies nothing the second time', async () => {
    expect((await migrateToLatest(handle)).applied).toEqual([]);
  });

  it('stores, updates and deletes descriptors with their generation', async () => {
    const store = createRegistryStore(handle.db);
    const spec = { title: 'Customer Operations', owner: 'dana.lee', nested: { list: [1, 'two', { three: true }] } };
    await store.insert(
      { kind: 'BusinessUnit', name: 'cust-ops', labels: { tier: 'core' }, spec: spec as never },
      '2026-11-28T10:00:00.000Z',
    );
    const got = await store.get('BusinessUnit', 'cust-ops');
    expect(got).toEqual({
      kind: 'BusinessUnit',
      name: 'cust-ops',
      labels: { tier: 'core' },
      spec,
      generation: 1,
      createdAt: '2026-11-28T10:00:00.000Z',
      updatedAt: '2026-11-28T10:00:00.000Z',
    });
    await store.update(
      { kind: 'BusinessUnit', name: 'cust-ops', labels: {}, spec: { title: 'CX' } as never },
      '2026-11-28T11:00:00.000Z',
    );
    const updated = await store.get('BusinessUnit', 'cust-ops');
    expect(updated?.generation).toBe(2);
    expect(updated?.spec).toEqual({ title: 'CX' });
    expect(updated?.updatedAt).toBe('2026-11-28T11:00:00.000Z');
    expect(await store.list('BusinessUnit')).toHaveLength(1);
    await store.remove('BusinessUnit', 'cust-ops');
    expect(await store.get('BusinessUnit', 'cust-ops')).toBeUndefined();
  });

  it('writes many descriptors a statement: new ones inserted, changed ones counted up with their creation kept', async () => {
    const store = createRegistryStore(handle.db);
    const tool = (i: number, label: string) => ({
      kind: 'Tool' as const,
      name: `bulk.tool_${i}`,
      labels: { v: label },
      spec: { system: 'bulk', effect: 'read', n: i } as never,
    });
    // 300 rows: more than one statement's 256.
    await store.upsertAll(
      Array.from({ length: 300 }, (_, i) => tool(i, 'a')),
      '2026-12-03T01:00:00.000Z',
    );
    await store.upsertAll(
      [...Array.from({ length: 290 }, (_, i) => tool(i + 10, 'b')), tool(300, 'b')],
      '2026-12-03T02:00:00.000Z',
    );
    const tools = new Map((await store.list('Tool')).filter((t) => t.name.startsWith('bulk.')).map((t) => [t.name, t]));
    expect(tools.size).toBe(301);
    expect(tools.get('bulk.tool_0')).toMatchObject({ labels: { v: 'a' }, generation: 1, updatedAt: '2026-12-03T01:00:00.000Z' });
    expect(tools.get('bulk.tool_299')).toEqual({
      kind: 'Tool',
      name: 'bulk.tool_299',
      labels: { v: 'b' },
      spec: { system: 'bulk', effect: 'read', n: 299 },
      generation: 2,
      createdAt: '2026-12-03T01:00:00.000Z',
      updatedAt: '2026-12-03T02:00:00.000Z',
    });
    expect(tools.get('bulk.tool_300')).toMatchObject({ generation: 1, createdAt: '2026-12-03T02:00:00.000Z' });
  });

  it('counts revisions atomically', async () => {
    const store = createRegistryStore(handle.db);
    const before = await store.revision();
    const bumped = await Promise.all([store.bumpRevision(), store.bumpRevision(), store.bumpRevision()]);
    expect(new Set(bumped).size).toBe(3);
    expect(await store.revision()).toBe(before + 3);
  });

  it('keeps the change log newest first', async () => {
    const store = createRegistryStore(handle.db);
    await store.recordChanges(
      [
        { kind: 'Tool', name: 'a', action: 'created' },
        { kind: 'Tool', name: 'b', action: 'deleted' },
      ],
      7,
      'person:dana.lee',
      '2026-11-28T12:00:00.000Z',
    );
    const [latest] = await store.changes(1);
    expect(latest).toMatchObject({ kind: 'Tool', name: 'b', action: 'deleted', revision: 7, actor: 'person:dana.lee' });
  });
});
