// An agent registered without an archetype has no autonomy level. The autonomy rules were written
// for archetypes only, so such an agent called its financial and destructive extraTools with no human
// in the loop: more freedom than an archetype's `supervised` agent, for the least governed kind of
// agent. It is now held to `supervised` (builtin/ad-hoc-supervised).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe('an agent without an archetype', () => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    // Tools that touch no data domain: one that does is refused to an agent without an archetype (below).
    const tool = (effect: string) => ({
      system: 'till',
      effect,
      arguments: { type: 'object', properties: { amount: { type: 'integer' } } },
    });
    for (const [name, effect] of [
      ['till.refund', 'financial'],
      ['till.total', 'read'],
    ] as const)
      expect((await t.request({ method: 'PUT', url: `/v1/tools/${name}`, payload: { spec: tool(effect) } })).statusCode).toBe(
        201,
      );
    const spec = {
      initiative: 'support-deflection',
      owner: 'omar.owner',
      extraTools: ['till.refund', 'till.total', 'crm.lookup'],
    };
    expect((await t.request({ method: 'PUT', url: '/v1/agents/adhoc-bot', payload: { spec } })).statusCode).toBe(201);
    key = (await t.request({ method: 'POST', url: '/v1/agents/adhoc-bot/keys' })).json().key;
  });
  afterAll(async () => t?.close());

  const call = (tool: string, args: object) =>
    t.request({ method: 'POST', url: '/v1/decisions', token: key, payload: { action: 'tool.call', tool, arguments: args } });

  it('needs a person for a financial tool, however small the call', async () => {
    const res = await call('till.refund', { amount: 10 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      decision: 'approval_required',
      approvalId: expect.stringMatching(/^apr_/),
      reasons: [
        {
          policy: 'builtin/ad-hoc-supervised',
          effect: 'approval',
          message: 'An agent without an archetype needs a human for financial and destructive tools',
        },
      ],
    });
  });

  it('calls a read tool as before', async () => {
    const res = await call('till.total', {});
    expect(res.json()).toMatchObject({ decision: 'allow' });
  });

  it('touches no data domain, those its tools declare included', async () => {
    const res = await call('crm.lookup', { customerId: 'c-1' });
    expect(res.json()).toMatchObject({ decision: 'deny', reasons: [{ policy: 'builtin/ad-hoc-data-domains' }] });
  });

  it('the rule is listed among the effective policies', async () => {
    const effective = (await t.request({ method: 'GET', url: '/v1/policies/effective' })).json();
    expect(effective.policies.map((p: { id: string }) => p.id)).toContain('builtin/ad-hoc-supervised');
  });
});
