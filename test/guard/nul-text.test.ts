// What a person types into the guard (an approver's comment, the reason for suspending or resuming an
// agent) may not hold a NUL character: PostgreSQL's text stores none, so a deny with one failed with a
// 500 'internal error' there, and a suspension with one did not stop the agent (the kill switch
// failed, saying nothing of why), while SQLite stored it. Both engines now refuse it, naming the field,
// and nothing is changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { addApprover, startMini, type TestServer } from '../support/server.js';

describe.each(ENGINES)('a NUL character in what a person types on %s', (engine) => {
  let t: TestServer;
  let key: string;
  let approver: string;
  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
    approver = await addApprover(t);
  });
  afterAll(async () => t?.close());

  it('an approver’s comment is refused, naming it, and the approval stays pending', async () => {
    const asked = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: {
        action: 'tool.call',
        tool: 'crm.refund',
        arguments: { amount: 100, orderId: 'nul-1' },
        dataDomains: ['customer-records'],
      },
    });
    const id = asked.json().approvalId as string;
    expect(id).toMatch(/^apr_/);
    for (const verdict of ['deny', 'approve']) {
      const r = await t.request({
        method: 'POST',
        url: `/v1/approvals/${id}/${verdict}`,
        token: approver,
        payload: { comment: 'wrong order\u0000' },
      });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error).toMatchObject({
        code: 'bad_request',
        message: expect.stringContaining('/comment holds a NUL character (U+0000)'),
        details: [{ path: '/comment', message: expect.stringContaining('NUL') }],
      });
    }
    expect((await t.request({ method: 'GET', url: `/v1/approvals/${id}` })).json().status).toBe('pending');
    const denied = await t.request({
      method: 'POST',
      url: `/v1/approvals/${id}/deny`,
      token: approver,
      payload: { comment: 'wrong order' },
    });
    expect(denied.statusCode, denied.body).toBe(200);
    expect(denied.json()).toMatchObject({ status: 'denied', comment: 'wrong order' });
  });

  it('a suspension’s reason is refused, naming it, and the agent is as it was; without the NUL it is suspended', async () => {
    const status = async () =>
      (await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu' })).json().status.effective as string;
    for (const verb of ['suspend', 'resume']) {
      const r = await t.request({ method: 'POST', url: `/v1/agents/support-bot-eu/${verb}`, payload: { reason: 'leak\u0000' } });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error).toMatchObject({
        code: 'bad_request',
        message: expect.stringContaining('/reason holds a NUL character (U+0000)'),
        details: [{ path: '/reason', message: expect.stringContaining('NUL') }],
      });
      expect(await status()).toBe('active');
    }
    const audit = (await t.request({ method: 'GET', url: '/v1/audit?agent=support-bot-eu&limit=100' })).json().items;
    expect(audit.filter((e: { kind: string }) => e.kind.startsWith('agent.'))).toEqual([]);
    const r = await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/suspend', payload: { reason: 'leak' } });
    expect(r.statusCode, r.body).toBe(200);
    expect(await status()).toBe('suspended');
  });
});
