// A person's sign-in session (console or `fulcrum login`) carries the roles the registry gives them as
// committed, on every node: roles taken away through one node bind a session used on another at once,
// not after that node's next registry poll (neither node polls during this test).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleSessions } from '../../src/auth/console-sessions.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { ADMIN_TOKEN, startNode } from '../support/server.js';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe.each(ENGINES)('sign-in sessions on two nodes (%s)', (engine) => {
  let database: TestDatabase;
  const nodes: Array<Awaited<ReturnType<typeof startNode>>> = [];

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    for (let i = 0; i < 2; i++) nodes.push(await startNode(database, { registryPollMs: 3_600_000 }));
    const applied = await nodes[0]?.server.inject({
      method: 'POST',
      url: '/v1/apply',
      headers: auth,
      payload: { files: readBundle(path.resolve(import.meta.dirname, '../fixtures/mini')) },
    });
    expect(applied?.statusCode, applied?.body).toBe(200);
  });
  afterAll(async () => {
    for (const n of nodes) {
      await n.server.close();
      await n.app.close();
    }
    await database?.drop();
  });

  it('loses roles taken away through the other node at once', async () => {
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    const put = (node: typeof a, roles: string[]) =>
      node.server.inject({
        method: 'PUT',
        url: '/v1/people/pat.platform',
        headers: auth,
        payload: { spec: { displayName: 'Pat', roles, email: 'pat@acme.example' } },
      });
    // Registered through node B itself, so B's own view has Pat as platform.
    expect((await put(b, ['platform'])).statusCode).toBe(201);
    // A session as sign-in makes one (the same store every node reads).
    const { token } = await createConsoleSessions({ db: b.app.database.db, ttlSeconds: 600 }).create(
      'pat.platform',
      'pat@acme.example',
      'cli',
    );
    const session = { authorization: `Bearer ${token}` };
    const suspend = () =>
      b.server.inject({
        method: 'POST',
        url: '/v1/agents/support-bot-eu/suspend',
        headers: session,
        payload: { reason: 'drill' },
      });
    expect((await suspend()).statusCode).toBe(200);
    expect((await b.server.inject({ method: 'GET', url: '/v1/whoami', headers: session })).json()).toMatchObject({
      roles: ['platform'],
    });
    // Through node A: Pat is a viewer now. Node B, which has not polled, refuses Pat's platform acts.
    expect((await put(a, ['viewer'])).statusCode).toBe(200);
    expect((await b.server.inject({ method: 'GET', url: '/v1/whoami', headers: session })).json()).toMatchObject({
      roles: ['viewer'],
    });
    const refused = await suspend();
    expect(refused.statusCode, refused.body).toBe(403);
  });
});
