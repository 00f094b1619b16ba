// A person signing in while their Person is deleted on another node, on one PostgreSQL: deleting a
// Person deletes their sessions in the registry write's transaction, so a session whose sign-in found
// the Person before that write and stored it after must not outlive the deletion (it worked again
// once the Person was registered again: a re-hire, or a Git bundle that still lists them re-applied).
// The sign-in is held, by a plugin on its node's database, just before it stores the session, while
// the other node deletes the Person. Through a real OpenID Provider.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { consoleClient, type Idp, ssoSettings, startIdp, walkIdp } from '../support/oidc.js';
import { finishedOrWaitingOnLock, pauseQuery } from '../support/pause.js';
import { ADMIN_TOKEN, startNode } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const PUBLIC = 'http://127.0.0.1:4197';
const CALLBACK = `${PUBLIC}/auth/callback`;

describe.skipIf(!ENGINES.includes('postgres'))('signing in while the Person is deleted (postgres)', () => {
  type Node = Awaited<ReturnType<typeof startNode>>;
  let idp: Idp;
  let database: TestDatabase;
  const nodes: Node[] = [];
  // Armed by the test: stops the signing-in node (0) as it is about to store the session.
  let pause = pauseQuery({ query: () => false });
  const signing = () => nodes[0] as Node;
  const other = () => nodes[1] as Node;
  const person = (method: 'PUT' | 'DELETE') =>
    other().server.inject({
      method,
      url: '/v1/people/ray',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      ...(method === 'PUT' ? { payload: { spec: { displayName: 'Ray', email: 'ray@acme.example', roles: ['viewer'] } } } : {}),
    });

  beforeAll(async () => {
    idp = await startIdp([consoleClient(PUBLIC)]);
    const identity = ssoSettings(idp, PUBLIC);
    database = await createTestDatabase('postgres');
    nodes.push(
      await startNode(
        database,
        { identity },
        { transformQuery: (a) => pause.plugin.transformQuery(a), transformResult: (a) => pause.plugin.transformResult(a) },
      ),
    );
    nodes.push(await startNode(database, { identity }));
    const applied = await other().server.inject({
      method: 'POST',
      url: '/v1/apply',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { files: readBundle(MINI) },
    });
    expect(applied.statusCode, applied.body).toBe(200);
  });
  afterAll(async () => {
    for (const n of nodes) {
      await n.server.close();
      await n.app.close();
    }
    await database?.drop();
    await idp?.stop();
  });

  it('never leaves a session behind a deleted Person, whichever commits first', async () => {
    expect((await person('PUT')).statusCode).toBe(201);
    const login = await signing().server.inject({ method: 'GET', url: '/auth/login' });
    expect(login.statusCode, login.body).toBe(302);
    const loginCookie = (login.headers['set-cookie'] as string).split(';')[0] as string;
    const back = new URL((await walkIdp(login.headers.location as string, 'ray@acme.example', CALLBACK)).url);
    pause = pauseQuery({
      query: (node) => node.kind === 'DeleteQueryNode' && JSON.stringify(node).includes('"console_sessions"'),
    });
    const callback = signing().server.inject({
      method: 'GET',
      url: `${back.pathname}${back.search}`,
      headers: { cookie: loginCookie },
    });
    await pause.paused;
    // The other node deletes Ray: done, or waiting for a lock the sign-in holds.
    const { done: deleting } = await finishedOrWaitingOnLock(
      other().app.database.db,
      person('DELETE'),
      'the deletion to commit or wait for the sign-in',
    );
    pause.release();
    const [signedIn, deletion] = await Promise.all([callback, deleting]);
    expect(deletion.statusCode, deletion.body).toBe(204);
    // Registered again: a session made before the deletion ended with it, and one refused is none.
    expect((await person('PUT')).statusCode).toBe(201);
    const cookie = ([signedIn.headers['set-cookie']].flat() as string[])
      .find((c) => c?.startsWith('fulcrum_session=fss_'))
      ?.split(';')[0];
    if (cookie) {
      const whoami = await other().server.inject({ method: 'GET', url: '/v1/whoami', headers: { cookie } });
      expect(whoami.statusCode, whoami.body).toBe(401);
    } else expect(signedIn.statusCode, signedIn.body).toBe(403);
  });
});
