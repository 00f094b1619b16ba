// A Tool declares the data domains it touches (`spec.dataDomains`). The policies on data domains
// (a custom forbid on `context.dataDomains`, the archetype's and the ad-hoc agent's built-in rules)
// saw only what the caller of /v1/decisions declared: a tool that reads customer records could be
// called as if it touched none, by leaving `dataDomains` out. What a tool call is decided on is now
// what the Tool declares and what the call declares together, on every way in (the API, the SDK,
// the simulation; the MCP gateway always sent the Tool's), and that is what the audit log records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard } from '../../src/sdk/index.js';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';

describe.each(ENGINES)("a Tool's own data domains on %s", (engine) => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
    const put = async (url: string, spec: object) => {
      const res = await t.request({ method: 'PUT', url, payload: { spec } });
      expect(res.statusCode, res.body).toBeLessThan(300);
    };
    await put('/v1/data-domains/payroll', {
      owner: 'dana.lee',
      classification: 'restricted',
      regions: ['eu-west-1'],
      maturity: { quality: 'high', lineage: 'complete', accessPolicy: 'enforced', productionReady: true },
    });
    // In the archetype's tools, but touching a domain the archetype was not given.
    await put('/v1/tools/hr.salary', { system: 'hr', effect: 'read', dataDomains: ['payroll'] });
    await put('/v1/archetypes/support-agent', {
      description: 'Answers customers and resolves tickets',
      tools: ['crm.lookup', 'crm.refund', 'hr.salary'],
      dataDomains: ['customer-records'],
      models: ['gpt-4o-mini'],
      autonomy: 'supervised',
      frameworks: ['openai-agents-sdk'],
    });
  });
  afterAll(async () => t?.close());

  const call = (payload: object) => t.request({ method: 'POST', url: '/v1/decisions', token: key, payload });

  it("is held to the archetype's data domains whether or not the call names them", async () => {
    const silent = await call({ action: 'tool.call', tool: 'hr.salary', arguments: {} });
    expect(silent.statusCode, silent.body).toBe(200);
    expect(silent.json()).toMatchObject({
      decision: 'deny',
      reasons: [{ policy: 'builtin/archetype-data-domains/support-agent', effect: 'forbid' }],
    });
    const named = await call({ action: 'tool.call', tool: 'hr.salary', arguments: {}, dataDomains: ['payroll'] });
    expect(named.json()).toMatchObject({
      decision: 'deny',
      reasons: [{ policy: 'builtin/archetype-data-domains/support-agent' }],
    });
  });

  it('is seen by a custom policy on context.dataDomains, and recorded', async () => {
    const policy = await t.request({
      method: 'PUT',
      url: '/v1/policies/customer-records-frozen',
      payload: {
        spec: {
          description: 'Customer records are frozen for the audit',
          cedar:
            'forbid (principal, action in Action::"tool.call", resource) when { context.dataDomains.contains(DataDomain::"customer-records") };',
        },
      },
    });
    expect(policy.statusCode, policy.body).toBeLessThan(300);
    try {
      const res = await call({ action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c-1' }, taskId: 'frozen-1' });
      expect(res.json()).toMatchObject({ decision: 'deny', reasons: [{ policy: 'customer-records-frozen' }] });
      const audit = (await t.request({ method: 'GET', url: '/v1/audit?agent=support-bot-eu&limit=20' })).json().items;
      const row = audit.find((e: { taskId: string | null }) => e.taskId === 'frozen-1');
      expect(row).toMatchObject({ decision: 'deny', dataDomains: ['customer-records'] });
      // Decided without recording, the same.
      const simulated = await t.request({
        method: 'POST',
        url: '/v1/decisions/simulate',
        payload: {
          agent: 'support-bot-eu',
          request: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c-1' } },
        },
      });
      expect(simulated.json()).toMatchObject({ decision: 'deny', reasons: [{ policy: 'customer-records-frozen' }] });
      // The SDK, through a real socket, leaving the domains out as most callers do.
      const url = await t.server.listen({ host: '127.0.0.1', port: 0 });
      const d = await createGuard({ url, key }).check('crm.lookup', { customerId: 'c-2' });
      expect(d).toMatchObject({ decision: 'deny', reasons: [{ policy: 'customer-records-frozen' }] });
    } finally {
      await t.request({ method: 'DELETE', url: '/v1/policies/customer-records-frozen' });
    }
  });

  it('adds what the call names to what the Tool declares, and binds an approval to both', async () => {
    const res = await call({
      action: 'tool.call',
      tool: 'crm.refund',
      arguments: { amount: 900, orderId: 'o-9' },
      dataDomains: ['payroll'],
    });
    // payroll is not the archetype's: refused, recorded with both domains.
    expect(res.json()).toMatchObject({ decision: 'deny', reasons: [{ policy: 'builtin/archetype-data-domains/support-agent' }] });
    const asked = await call({ action: 'tool.call', tool: 'crm.refund', arguments: { amount: 900, orderId: 'o-10' } });
    expect(asked.json()).toMatchObject({ decision: 'approval_required', approvalId: expect.stringMatching(/^apr_/) });
    const approval = (await t.request({ method: 'GET', url: `/v1/approvals/${asked.json().approvalId}` })).json();
    expect(approval.dataDomains).toEqual(['customer-records']);
    // The same call naming the Tool's domain is the same call: it joins the approval.
    const again = await call({
      action: 'tool.call',
      tool: 'crm.refund',
      arguments: { amount: 900, orderId: 'o-10' },
      dataDomains: ['customer-records'],
    });
    expect(again.json()).toMatchObject({ decision: 'approval_required', approvalId: asked.json().approvalId });
    const verify = await t.request({ method: 'GET', url: '/v1/audit/verify' });
    expect(verify.json()).toMatchObject({ ok: true });
  });
});
