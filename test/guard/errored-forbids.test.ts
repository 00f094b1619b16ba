// A forbid that cannot be evaluated for a call must not let the call through. Cedar skips a policy
// whose evaluation errors; for a forbid that means allowing exactly what it was written to stop:
// - a required argument whose schema allows null was typed as a required Cedar attribute, so a policy
//   read it without `has`; a call sending null has it left out of context.arguments, the forbid errored
//   and `limit: null` (no limit at all) was allowed. Such an argument is optional in the generated
//   schema now (a policy must ask `has`);
// - whatever else makes an enforced forbid error (an overflow) now counts it as applying.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe('forbids that cannot be evaluated', () => {
  let t: TestServer;
  let key: string;
  const put = (plural: string, name: string, spec: unknown) =>
    t.request({ method: 'PUT', url: `/v1/${plural}/${name}`, payload: { spec } });
  const exportRows = (args: object) =>
    t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'tool.call', tool: 'db.export', arguments: args },
    });

  beforeAll(async () => {
    t = await startTestServer('sqlite');
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    const tool = await put('tools', 'db.export', {
      system: 'db',
      effect: 'read',
      arguments: {
        type: 'object',
        properties: { limit: { type: ['integer', 'null'] }, batch: { type: 'integer' } },
        required: ['limit'],
      },
    });
    expect(tool.statusCode, tool.body).toBe(201);
    const agent = (await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu' })).json().spec;
    expect((await put('agents', 'support-bot-eu', { ...agent, extraTools: ['db.export'] })).statusCode).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
  });
  afterAll(async () => t?.close());

  it('a required argument that may be null must be read with `has`', async () => {
    const without = await put('policies', 'bounded-exports', {
      cedar: 'forbid (principal, action == Action::"db.export", resource) unless { context.arguments.limit <= 1000 };',
    });
    expect(without.statusCode, without.body).toBe(422);
    expect(without.json().error.details).toEqual([
      expect.objectContaining({
        kind: 'Policy',
        name: 'bounded-exports',
        path: '/spec/cedar',
        message: expect.stringMatching(/limit/),
      }),
    ]);
    const withHas = await put('policies', 'bounded-exports', {
      cedar:
        'forbid (principal, action == Action::"db.export", resource) unless { context.arguments has limit && context.arguments.limit <= 1000 };',
    });
    expect(withHas.statusCode, withHas.body).toBe(201);
    expect((await exportRows({ limit: 10 })).json().decision).toBe('allow');
    expect((await exportRows({ limit: 50_000 })).json()).toMatchObject({
      decision: 'deny',
      reasons: [{ policy: 'bounded-exports' }],
    });
    const unbounded = await exportRows({ limit: null });
    expect(unbounded.statusCode, unbounded.body).toBe(200);
    expect(unbounded.json()).toMatchObject({ decision: 'deny', reasons: [{ policy: 'bounded-exports' }] });
  });

  it('an enforced forbid whose evaluation errors denies, saying why', async () => {
    // Valid against the schema, but the product overflows a Cedar long for a large batch.
    const policy = await put('policies', 'batch-bytes', {
      cedar:
        'forbid (principal, action == Action::"db.export", resource) when { context.arguments has batch && context.arguments.batch * 1000000 > 5000000000 };',
    });
    expect(policy.statusCode, policy.body).toBe(201);
    expect((await exportRows({ limit: 10, batch: 10 })).json().decision).toBe('allow');
    expect((await exportRows({ limit: 10, batch: 10_000 })).json()).toMatchObject({
      decision: 'deny',
      reasons: [{ policy: 'batch-bytes' }],
    });
    const overflow = await exportRows({ limit: 10, batch: 2 ** 53 - 1 });
    expect(overflow.statusCode, overflow.body).toBe(200);
    expect(overflow.json()).toMatchObject({
      decision: 'deny',
      reasons: [{ policy: 'batch-bytes', effect: 'forbid', message: expect.stringMatching(/could not be evaluated/) }],
    });
  });

  it('an @approval forbid whose evaluation errors asks a person', async () => {
    const policy = await put('policies', 'batch-bytes', {
      cedar:
        '@approval("Large exports need a data steward")\nforbid (principal, action == Action::"db.export", resource) when { context.arguments has batch && context.arguments.batch * 1000000 > 5000000000 };',
    });
    expect(policy.statusCode, policy.body).toBe(200);
    expect((await exportRows({ limit: 10, batch: 10 })).json().decision).toBe('allow');
    expect((await exportRows({ limit: 10, batch: 2 ** 53 - 1 })).json()).toMatchObject({
      decision: 'approval_required',
      reasons: [
        {
          policy: 'batch-bytes',
          effect: 'approval',
          message: expect.stringMatching(/^Large exports need a data steward \(could not be evaluated/),
        },
      ],
    });
  });
});
