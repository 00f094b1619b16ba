// The registry over HTTP on every engine: apply, idempotence, export round trip, CRUD, references.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND_INFO, KINDS } from '../../src/registry/kinds.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.each(ENGINES)('registry API on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
  });
  afterAll(async () => t?.close());

  const apply = (files: unknown, query = '') => t.request({ method: 'POST', url: `/v1/apply${query}`, payload: { files } });

  it('applies a bundle in one go, then reports no changes the second time', async () => {
    const first = await apply(readBundle(MINI));
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().created).toHaveLength(15);
    expect(first.json().created).toContain('Agent/support-bot-eu');
    const second = await apply(readBundle(MINI));
    expect(second.json()).toMatchObject({ created: [], updated: [], deleted: [] });
    expect(second.json().unchanged).toHaveLength(15);
    expect(second.json().revision).toBe(first.json().revision);
  });

  it('lists and gets descriptors of every kind in the contract shape', async () => {
    for (const kind of KINDS) {
      const list = await t.request({ method: 'GET', url: `/v1/${KIND_INFO[kind].plural}` });
      expect(list.statusCode).toBe(200);
      for (const item of list.json().items) {
        expect(item).toMatchObject({ apiVersion: 'fulcrum/v1', kind, metadata: { name: expect.any(String), generation: 1 } });
        expect(item.spec).toBeTypeOf('object');
      }
    }
    const agent = await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu' });
    expect(agent.json()).toMatchObject({
      kind: 'Agent',
      metadata: { name: 'support-bot-eu', labels: { region: 'eu' } },
      spec: { initiative: 'support-deflection', archetype: 'support-agent', status: 'active', extraTools: [] },
    });
    const tool = await t.request({ method: 'GET', url: '/v1/tools/crm.refund' });
    expect(tool.json().spec.arguments).toEqual({
      type: 'object',
      properties: { amount: { type: 'integer' }, orderId: { type: 'string' }, reason: { type: 'string' } },
      required: ['amount', 'orderId'],
    });
    const missing = await t.request({ method: 'GET', url: '/v1/agents/nobody' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'not_found', message: 'no Agent named "nobody"' } });
  });

  it('exports descriptors that apply with no changes', async () => {
    const exported = await t.request({ method: 'GET', url: '/v1/export' });
    const files = exported.json().files;
    expect(files.map((f: { path: string }) => f.path)).toContain('agents.yaml');
    const again = await apply(files);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: [], updated: [], deleted: [] });
    const yaml = await t.request({ method: 'GET', url: '/v1/export?format=yaml' });
    expect(yaml.headers['content-type']).toMatch(/yaml/);
    const viaYaml = await t.request({
      method: 'POST',
      url: '/v1/apply',
      headers: { 'content-type': 'application/yaml' },
      payload: yaml.body,
    });
    expect(viaYaml.json()).toMatchObject({ created: [], updated: [], deleted: [] });
  });

  it('upserts one descriptor with PUT (JSON or YAML), bumping its generation only on change', async () => {
    const put = (body: unknown, contentType = 'application/json') =>
      t.request({
        method: 'PUT',
        url: '/v1/compute-pools/us-gpu',
        headers: { 'content-type': contentType },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const created = await put({ spec: { region: 'us-east-1', unit: 'gpu-hours/month', capacity: 500 } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      kind: 'ComputePool',
      metadata: { name: 'us-gpu', generation: 1 },
      spec: { powerConstrained: false },
    });
    const same = await put({ spec: { region: 'us-east-1', unit: 'gpu-hours/month', capacity: 500 } });
    expect(same.statusCode).toBe(200);
    expect(same.headers['x-fulcrum-result']).toBe('unchanged');
    const yaml = await put('spec:\n  region: us-east-1\n  unit: gpu-hours/month\n  capacity: 800\n', 'application/yaml');
    expect(yaml.statusCode).toBe(200);
    expect(yaml.json().metadata.generation).toBe(2);
    expect(yaml.json().spec.capacity).toBe(800);

    const wrongName = await put({ metadata: { name: 'other' }, spec: { region: 'x', unit: 'y', capacity: 1 } });
    expect(wrongName.statusCode).toBe(400);
    expect(wrongName.json().error.message).toMatch(/does not match the URL/);
  });

  it('takes back what GET returns, and ignores empty documents', async () => {
    const got = await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu' });
    const back = await t.request({ method: 'PUT', url: '/v1/agents/support-bot-eu', payload: got.json() });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.headers['x-fulcrum-result']).toBe('unchanged');
    const trailing = await apply([
      {
        path: 't.yaml',
        content:
          'apiVersion: fulcrum/v1\nkind: ComputePool\nmetadata: {name: us-gpu}\nspec: {region: us-east-1, unit: gpu-hours/month, capacity: 800}\n---\n# the end\n',
      },
    ]);
    expect(trailing.statusCode, trailing.body).toBe(200);
  });

  it('explains an invalid PUT with paths, and writes nothing', async () => {
    const res = await t.request({
      method: 'PUT',
      url: '/v1/agents/rogue',
      payload: { spec: { initiative: 'nope', owner: 'dana.lee', colour: 'red', status: 'sleeping' } },
    });
    expect(res.statusCode).toBe(422);
    const { error } = res.json();
    expect(error.code).toBe('validation_failed');
    expect(error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/spec/colour', message: 'unknown field "colour"' }),
        expect.objectContaining({ path: '/spec/status', message: 'must be one of: active, suspended, retired' }),
      ]),
    );
    const dangling = await t.request({
      method: 'PUT',
      url: '/v1/agents/rogue',
      payload: { spec: { initiative: 'nope', owner: 'dana.lee' } },
    });
    expect(dangling.statusCode).toBe(422);
    expect(dangling.json().error.details).toEqual([
      expect.objectContaining({ kind: 'Agent', name: 'rogue', path: '/spec/initiative', message: 'no Initiative named "nope"' }),
    ]);
    expect((await t.request({ method: 'GET', url: '/v1/agents/rogue' })).statusCode).toBe(404);
  });

  it('refuses an active agent on a prohibited initiative', async () => {
    const i = (await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection' })).json();
    const res = await t.request({
      method: 'PUT',
      url: '/v1/initiatives/support-deflection',
      payload: { spec: { ...i.spec, riskTier: 'prohibited' } },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual([
      expect.objectContaining({
        kind: 'Agent',
        name: 'support-bot-eu',
        path: '/spec/status',
        message: expect.stringMatching(/is prohibited \(EU AI Act Art\. 5\)/),
      }),
    ]);
  });

  it('refuses to delete what is referenced (409), deletes what is not', async () => {
    const referenced = await t.request({ method: 'DELETE', url: '/v1/tools/crm.lookup' });
    expect(referenced.statusCode).toBe(409);
    expect(referenced.json().error.message).toContain('Archetype/support-agent (spec.tools.0)');

    // Not referenced by any descriptor, but the refund policy names it as a Cedar action.
    const inPolicy = await t.request({
      method: 'PUT',
      url: '/v1/archetypes/support-agent',
      payload: {
        spec: { tools: ['crm.lookup'], dataDomains: ['customer-records'], models: ['gpt-4o-mini'], autonomy: 'supervised' },
      },
    });
    expect(inPolicy.statusCode).toBe(200);
    const usedByPolicy = await t.request({ method: 'DELETE', url: '/v1/tools/crm.refund' });
    expect(usedByPolicy.statusCode).toBe(409);
    expect(usedByPolicy.json().error.message).toMatch(/crm\.refund/);

    const gone = await t.request({ method: 'DELETE', url: '/v1/compute-pools/eu-gpu' });
    expect(gone.statusCode).toBe(204);
    expect((await t.request({ method: 'GET', url: '/v1/compute-pools/eu-gpu' })).statusCode).toBe(404);
    expect((await t.request({ method: 'DELETE', url: '/v1/compute-pools/eu-gpu' })).statusCode).toBe(404);
  });

  it('prunes what a bundle no longer holds, only when asked', async () => {
    const files = readBundle(MINI);
    const withoutPool = files.map((f) => ({
      ...f,
      content: f.content.replace(/---\napiVersion: fulcrum\/v1\nkind: McpServer[\s\S]*$/, ''),
    }));
    const dry = await apply(withoutPool, '?prune=true&dryRun=true');
    expect(dry.json()).toMatchObject({
      dryRun: true,
      deleted: expect.arrayContaining(['McpServer/everything', 'ComputePool/us-gpu']),
    });
    expect((await t.request({ method: 'GET', url: '/v1/mcp-servers/everything' })).statusCode).toBe(200);
    const pruned = await apply(withoutPool, '?prune=true');
    expect(pruned.json().deleted).toEqual(expect.arrayContaining(['McpServer/everything', 'ComputePool/us-gpu']));
    expect((await t.request({ method: 'GET', url: '/v1/mcp-servers/everything' })).statusCode).toBe(404);
  });

  it('records who changed what', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/registry/changes?limit=5' });
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0]).toMatchObject({ actor: 'admin', action: expect.stringMatching(/created|updated|deleted/) });
  });
});
