// The decision API end to end on every engine: built-in rules, custom and monitor policies,
// approvals bound to the exact call, the kill switch, shadow agents and the audit chain.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.each(ENGINES)('decisions on %s', (engine) => {
  let t: TestServer;
  let key: string;
  let approver: string;
  let viewer: string;
  const decide = (body: object, token = key) => t.request({ method: 'POST', url: '/v1/decisions', token, payload: body });
  const refund = (amount: number, extra: object = {}) =>
    decide({
      action: 'tool.call',
      tool: 'crm.refund',
      arguments: { amount, orderId: 'o-1' },
      dataDomains: ['customer-records'],
      ...extra,
    });
  const put = (plural: string, name: string, spec: unknown) =>
    t.request({ method: 'PUT', url: `/v1/${plural}/${name}`, payload: { spec } });

  beforeAll(async () => {
    t = await startTestServer(engine);
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    await put('people', 'alex.approver', { displayName: 'Alex', roles: ['approver'] });
    key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
    approver = (await t.request({ method: 'POST', url: '/v1/people/alex.approver/tokens' })).json().token;
    viewer = (await t.request({ method: 'POST', url: '/v1/people/vic.viewer/tokens' })).json().token;
  });
  afterAll(async () => t?.close());

  it('allows an archetype tool, naming the policy that permits it', async () => {
    const res = await decide({
      action: 'tool.call',
      tool: 'crm.lookup',
      arguments: { customerId: 'c-1' },
      dataDomains: ['customer-records'],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      decision: 'allow',
      decisionId: expect.stringMatching(/^dec_/),
      reasons: [{ policy: 'builtin/archetype-tools/support-agent', effect: 'permit' }],
      policyVersion: expect.any(Number),
    });
  });

  it('requires approval for a financial tool of a supervised archetype, and gives both reasons over 500', async () => {
    const small = await refund(100);
    expect(small.json()).toMatchObject({
      decision: 'approval_required',
      approvalId: expect.stringMatching(/^apr_/),
      reasons: [{ policy: 'builtin/autonomy-supervised', effect: 'approval' }],
    });
    const large = await refund(900);
    expect(large.json().reasons).toEqual([
      {
        policy: 'builtin/autonomy-supervised',
        effect: 'approval',
        message: 'Supervised agents need a human for financial and destructive tools',
      },
      { policy: 'refund-approval', effect: 'approval', message: 'Refunds over 500 need a supervisor' },
    ]);
  });

  it('checks arguments in the JSON Schema dialect the tool names: 2020-12 as MCP servers declare it, else draft-07', async () => {
    // `items: false` after `prefixItems` forbids items past the pair in 2020-12; in draft-07 prefixItems
    // is no keyword and `items: false` forbids every item.
    const pair = { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string' }], items: false };
    const tool = (args: object) => ({ system: 'geo', effect: 'read', dataDomains: [], arguments: args });
    const schema = { type: 'object', properties: { pair }, required: ['pair'] };
    const v2020 = await put('tools', 'geo.pair', tool({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...schema }));
    expect(v2020.statusCode, v2020.body).toBe(201);
    expect((await put('tools', 'geo.pair7', tool(schema))).statusCode).toBe(201);
    const reason = async (tool: string, value: unknown) =>
      (await decide({ action: 'tool.call', tool, arguments: { pair: value } })).json().reasons[0];
    expect((await reason('geo.pair', [1, 'a'])).policy).not.toBe('invalid-arguments');
    expect(await reason('geo.pair', ['a', 1])).toMatchObject({
      policy: 'invalid-arguments',
      message: expect.stringMatching(/pair\/0 must be integer/),
    });
    expect(await reason('geo.pair', [1, 'a', 2])).toMatchObject({ policy: 'invalid-arguments' });
    expect(await reason('geo.pair7', [1, 'a'])).toMatchObject({ policy: 'invalid-arguments' });
  });

  it('denies arguments that break the tool schema, data domains outside the archetype, and unpermitted tools', async () => {
    const bad = await decide({ action: 'tool.call', tool: 'crm.refund', arguments: { amount: 'lots' } });
    expect(bad.json()).toMatchObject({ decision: 'deny', reasons: [{ policy: 'invalid-arguments', effect: 'forbid' }] });
    expect(bad.json().reasons[0].message).toMatch(/amount must be integer/);
    // Valid JSON ("\ud800"), but no text Cedar can read: it was refused as `evaluation-failed`,
    // "unexpected end of hex escape at line 1 column 189".
    const halfCharacter = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      headers: { 'content-type': 'application/json' },
      payload: '{"action":"tool.call","tool":"crm.lookup","arguments":{"customerId":"C-\\ud800"}}',
    });
    expect(halfCharacter.json()).toMatchObject({
      decision: 'deny',
      reasons: [
        {
          policy: 'invalid-arguments',
          message:
            'arguments of crm.lookup: /customerId holds a lone surrogate (half of a UTF-16 character pair), which policies cannot read: send well-formed text',
        },
      ],
    });

    await t.request({
      method: 'PUT',
      url: '/v1/data-domains/payroll',
      payload: { spec: { owner: 'dana.lee', classification: 'restricted', regions: ['eu-west-1'] } },
    });
    const outside = await decide({
      action: 'tool.call',
      tool: 'crm.lookup',
      arguments: { customerId: 'c' },
      dataDomains: ['payroll'],
    });
    expect(outside.json()).toMatchObject({
      decision: 'deny',
      reasons: [{ policy: 'builtin/archetype-data-domains/support-agent' }],
    });

    await put('tools', 'hr.fire', { system: 'hr', effect: 'destructive', arguments: { type: 'object' } });
    const notPermitted = await decide({ action: 'tool.call', tool: 'hr.fire', arguments: {} });
    expect(notPermitted.json()).toMatchObject({
      decision: 'deny',
      reasons: [{ policy: 'default-deny', effect: 'forbid', message: 'no policy permits support-bot-eu to call hr.fire' }],
    });
  });

  it('answers model calls: approved, restricted (approval), banned (deny), classification too low (deny)', async () => {
    const ok = await decide({ action: 'model.call', model: 'gpt-4o-mini', dataDomains: ['customer-records'] });
    expect(ok.json()).toMatchObject({ decision: 'allow', reasons: [{ policy: 'builtin/archetype-models/support-agent' }] });
    const model = (name: string, status: string, maxClassification = 'confidential') =>
      put('models', name, { provider: 'x', hosting: 'vendor', regions: ['eu-west-1'], status, maxClassification });
    await model('risky-llm', 'restricted');
    await model('bad-llm', 'banned');
    await model('small-llm', 'approved', 'internal');
    await t.request({
      method: 'PUT',
      url: '/v1/archetypes/support-agent',
      payload: {
        spec: {
          tools: ['crm.lookup', 'crm.refund'],
          dataDomains: ['customer-records'],
          models: ['gpt-4o-mini', 'risky-llm', 'bad-llm', 'small-llm'],
          autonomy: 'supervised',
          frameworks: ['openai-agents-sdk'],
        },
      },
    });
    expect((await decide({ action: 'model.call', model: 'risky-llm' })).json()).toMatchObject({
      decision: 'approval_required',
      reasons: [{ policy: 'builtin/model-restricted', effect: 'approval' }],
    });
    expect((await decide({ action: 'model.call', model: 'bad-llm' })).json()).toMatchObject({
      decision: 'deny',
      reasons: [{ policy: 'builtin/model-banned' }],
    });
    expect((await decide({ action: 'model.call', model: 'small-llm', dataDomains: ['customer-records'] })).json()).toMatchObject({
      decision: 'deny',
      reasons: [{ policy: 'builtin/model-classification/customer-records' }],
    });
  });

  it('rejects malformed requests with a clear 4xx and writes nothing', async () => {
    const before = (await t.request({ method: 'GET', url: '/v1/audit?limit=1000' })).json().items.length;
    const cases: Array<[object, number, RegExp]> = [
      [{ action: 'tool.teleport', tool: 'x' }, 400, /action must be equal to one of the allowed values/],
      [{ action: 'tool.call' }, 400, /a tool\.call needs "tool"/],
      [{ action: 'tool.call', tool: 'crm.nothing' }, 422, /no Tool named "crm\.nothing"/],
      [{ action: 'model.call', model: 'nope' }, 422, /no Model named "nope"/],
      [{ action: 'tool.call', tool: 'crm.lookup', dataDomains: ['atlantis'] }, 422, /no DataDomain named "atlantis"/],
      [{ action: 'tool.call', tool: 'crm.lookup', colour: 'red' }, 400, /must NOT have additional properties/],
      // Written to the audit row as sent: PostgreSQL refused the NUL, failing the whole group commit.
      [
        { action: 'tool.call', tool: 'crm.lookup', taskId: 't\u0000' },
        422,
        /a task id is at most 200 characters, none of them control/,
      ],
      [{ action: 'tool.call', tool: 'crm.lookup', approvalId: 'apr_\u0000x' }, 422, /not an approval id/],
      [{ action: 'tool.call', tool: 'crm.lookup', approvalId: 'dec_1' }, 422, /not an approval id/],
      // Names are at most 253 characters: a name of 900 KB came back twice in a 422 (message and details).
      [{ action: 'tool.call', tool: 'x'.repeat(254) }, 400, /tool must NOT have more than 253 characters/],
      [{ action: 'model.call', model: 'x'.repeat(254) }, 400, /model must NOT have more than 253 characters/],
      [
        { action: 'tool.call', tool: 'crm.lookup', dataDomains: ['x'.repeat(254)] },
        400,
        /dataDomains\/0 must NOT have more than 253 characters/,
      ],
    ];
    for (const [body, status, message] of cases) {
      const res = await decide(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error.message).toMatch(message);
    }
    const malformed = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      headers: { 'content-type': 'application/json' },
      payload: '{"action":',
    });
    expect(malformed.statusCode).toBe(400);
    const huge = await decide({ action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'x'.repeat(1024 * 1024) } });
    expect(huge.statusCode).toBe(413);
    expect((await t.request({ method: 'GET', url: '/v1/audit?limit=1000' })).json().items.length).toBe(before);
  });

  it('runs an approval end to end: approve once, use once, only with the same arguments', async () => {
    const first = await refund(250);
    const approvalId = first.json().approvalId;
    const pending = await t.request({ method: 'GET', url: '/v1/approvals?status=pending', token: viewer });
    expect(pending.json().items.map((a: { id: string }) => a.id)).toContain(approvalId);
    expect((await t.request({ method: 'GET', url: `/v1/approvals/${approvalId}`, token: key })).json()).toMatchObject({
      status: 'pending',
      tool: 'crm.refund',
      arguments: { amount: 250, orderId: 'o-1' },
    });

    // Using it before anyone approved is refused.
    const early = await refund(250, { approvalId });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toBe(`approval ${approvalId} is still pending`);

    // A viewer may not approve; an approver may, once.
    expect((await t.request({ method: 'POST', url: `/v1/approvals/${approvalId}/approve`, token: viewer })).statusCode).toBe(403);
    const waiting = t.request({ method: 'GET', url: `/v1/approvals/${approvalId}?wait=10`, token: key });
    const approved = await t.request({
      method: 'POST',
      url: `/v1/approvals/${approvalId}/approve`,
      token: approver,
      payload: { comment: 'ok, known customer' },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'approved',
      decidedBy: 'person:alex.approver',
      comment: 'ok, known customer',
    });
    expect((await waiting).json().status).toBe('approved');
    const twice = await t.request({ method: 'POST', url: `/v1/approvals/${approvalId}/approve`, token: approver });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toMatch(/is already approved \(by person:alex\.approver\)/);

    const otherArgs = await refund(251, { approvalId });
    expect(otherArgs.statusCode).toBe(409);
    expect(otherArgs.json().error.message).toBe(`approval ${approvalId} was granted for other arguments`);

    const used = await refund(250, { approvalId });
    expect(used.json()).toMatchObject({
      decision: 'allow',
      approvalId,
      reasons: [
        { policy: 'approval', effect: 'permit', message: 'approved by person:alex.approver' },
        { policy: 'builtin/autonomy-supervised', effect: 'approval' },
      ],
    });
    const again = await refund(250, { approvalId });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/was already used \(decision dec_/);
    expect((await t.request({ method: 'GET', url: `/v1/approvals/${approvalId}`, token: key })).json().status).toBe('used');
  });

  it('answers an identical request while its approval is pending with that approval, and lets it through once approved', async () => {
    const [a, b] = await Promise.all([refund(260), refund(260)]);
    expect(a.json().decision).toBe('approval_required');
    expect(b.json()).toMatchObject({ decision: 'approval_required', approvalId: a.json().approvalId });
    // Canonical arguments: the same call in another key order is the same call.
    const reordered = await decide({
      action: 'tool.call',
      tool: 'crm.refund',
      arguments: { orderId: 'o-1', amount: 260 },
      dataDomains: ['customer-records'],
    });
    expect(reordered.json().approvalId).toBe(a.json().approvalId);
    const pending = (await t.request({ method: 'GET', url: '/v1/approvals?status=pending', token: viewer })).json().items;
    expect(pending.filter((p: { arguments: { amount: number } }) => p.arguments.amount === 260)).toHaveLength(1);
    await t.request({ method: 'POST', url: `/v1/approvals/${a.json().approvalId}/approve`, token: approver, payload: {} });
    // Approved: the same request goes through once, without naming the approval...
    expect((await refund(260)).json()).toMatchObject({ decision: 'allow', approvalId: a.json().approvalId });
    // ...and the next identical request asks a person again.
    const next = (await refund(260)).json();
    expect(next.decision).toBe('approval_required');
    expect(next.approvalId).not.toBe(a.json().approvalId);
  });

  it('takes a data domain listed twice as the same call: it joins the approval, and a denial holds', async () => {
    const asked = (await refund(275)).json();
    expect(asked.decision).toBe('approval_required');
    const twice = { dataDomains: ['customer-records', 'customer-records'] };
    // Cedar sees the domains as a set: the same call, not a second request in the approvers' queue...
    expect((await refund(275, twice)).json()).toMatchObject({ decision: 'approval_required', approvalId: asked.approvalId });
    const denied = await t.request({
      method: 'POST',
      url: `/v1/approvals/${asked.approvalId}/deny`,
      token: approver,
      payload: {},
    });
    expect(denied.statusCode).toBe(200);
    // ...nor a way past the denial, which holds for the same call until the approval would have expired.
    const after = (await refund(275, twice)).json();
    expect(after).toMatchObject({ decision: 'deny', approvalId: asked.approvalId, reasons: [{ policy: 'approval-denied' }, {}] });
    const audit = (await t.request({ method: 'GET', url: `/v1/audit?limit=1&agent=support-bot-eu` })).json().items;
    expect(audit[0].dataDomains).toEqual(['customer-records']);
  });

  it('denies through a denied approval', async () => {
    const { approvalId } = (await refund(75)).json();
    const denied = await t.request({
      method: 'POST',
      url: `/v1/approvals/${approvalId}/deny`,
      token: approver,
      payload: { comment: 'no' },
    });
    expect(denied.json().status).toBe('denied');
    const res = await refund(75, { approvalId });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toBe(`approval ${approvalId} was denied by person:alex.approver`);
  });

  it('reports what monitor-mode policies would have done without changing the answer', async () => {
    await put('policies', 'watch-lookups', {
      mode: 'monitor',
      cedar: 'forbid (principal, action == Action::"crm.lookup", resource) when { context.arguments.customerId like "vip-*" };',
    });
    const res = await decide({ action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'vip-7' } });
    expect(res.json()).toMatchObject({ decision: 'allow', monitor: [{ policy: 'watch-lookups', effect: 'forbid' }] });
    const plain = await decide({ action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c-7' } });
    expect(plain.json().monitor).toBeUndefined();
  });

  it('obeys the kill switch on the very next decision, and lifts it', async () => {
    const lookup = () => decide({ action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c' } });
    expect(
      (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/suspend', token: viewer, payload: { reason: 'x' } }))
        .statusCode,
    ).toBe(403);
    const s = await t.request({
      method: 'POST',
      url: '/v1/agents/support-bot-eu/suspend',
      payload: { reason: 'made up a returns policy' },
    });
    expect(s.json()).toMatchObject({
      agent: 'support-bot-eu',
      status: 'suspended',
      reason: 'made up a returns policy',
      actor: 'admin',
    });
    expect((await lookup()).json()).toMatchObject({ decision: 'deny', reasons: [{ policy: 'builtin/agent-status' }] });
    const agent = (await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu', token: viewer })).json();
    expect(agent.spec.status).toBe('active');
    expect(agent.status).toMatchObject({
      effective: 'suspended',
      suspension: { reason: 'made up a returns policy', actor: 'admin' },
    });
    const r = await t.request({
      method: 'POST',
      url: '/v1/agents/support-bot-eu/resume',
      payload: { reason: 'fixed the prompt' },
    });
    expect(r.json().status).toBe('active');
    expect((await lookup()).json().decision).toBe('allow');
  });

  it('records unknown and revoked keys as shadow agents (401)', async () => {
    expect((await decide({ action: 'tool.call', tool: 'crm.lookup' }, 'fk_not-a-real-key')).statusCode).toBe(401);
    expect((await decide({ action: 'tool.call', tool: 'crm.lookup' }, 'fk_not-a-real-key')).statusCode).toBe(401);
    const extra = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json();
    await t.request({ method: 'DELETE', url: `/v1/agents/support-bot-eu/keys/${extra.id}` });
    const revoked = await decide({ action: 'tool.call', tool: 'crm.lookup' }, extra.key);
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.message).toBe('unknown or revoked agent key');
    const shadows = (await t.request({ method: 'GET', url: '/v1/shadow-agents', token: viewer })).json().items;
    expect(shadows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          identity: 'key:fk_@127.0.0.1',
          source: 'unknown-key',
          count: 2,
          detail: 'unknown fk_ keys from 127.0.0.1, last fk_not-a-…',
        }),
        expect.objectContaining({ identity: 'agent:support-bot-eu', source: 'revoked-key', count: 1 }),
      ]),
    );
  });

  it('keeps every decision and human act in a verifiable audit chain', async () => {
    const audit = (await t.request({ method: 'GET', url: '/v1/audit?agent=support-bot-eu&limit=1000', token: viewer })).json()
      .items;
    expect(audit.length).toBeGreaterThan(15);
    const kinds = new Set(audit.map((e: { kind: string }) => e.kind));
    // approval.revoked: the suspension above ended the approvals still open then; credential.*: the
    // agents' keys issued for these tests, and the one revoked to test shadow agents.
    expect([...kinds].sort()).toEqual([
      'agent.resumed',
      'agent.suspended',
      'approval.approved',
      'approval.denied',
      'approval.revoked',
      'credential.issued',
      'credential.revoked',
      'decision',
    ]);
    const denies = (await t.request({ method: 'GET', url: '/v1/audit?decision=deny&limit=5' })).json().items;
    for (const e of denies) expect(e.decision).toBe('deny');
    const verify = await t.request({ method: 'GET', url: '/v1/audit/verify' });
    expect(verify.json()).toMatchObject({ ok: true, chains: 1, entries: expect.any(Number) });
    expect((await t.request({ method: 'GET', url: '/v1/audit', token: key })).statusCode).toBe(403);
  });

  it('shows the effective policy set as Cedar', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/policies/effective', token: viewer });
    const ids = res.json().policies.map((p: { id: string }) => p.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'builtin/archetype-tools/support-agent',
        'builtin/agent-status',
        'refund-approval',
        'watch-lookups',
      ]),
    );
    const refundPolicy = res.json().policies.find((p: { id: string }) => p.id === 'refund-approval');
    expect(refundPolicy).toMatchObject({
      effect: 'forbid',
      approval: 'Refunds over 500 need a supervisor',
      mode: 'enforce',
      source: 'custom',
    });
  });

  it('simulates a decision without recording it', async () => {
    const before = (await t.request({ method: 'GET', url: '/v1/audit?limit=1000' })).json().items.length;
    const sim = await t.request({
      method: 'POST',
      url: '/v1/decisions/simulate',
      token: viewer,
      payload: {
        agent: 'support-bot-eu',
        request: { action: 'tool.call', tool: 'crm.refund', arguments: { amount: 600, orderId: 'x' } },
      },
    });
    expect(sim.json()).toMatchObject({ decision: 'approval_required' });
    expect((await t.request({ method: 'GET', url: '/v1/audit?limit=1000' })).json().items.length).toBe(before);
  });
});
