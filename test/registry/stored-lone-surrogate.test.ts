// A descriptor stored with a lone UTF-16 surrogate before such text was refused (d8e9c1a): `spec` and
// `labels` are JSON text, which keeps a lone surrogate as the escape `\ud800` on both engines, and
// cedar-wasm cannot read it back. Before migration 20261219T0500 a node on such a database could not
// start (its first policy snapshot failed: "unexpected end of hex escape"); the migration replaces each
// lone surrogate with U+FFFD, what either engine stores for one in text, and the node serves.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repairedJson, up } from '../../src/db/migrations/20261219T0500-registry-lone-surrogates.js';
import { ENGINES, type TestDatabase } from '../support/databases.js';
import { startMini, startNode } from '../support/server.js';

describe('repairing JSON text that holds lone surrogates', () => {
  it('replaces lone surrogates in values and keys, keeps pairs and plain text untouched', () => {
    expect(repairedJson('{"a":"x\\ud800y","b\\udfff":["\\udc00"]}')).toBe('{"a":"x\uFFFDy","b\uFFFD":["\uFFFD"]}');
    expect(repairedJson('{"emoji":"\\ud83d\\ude00"}')).toBeUndefined();
    expect(repairedJson('{"a":"plain \\\\ud800 text"}')).toBeUndefined(); // an escaped backslash, not an escape
    expect(repairedJson('{"a":1}')).toBeUndefined();
  });
});

describe.each(ENGINES)('a descriptor stored with a lone surrogate before it was refused, on %s', (engine) => {
  let database: TestDatabase;
  let key: string;
  let close = async () => {};
  beforeAll(async () => {
    const { t, key: k } = await startMini(engine);
    key = k;
    database = t.database;
    await t.server.close();
    await t.app.close();
    close = () => database.drop();
  });
  afterAll(async () => close());

  it('is repaired by the migration, and the node starts and decides', async () => {
    // The database as an earlier release left it: the Agent's spec and labels hold lone surrogates,
    // and this migration has not run.
    const handle = database.open();
    const row = (
      await sql<{
        spec: string;
        labels: string;
      }>`SELECT spec, labels FROM registry_objects WHERE kind = 'Agent' AND name = 'support-bot-eu'`.execute(handle.db)
    ).rows[0];
    if (!row) throw new Error('support-bot-eu is not in the registry');
    const spec = { ...JSON.parse(row.spec), framework: 'langgraph\ud800' };
    const labels = { ...JSON.parse(row.labels), team: '\udc00ops' };
    await sql`UPDATE registry_objects SET spec = ${JSON.stringify(spec)}, labels = ${JSON.stringify(labels)}
      WHERE kind = 'Agent' AND name = 'support-bot-eu'`.execute(handle.db);
    // The migration as serve runs it at start on such a database (its later siblings ran already
    // here, and Kysely runs none out of order: it is run itself).
    await up(handle.adapter)(handle.db as never);
    await handle.db.destroy();

    const { app, server } = await startNode(database);
    try {
      const decided = await server.inject({
        method: 'POST',
        url: '/v1/decisions',
        headers: { authorization: `Bearer ${key}` },
        payload: {
          action: 'tool.call',
          tool: 'crm.refund',
          arguments: { amount: 5, orderId: 'o-1' },
          dataDomains: ['customer-records'],
        },
      });
      expect(decided.statusCode, decided.body).toBe(200);
      expect(decided.json().decision).toBe('approval_required');
      const agent = await server.inject({
        method: 'GET',
        url: '/v1/agents/support-bot-eu',
        headers: { authorization: 'Bearer fat_test-admin-token' },
      });
      expect(agent.json().spec.framework).toBe('langgraph\uFFFD');
      expect(agent.json().metadata.labels.team).toBe('\uFFFDops');
    } finally {
      await server.close();
      await app.close();
    }
  });
});
