// A registry whose effective policy set holds more than the parse cache's 5,000 texts (built-in rules
// grow with it: two per data domain, up to three per archetype, one per agent with extra tools) must
// still decide. The cache evicted while it was filled, so a batch of more texts than it holds lost
// the first ones it had parsed: the guard's snapshot said "Policy builtin/… does not parse" and every
// decision answered 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMini, type TestServer } from '../support/server.js';

describe('an effective policy set of more than 5,000 policies', () => {
  let t: TestServer;
  let key: string;

  beforeAll(async () => {
    ({ t, key } = await startMini('sqlite'));
  }, 120_000);
  afterAll(async () => t?.close());

  it('decides with every one of them', async () => {
    // 2,600 data domains: 5,200 built-in rules (classification and regions), as an enterprise's
    // catalogue of data products can reach.
    const domains = Array.from(
      { length: 2_600 },
      (_, i) => `apiVersion: fulcrum/v1
kind: DataDomain
metadata:
  name: domain-${i}
spec:
  owner: dana.lee
  classification: ${i === 0 ? 'restricted' : 'internal'}
  regions: [eu-west-1]
`,
    ).join('---\n');
    const applied = await t.request({
      method: 'POST',
      url: '/v1/apply',
      payload: { files: [{ path: 'domains.yaml', content: domains }] },
    });
    expect(applied.statusCode, applied.body.slice(0, 500)).toBe(200);
    const effective = await t.request({ method: 'GET', url: '/v1/policies/effective' });
    expect(effective.statusCode, effective.body.slice(0, 500)).toBe(200);
    expect(effective.json().policies.length).toBeGreaterThan(5_200);

    const lookup = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'C-1' }, dataDomains: ['customer-records'] },
    });
    expect(lookup.statusCode, lookup.body.slice(0, 500)).toBe(200);
    expect(lookup.json().decision).toBe('allow');
    // The first data domain's rules (the first parsed) are in force: a model not cleared for its
    // classification may not see it.
    const model = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'model.call', model: 'gpt-4o-mini', dataDomains: ['domain-0'] },
    });
    expect(model.statusCode, model.body.slice(0, 500)).toBe(200);
    expect(model.json()).toMatchObject({ decision: 'deny' });
    expect(model.json().reasons.map((r: { policy: string }) => r.policy)).toContain('builtin/model-classification/domain-0');
  }, 300_000);
});
