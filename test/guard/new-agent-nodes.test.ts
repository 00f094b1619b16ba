// Two nodes on one database, neither polling for the other's registry changes during the test: an
// agent registered and given a key on one node is served by the other at once, not refused until the
// other's next poll (and not reported as a shadow agent meanwhile); deleting it refuses its keys on
// both nodes at once.

import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { ADMIN_TOKEN, startCluster, type TestCluster } from '../support/server.js';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const lookup = { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c-1' }, dataDomains: ['customer-records'] };
/** The agent whose key this is asks `node` for the lookup. */
const decideOn = (node: { server: { inject: FastifyInstance['inject'] } }, key: string) =>
  node.server.inject({ method: 'POST', url: '/v1/decisions', headers: { authorization: `Bearer ${key}` }, payload: lookup });

describe.each(ENGINES)('an agent registered on another node (%s)', (engine) => {
  let c: TestCluster;
  let nodes: TestCluster['nodes'];

  beforeAll(async () => {
    // An hour: the nodes learn of each other's registry changes only through the database reads under test.
    c = await startCluster(engine, [{ registryPollMs: 3_600_000 }, { registryPollMs: 3_600_000 }]);
    nodes = c.nodes;
    const files = readBundle(path.resolve(import.meta.dirname, '../fixtures/mini'));
    const applied = await c.request(0, { method: 'POST', url: '/v1/apply', payload: { files } });
    expect(applied.statusCode, applied.body).toBe(200);
  });
  afterAll(async () => c?.close());

  it('is served by the other node with its first key, before that node polls', async () => {
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    // Node B has answered with its snapshot before the new agent exists (so it holds one).
    expect((await b.server.inject({ method: 'GET', url: '/v1/agents', headers: auth })).statusCode).toBe(200);

    const put = await a.server.inject({
      method: 'PUT',
      url: '/v1/agents/late-bot',
      headers: auth,
      payload: {
        apiVersion: 'fulcrum/v1',
        kind: 'Agent',
        metadata: { name: 'late-bot' },
        spec: { initiative: 'support-deflection', archetype: 'support-agent', owner: 'omar.owner', framework: 'custom' },
      },
    });
    expect(put.statusCode, put.body).toBeLessThan(300);
    const key = (await a.server.inject({ method: 'POST', url: '/v1/agents/late-bot/keys', headers: auth })).json().key;

    const decided = await decideOn(b, key);
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json().decision).toBe('allow');

    await b.app.guard.flushShadows();
    const shadows = (await b.server.inject({ method: 'GET', url: '/v1/shadow-agents', headers: auth })).json().items;
    expect(shadows.map((x: { identity: string }) => x.identity)).not.toContain('agent:late-bot');
  });

  it('refuses a key revoked through the other node at once', async () => {
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    const made = (await a.server.inject({ method: 'POST', url: '/v1/agents/late-bot/keys', headers: auth })).json();
    // Node B knows the key (it has decided with it) before it is revoked.
    expect((await decideOn(b, made.key)).json().decision).toBe('allow');
    const revoked = await a.server.inject({ method: 'DELETE', url: `/v1/agents/late-bot/keys/${made.id}`, headers: auth });
    expect(revoked.statusCode, revoked.body).toBe(204);
    const refused = await decideOn(b, made.key);
    expect(refused.statusCode, refused.body).toBe(401);
    // Refused at the decision's commit, not at the door: the same challenge all the same (RFC 6750 §3).
    expect(refused.headers['www-authenticate']).toBe(
      'Bearer realm="fulcrum", error="invalid_token", error_description="unknown or revoked agent key"',
    );
  });

  it("refuses a deleted agent's key on both nodes at once (deleting an agent revokes its keys)", async () => {
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    const key = (await a.server.inject({ method: 'POST', url: '/v1/agents/late-bot/keys', headers: auth })).json().key;
    const deleted = await a.server.inject({ method: 'DELETE', url: '/v1/agents/late-bot', headers: auth });
    expect(deleted.statusCode, deleted.body).toBe(204);
    for (const node of [a, b]) {
      const refused = await decideOn(node, key);
      expect(refused.statusCode, refused.body).toBe(401);
      await node.app.guard.flushShadows();
    }
    const shadows = (await b.server.inject({ method: 'GET', url: '/v1/shadow-agents', headers: auth })).json().items;
    const seen = shadows.find((x: { identity: string }) => x.identity === 'agent:late-bot');
    expect(seen, JSON.stringify(shadows)).toMatchObject({ source: 'revoked-key', count: 2 });
  });
});
