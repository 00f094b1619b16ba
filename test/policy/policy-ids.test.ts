// Policy ids are unique: a registry write refuses a Policy whose ids repeat or take a built-in rule's
// (a Policy named `builtin` with @id("agent-status"), or one whose first part says @id("2") beside an
// unannotated second part), and a registry that already holds one still decides: the snapshot build
// used to throw "Duplicate policy id", so every decision answered 500 and no node could start.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Desired } from '../../src/registry/model.js';
import { createRegistryStore } from '../../src/registry/registry-store.js';
import { readBundle } from '../support/files.js';
import { ADMIN_TOKEN, startNode, startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const CAP = 'forbid (principal, action == Action::"crm.refund", resource) when { context.arguments.amount > 10000 };';

describe('policy ids that collide', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const setup = async () => {
    t = await startTestServer('sqlite');
    const server = t;
    expect((await server.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(
      200,
    );
    const key = (await server.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key as string;
    const ask = (tool: string, args: object) =>
      server.request({
        method: 'POST',
        url: '/v1/decisions',
        token: key,
        payload: { action: 'tool.call', tool, arguments: args, dataDomains: ['customer-records'] },
      });
    const lookup = () => ask('crm.lookup', { customerId: 'c-1' });
    expect((await lookup()).json().decision).toBe('allow');
    const putPolicy = (name: string, cedar: string) =>
      server.request({ method: 'PUT', url: `/v1/policies/${name}`, payload: { spec: { cedar } } });
    return { t: server, ask, lookup, putPolicy };
  };

  it('refuses a Policy named "builtin" (whose @id would make it builtin/agent-status)', async () => {
    const { lookup, putPolicy } = await setup();
    const put = await putPolicy('builtin', `@id("agent-status")\n${CAP}`);
    expect(put.statusCode, put.body).toBe(422);
    expect(put.json().error.details).toEqual([
      expect.objectContaining({ kind: 'Policy', name: 'builtin', message: expect.stringMatching(/reserved/) }),
    ]);
    expect((await lookup()).json().decision).toBe('allow');
  });

  it('refuses one Policy whose @id repeats the number its other part gets, naming the id', async () => {
    const { lookup, putPolicy } = await setup();
    const put = await putPolicy('caps', `@id("2")\n${CAP}\n${CAP.replace('10000', '20000')}`);
    expect(put.statusCode, put.body).toBe(422);
    expect(put.json().error.details).toEqual([
      expect.objectContaining({
        kind: 'Policy',
        name: 'caps',
        path: '/spec/cedar',
        message: expect.stringContaining('"caps/2"'),
      }),
    ]);
    expect((await lookup()).json().decision).toBe('allow');
  });

  it('refuses an @id holding a "/" (ids are <name>/<@id>)', async () => {
    const { putPolicy } = await setup();
    const put = await putPolicy('caps', `@id("a/b")\n${CAP}`);
    expect(put.statusCode, put.body).toBe(422);
    expect(put.json().error.details[0].message).toMatch(/@id\("a\/b"\)/);
    expect((await putPolicy('caps', `@id("refund-cap")\n${CAP}`)).statusCode).toBe(201);
  });

  it('lets a node start on a registry already holding such a Policy, which stays in force', async () => {
    const { t } = await setup();
    // Written before the rule: straight into the database, as an older version would have.
    const handle = t.database.open();
    const store = createRegistryStore(handle.db);
    const policy = {
      kind: 'Policy',
      name: 'builtin',
      labels: {},
      spec: { cedar: `@id("agent-status")\n${CAP}`, mode: 'enforce' },
    };
    await store.upsertAll([policy as unknown as Desired], new Date().toISOString());
    await store.bumpRevision();
    await handle.destroy();
    const node = await startNode(t.database);
    try {
      const key = (
        await node.server.inject({
          method: 'POST',
          url: '/v1/agents/support-bot-eu/keys',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        })
      ).json().key;
      const ask = (tool: string, args: object) =>
        node.server.inject({
          method: 'POST',
          url: '/v1/decisions',
          headers: { authorization: `Bearer ${key}` },
          payload: { action: 'tool.call', tool, arguments: args, dataDomains: ['customer-records'] },
        });
      const lookup = await ask('crm.lookup', { customerId: 'c-1' });
      expect(lookup.statusCode, lookup.body).toBe(200);
      expect(lookup.json().decision).toBe('allow');
      // The second builtin/agent-status is kept under another id: its forbid still denies.
      expect((await ask('crm.refund', { amount: 20_000, orderId: 'o-1' })).json()).toMatchObject({
        decision: 'deny',
        reasons: [{ policy: 'builtin/agent-status#2' }],
      });
    } finally {
      await node.server.close();
      await node.app.close();
    }
  });
});
