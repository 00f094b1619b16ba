// A call held for a person's approval keeps its arguments twice: in the decision's audit entry and in
// the approval. Retention redacted the first after the `arguments` period and kept the second for ever
// (found by review: GET /v1/approvals showed a refund's customer and amount years on). Now an approval
// that can no longer be used loses its arguments with its decision's, and keeps them while they are
// held (an open incident, the high-risk floor) — on every engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';
import { ADMIN, days } from './retention-fixture.js';

describe.each(ENGINES)("an approval's arguments under retention on %s", (engine) => {
  let t: TestServer;
  let approvalId: string;
  let incident: string;
  const REFUND = { orderId: 'A-1', amount: 900, customer: 'jane.doe@example.com' };
  const stored = async () => {
    const { db } = t.app.database;
    const approval = await db
      .selectFrom('approvals')
      .select(['arguments', 'decision_id'])
      .where('id', '=', approvalId)
      .executeTakeFirstOrThrow();
    const entry = await db
      .selectFrom('audit_entries')
      .select('arguments')
      .where('id', '=', approval.decision_id)
      .executeTakeFirst();
    return { approval: JSON.parse(approval.arguments), entry: entry?.arguments ?? null };
  };

  beforeAll(async () => {
    let key: string;
    ({ t, key } = await startMini(engine));
    const asked = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'tool.call', tool: 'crm.refund', arguments: REFUND, dataDomains: ['customer-records'] },
    });
    expect(asked.statusCode, asked.body).toBe(200);
    approvalId = asked.json().approvalId;
    expect(approvalId).toMatch(/^apr_/);
    const denied = await t.request({ method: 'POST', url: `/v1/approvals/${approvalId}/deny`, payload: { comment: 'no' } });
    expect(denied.statusCode, denied.body).toBe(200);
    const opened = await t.request({
      method: 'POST',
      url: '/v1/incidents',
      payload: { title: 'refunds', severity: 'sev3', agents: ['support-bot-eu'] },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    incident = opened.json().id;
  });
  afterAll(async () => t?.close());

  it('keeps them while the incident holds the agent, past the high-risk floor too', async () => {
    await t.app.retention.purge(ADMIN, days(200));
    expect(await stored()).toEqual({ approval: REFUND, entry: expect.any(String) });
  });

  it('redacts them with the decision once nothing holds them', async () => {
    const closed = await t.request({ method: 'POST', url: `/v1/incidents/${incident}/transitions`, payload: { to: 'closed' } });
    expect(closed.statusCode, closed.body).toBe(200);
    const purged = await t.app.retention.purge(ADMIN, days(200));
    // The audit entry's went; the approval kept the customer and the amount.
    expect(await stored()).toEqual({ approval: null, entry: null });
    expect(purged.arguments).toBe(2);
    const shown = await t.request({ method: 'GET', url: `/v1/approvals/${approvalId}` });
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json()).toMatchObject({ id: approvalId, status: 'denied', arguments: null });
  });
});
