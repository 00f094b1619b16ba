// A purge's preview (POST /v1/retention/purge?dryRun=true): what a purge would delete, redact and hold,
// counted by the purge's own queries. It changes nothing (no row, no purge mark, no audit entry), and
// the purge run after it at the same moment reports exactly what it said — on every engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { addApprover, startMini, type TestServer } from '../support/server.js';
import { ADMIN, days } from './retention-fixture.js';

describe.each(ENGINES)('the purge preview on %s', (engine) => {
  let t: TestServer;
  let approver: string;
  const AT = days(200); // past every period the mini enterprise's data has, and the high-risk floor

  /** What a purge changes, read straight from the tables. */
  const state = async () => {
    const { db } = t.app.database;
    const all = async (table: 'audit_entries' | 'task_events' | 'approvals' | 'settings' | 'task_traces') =>
      (await db.selectFrom(table).selectAll().execute()).map((r) => JSON.stringify(r)).sort();
    return {
      audit: await all('audit_entries'),
      events: await all('task_events'),
      approvals: await all('approvals'),
      settings: await all('settings'),
      traces: await all('task_traces'),
    };
  };

  beforeAll(async () => {
    let key: string;
    ({ t, key } = await startMini(engine));
    approver = await addApprover(t);
    const periods = { auditEntries: 183, decisions: 30, events: 30, spans: 30, arguments: 30, shadowAgents: 30 };
    const set = await t.request({ method: 'PUT', url: '/v1/retention', payload: periods });
    expect(set.statusCode, set.body).toBe(200);
    for (let i = 0; i < 3; i++) {
      const d = await t.request({
        method: 'POST',
        url: '/v1/decisions',
        token: key,
        payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: `c${i}` } },
      });
      expect(d.statusCode, d.body).toBe(200);
    }
    // A refund held for approval, then denied: its arguments sit in the approval too.
    const asked = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: {
        action: 'tool.call',
        tool: 'crm.refund',
        arguments: { orderId: 'A-1', amount: 900 },
        dataDomains: ['customer-records'],
      },
    });
    expect(asked.statusCode, asked.body).toBe(200);
    const denied = await t.request({
      method: 'POST',
      url: `/v1/approvals/${asked.json().approvalId}/deny`,
      payload: { comment: 'no' },
    });
    expect(denied.statusCode, denied.body).toBe(200);
    const events = await t.request({
      method: 'POST',
      url: '/v1/events',
      token: key,
      payload: {
        events: [{ type: 'task.completed', taskId: 't1', outcome: 'resolved', durationMs: 1, endedAt: new Date().toISOString() }],
      },
    });
    expect(events.statusCode, events.body).toBe(200);
  });
  afterAll(async () => t?.close());

  it('says what a purge would remove, changes nothing, and the purge then removes exactly that', async () => {
    const before = await state();
    const preview = await t.app.retention.preview(ADMIN, AT);
    expect(preview.dryRun).toBe(true);
    expect(preview.decisions).toBeGreaterThanOrEqual(4);
    expect(preview.auditEntries).toBeGreaterThanOrEqual(1);
    expect(preview.events).toBe(1);
    // The decisions' entries and the denied approval's copy of the refund's arguments.
    expect(preview.arguments).toBeGreaterThanOrEqual(5);
    expect(await state()).toEqual(before);

    const purged = await t.app.retention.purge(ADMIN, AT);
    expect(purged).not.toHaveProperty('dryRun');
    const { dryRun: _, ...said } = preview;
    expect(purged).toEqual(said);
    // Nothing left but the purge's own record (made now, and past the acts' period at AT).
    const again = await t.app.retention.preview(ADMIN, AT);
    expect(again).toMatchObject({ decisions: 0, auditEntries: 1, events: 0, spans: 0, arguments: 0 });
  });

  it('is offered over HTTP to those who may purge, and refused to those who may only read', async () => {
    const r = await t.request({ method: 'POST', url: '/v1/retention/purge?dryRun=true' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ dryRun: true, held: { highRiskCount: expect.any(Number) } });
    const entries = await t.request({ method: 'GET', url: '/v1/audit?kind=retention.purged' });
    const purges = entries.json().items.length;
    await t.request({ method: 'POST', url: '/v1/retention/purge?dryRun=true' });
    expect((await t.request({ method: 'GET', url: '/v1/audit?kind=retention.purged' })).json().items).toHaveLength(purges);

    const reads = await t.request({ method: 'GET', url: '/v1/retention', token: approver });
    expect(reads.statusCode, reads.body).toBe(200);
    const refused = await t.request({ method: 'POST', url: '/v1/retention/purge?dryRun=true', token: approver });
    expect(refused.statusCode, refused.body).toBe(403);
    const bad = await t.request({ method: 'POST', url: '/v1/retention/purge?dryRun=perhaps' });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json().error.message).toMatch(/dryRun/);
  });
});
