// A person's sign-in session (console or `fulcrum login`) carries the roles the registry gives them as
// committed, on every node: roles taken away through one node bind a session used on another at once,
// not after that node's next registry poll (neither node polls during this test).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleSessions } from '../../src/auth/console-sessions.js';
import { parseIdentitySettings } from '../../src/auth/identity-config.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startCluster, type TestCluster } from '../support/server.js';

// Sessions are made and accepted only with single sign-on set up: an issuer no request reaches here
// (the sessions are made directly, as sign-in makes them).
const ISSUER = 'http://127.0.0.1:9';
const SSO = parseIdentitySettings({
  FULCRUM_PUBLIC_URL: 'http://127.0.0.1:4100',
  FULCRUM_OIDC_ISSUER: ISSUER,
  FULCRUM_OIDC_CLIENT_ID: 'fulcrum',
});

describe.each(ENGINES)('sign-in sessions on two nodes (%s)', (engine) => {
  let c: TestCluster;

  beforeAll(async () => {
    c = await startCluster(engine, [
      { registryPollMs: 3_600_000, identity: SSO },
      { registryPollMs: 3_600_000, identity: SSO },
    ]);
    const files = readBundle(path.resolve(import.meta.dirname, '../fixtures/mini'));
    const applied = await c.request(0, { method: 'POST', url: '/v1/apply', payload: { files } });
    expect(applied.statusCode, applied.body).toBe(200);
  });
  afterAll(async () => c?.close());

  it('loses roles taken away through the other node at once', async () => {
    const put = (node: number, roles: string[]) =>
      c.request(node, {
        method: 'PUT',
        url: '/v1/people/pat.platform',
        payload: { spec: { displayName: 'Pat', roles, email: 'pat@acme.example' } },
      });
    // Registered through node 1 itself, so node 1's own view has Pat as platform.
    expect((await put(1, ['platform'])).statusCode).toBe(201);
    // A session as sign-in makes one (the same store every node reads).
    const { token } = (await createConsoleSessions({
      db: (c.nodes[1] as TestCluster['nodes'][0]).app.database.db,
      ttlSeconds: 600,
      issuer: ISSUER,
    }).create('pat.platform', 'pat@acme.example', 'cli')) as { token: string };
    const suspend = () =>
      c.request(1, { method: 'POST', url: '/v1/agents/support-bot-eu/suspend', token, payload: { reason: 'drill' } });
    const whoami = async () => (await c.request(1, { method: 'GET', url: '/v1/whoami', token })).json();
    expect((await suspend()).statusCode).toBe(200);
    expect(await whoami()).toMatchObject({ roles: ['platform'] });
    // Through node 0: Pat is a viewer now. Node 1, which has not polled, refuses Pat's platform acts.
    expect((await put(0, ['viewer'])).statusCode).toBe(200);
    expect(await whoami()).toMatchObject({ roles: ['viewer'] });
    const refused = await suspend();
    expect(refused.statusCode, refused.body).toBe(403);
  });
});
