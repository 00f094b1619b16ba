// A key issued while its Agent is being deleted, on two nodes of one PostgreSQL: deleting an Agent
// revokes all of its keys in the registry write's transaction, so a key whose issue read the Agent
// before that write and stored it after must not outlive the deletion (it worked again for the next
// Agent registered under that name). The issue is held, by a plugin on its node's database, right
// after it read the Agent, while the other node deletes it.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { finishedOrWaitingOnLock, pauseQuery } from '../support/pause.js';
import { ADMIN_TOKEN, startNode } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const lookup = { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c-1' }, dataDomains: ['customer-records'] };

describe.skipIf(!ENGINES.includes('postgres'))('a key issued while its Agent is deleted (postgres)', () => {
  type Node = Awaited<ReturnType<typeof startNode>>;
  let database: TestDatabase;
  const nodes: Node[] = [];
  // Armed by the test: stops the issuing node (0) right after it read Agent `race-bot`.
  let pause = pauseQuery({ query: () => false });
  const issuing = () => nodes[0] as Node;
  const other = () => nodes[1] as Node;
  const inject = (node: Node, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object, token = ADMIN_TOKEN) =>
    node.server.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    nodes.push(
      await startNode(
        database,
        { registryPollMs: 100 },
        { transformQuery: (a) => pause.plugin.transformQuery(a), transformResult: (a) => pause.plugin.transformResult(a) },
      ),
    );
    nodes.push(await startNode(database, { registryPollMs: 100 }));
    expect((await inject(other(), 'POST', '/v1/apply', { files: readBundle(MINI) })).statusCode).toBe(200);
  });
  afterAll(async () => {
    for (const n of nodes) {
      await n.server.close();
      await n.app.close();
    }
    await database?.drop();
  });

  it('never leaves a live key behind a deleted Agent, whichever commits first', async () => {
    const spec = (await inject(other(), 'GET', '/v1/agents/support-bot-eu')).json().spec;
    expect((await inject(other(), 'PUT', '/v1/agents/race-bot', { spec })).statusCode).toBe(201);
    pause = pauseQuery({
      query: (node) =>
        node.kind === 'SelectQueryNode' &&
        JSON.stringify(node).includes('"registry_objects"') &&
        JSON.stringify(node).includes('"race-bot"'),
    });
    const issued = inject(issuing(), 'POST', '/v1/agents/race-bot/keys', { description: 'race' });
    await pause.paused;
    // The other node deletes the Agent: done, or waiting for a lock the issue holds.
    const { done: deleting } = await finishedOrWaitingOnLock(
      other().app.database.db,
      inject(other(), 'DELETE', '/v1/agents/race-bot'),
      'the deletion to commit or wait for the issue',
    );
    pause.release();
    const [issue, deletion] = await Promise.all([issued, deleting]);
    expect(deletion.statusCode, deletion.body).toBe(204);
    // Registered again under the same name: a key issued before the deletion is revoked, one refused is none.
    expect((await inject(other(), 'PUT', '/v1/agents/race-bot', { spec })).statusCode).toBe(201);
    const keys = (await inject(other(), 'GET', '/v1/agents/race-bot/keys')).json().items;
    expect(keys.filter((k: { revokedAt: string | null }) => k.revokedAt === null)).toEqual([]);
    if (issue.statusCode === 201) {
      const decided = await inject(other(), 'POST', '/v1/decisions', lookup, issue.json().key);
      expect(decided.statusCode, decided.body).toBe(401);
    } else expect(issue.statusCode, issue.body).toBe(404);
  });
});
