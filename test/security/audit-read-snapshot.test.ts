// A long audit read (verify walks every entry in one snapshot) never holds back decisions: on SQLite
// it reads through a second, read-only connection, on PostgreSQL in its own REPEATABLE READ transaction.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { gate } from '../support/pause.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.each(ENGINES)('reading the audit log in one snapshot on %s', (engine) => {
  let t: TestServer;
  let key: string;
  const decide = () =>
    t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'C-1' } },
    });

  beforeAll(async () => {
    t = await startTestServer(engine);
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
    expect((await decide()).json().decision).toBe('allow');
  });
  afterAll(async () => t?.close());

  it('answers decisions while a snapshot read is open, and the snapshot does not see them', async () => {
    const { db, adapter } = t.app.database;
    const open = gate();
    const count = (q: typeof db) =>
      q
        .selectFrom('audit_entries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', 'decision')
        .executeTakeFirstOrThrow()
        .then((r) => Number(r.n));
    const snapshot = adapter.readSnapshot(db, async (trx) => {
      const before = await count(trx as never);
      await open.stop(); // the snapshot stays open until the decisions below have been answered
      return { before, after: await count(trx as never) };
    });
    await open.reached;
    for (let i = 0; i < 3; i++) expect((await decide()).json().decision).toBe('allow');
    open.release();
    const seen = await snapshot;
    expect(seen.after).toBe(seen.before);
    expect(await count(db)).toBe(seen.before + 3);
  });
});
