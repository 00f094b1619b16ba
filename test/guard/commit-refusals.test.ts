// A decision is made again at its commit when the registry moved since the node's snapshot (a write
// through another node it has not polled for). When what the call names is gone by then, the call is
// refused with `registry-changed`, recorded like any other decision on its arguments: the audit log
// still verifies.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startCluster, type TestCluster } from '../support/server.js';

const tool = {
  apiVersion: 'fulcrum/v1',
  kind: 'Tool',
  metadata: { name: 'crm.note' },
  spec: {
    system: 'crm',
    effect: 'write',
    dataDomains: ['customer-records'],
    arguments: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  },
};

describe.each(ENGINES)('a tool deleted through another node before the commit (%s)', (engine) => {
  let c: TestCluster;

  beforeAll(async () => {
    // An hour: node 1 learns of node 0's writes only at its decisions' commits.
    c = await startCluster(engine, [{ registryPollMs: 3_600_000 }, { registryPollMs: 3_600_000 }]);
    const files = readBundle(path.resolve(import.meta.dirname, '../fixtures/mini'));
    expect((await c.request(0, { method: 'POST', url: '/v1/apply', payload: { files } })).statusCode).toBe(200);
  });
  afterAll(async () => c?.close());

  it('is refused as registry-changed, and the audit log verifies', async () => {
    const put = await c.request(0, { method: 'PUT', url: '/v1/tools/crm.note', payload: tool });
    expect(put.statusCode, put.body).toBe(201);
    const key = (await c.request(0, { method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
    const call = () =>
      c.request(1, {
        method: 'POST',
        url: '/v1/decisions',
        token: key,
        payload: {
          action: 'tool.call',
          tool: 'crm.note',
          arguments: { text: 'called back' },
          dataDomains: ['customer-records'],
        },
      });
    // Node 1 decides on the tool once, so its snapshot holds it.
    const first = await call();
    expect(first.statusCode, first.body).toBe(200);

    const deleted = await c.request(0, { method: 'DELETE', url: '/v1/tools/crm.note' });
    expect(deleted.statusCode, deleted.body).toBe(204);
    const refused = await call();
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json()).toMatchObject({
      decision: 'deny',
      reasons: [{ policy: 'registry-changed', message: expect.stringContaining('crm.note') }],
    });

    const entries = (await c.request(0, { method: 'GET', url: '/v1/audit?agent=support-bot-eu&kind=decision' })).json().items;
    const entry = entries.find((e: { id: string }) => e.id === refused.json().decisionId);
    expect(entry).toMatchObject({ decision: 'deny', arguments: { text: 'called back' }, argumentsHash: expect.any(String) });
    const verified = (await c.request(0, { method: 'GET', url: '/v1/audit/verify' })).json();
    expect(verified.ok, JSON.stringify(verified)).toBe(true);
  });
});
