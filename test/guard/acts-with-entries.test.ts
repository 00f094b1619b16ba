// A person's act on the guard (a suspension, a resume, an approval's verdict) and an agent's outcome
// report commit with the audit entries that record them, or not at all. Made first and recorded after,
// an entry that failed (here: the database refusing that kind of entry) left the change standing with
// nothing in the log: an agent resumed, an approval granted, by nobody the log could name.
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { clearAuditFault, entriesOf, failAuditKind } from '../support/audit-fault.js';
import { ENGINES } from '../support/databases.js';
import { addApprover, startMini, type TestServer } from '../support/server.js';

describe.each(ENGINES)('an act whose audit entry cannot be written (%s)', (engine) => {
  let t: TestServer;
  let key: string;
  let approver: string;
  let db: Kysely<Database>;
  const agent = 'support-bot-eu';

  const decide = async (payload: Record<string, unknown>) => {
    const r = await t.request({ method: 'POST', url: '/v1/decisions', token: key, payload });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { decision: string; decisionId: string; approvalId?: string };
  };
  // A refund asks a person (the agent is supervised); a lookup is allowed while the agent runs.
  const refund = (amount: number) =>
    decide({
      action: 'tool.call',
      tool: 'crm.refund',
      arguments: { amount, orderId: `o-${amount}` },
      dataDomains: ['customer-records'],
    });
  const lookup = (customerId: string) =>
    decide({ action: 'tool.call', tool: 'crm.lookup', arguments: { customerId }, dataDomains: ['customer-records'] });
  const control = (verb: 'suspend' | 'resume') =>
    t.request({ method: 'POST', url: `/v1/agents/${agent}/${verb}`, payload: { reason: 'drill' } });
  const verdict = (id: string, verb: 'approve' | 'deny') =>
    t.request({ method: 'POST', url: `/v1/approvals/${id}/${verb}`, token: approver, payload: {} });
  const approvalStatus = async (id: string) =>
    (await t.request({ method: 'GET', url: `/v1/approvals/${id}` })).json().status as string;
  const suspended = async () =>
    (await db.selectFrom('agent_controls').select('agent').where('agent', '=', agent).executeTakeFirst()) !== undefined;
  const expectRefused = (r: Awaited<ReturnType<TestServer['request']>>) => {
    expect(r.statusCode, r.body).toBeGreaterThanOrEqual(500);
    expect(r.json().error.code, r.body).toBeDefined();
  };
  const verifies = async () => {
    const v = (await t.request({ method: 'GET', url: '/v1/audit/verify' })).json();
    expect(v.ok, JSON.stringify(v)).toBe(true);
  };

  beforeAll(async () => {
    // /metrics rendered at each scrape: the test reads a count before and after.
    ({ t, key } = await startMini(engine, { metricsCacheMs: 0 }));
    approver = await addApprover(t);
    db = t.app.database.db;
  });
  afterEach(async () => clearAuditFault(db, engine));
  afterAll(async () => t?.close());

  it.each([
    ['approve', 'approval.approved', 'approved'],
    ['deny', 'approval.denied', 'denied'],
  ] as const)('a verdict (%s) is not given, and given once when tried again', async (verb, kind, status) => {
    const asked = await refund(verb === 'approve' ? 901 : 902);
    expect(asked.decision).toBe('approval_required');
    const id = asked.approvalId as string;
    await failAuditKind(db, engine, kind);
    expectRefused(await verdict(id, verb));
    expect(await approvalStatus(id)).toBe('pending');
    await clearAuditFault(db, engine);
    const given = await verdict(id, verb);
    expect(given.statusCode, given.body).toBe(200);
    expect(await approvalStatus(id)).toBe(status);
    expect((await verdict(id, verb)).statusCode).toBe(409);
    expect(await entriesOf(db, kind, { approvalId: id })).toBe(1);
    await verifies();
  });

  it("an agent's outcome report is not claimed, and recorded once when tried again", async () => {
    const allowed = await lookup('c-22');
    expect(allowed.decision).toBe('allow');
    const report = () =>
      t.request({
        method: 'POST',
        url: `/v1/decisions/${allowed.decisionId}/outcome`,
        token: key,
        payload: { outcome: 'succeeded', durationMs: 12 },
      });
    await failAuditKind(db, engine, 'call.outcome');
    expectRefused(await report());
    await clearAuditFault(db, engine);
    const recorded = await report();
    expect(recorded.statusCode, recorded.body).toBe(204);
    expect((await report()).statusCode).toBe(409);
    expect(await entriesOf(db, 'call.outcome', { agent })).toBe(1);
    await verifies();
  });

  it('counts a failed entry as a failed audit commit, and a refused or failed change as none', async () => {
    const failedCommits = async () => {
      const text = (await t.request({ method: 'GET', url: '/metrics', token: null })).body;
      const line = text.split('\n').find((l) => l.startsWith('fulcrum_audit_commit_seconds_count{result="error"} '));
      return line === undefined ? 0 : Number(line.split(' ')[1]);
    };
    const before = await failedCommits();
    // Refused in the change: not found, not allowed (an agent's key), a conflict.
    const unknown = await t.request({ method: 'POST', url: '/v1/agents/no-such-bot/suspend', payload: { reason: 'drill' } });
    expect(unknown.statusCode, unknown.body).toBe(404);
    const asAgent = await t.request({ method: 'POST', url: `/v1/agents/${agent}/suspend`, token: key, payload: { reason: 'x' } });
    expect(asAgent.statusCode, asAgent.body).toBe(403);
    const asked = await refund(903);
    expect((await verdict(asked.approvalId as string, 'deny')).statusCode).toBe(200);
    expect((await verdict(asked.approvalId as string, 'approve')).statusCode).toBe(409);
    // The change's own write refused by the database (PostgreSQL stores no NUL in text; SQLite does,
    // and opens the incident): the log did not fail. Through the service, as the HTTP API refuses such
    // a title before any change (src/http/unstorable-input.ts).
    const nul = t.app.incidents.open({ type: 'admin', id: 'admin' }, { title: 'a\u0000b', severity: 'sev3' });
    if (engine === 'postgres') await expect(nul).rejects.toThrow();
    else await expect(nul).resolves.toMatchObject({ title: 'a\u0000b' });
    expect(await failedCommits()).toBe(before);
    await failAuditKind(db, engine, 'agent.suspended');
    expectRefused(await control('suspend'));
    expect(await failedCommits()).toBe(before + 1);
  });

  it('a suspension is not made, and made once when tried again', async () => {
    await failAuditKind(db, engine, 'agent.suspended');
    expectRefused(await control('suspend'));
    expect(await suspended()).toBe(false);
    expect((await lookup('c-20')).decision).toBe('allow');
    await clearAuditFault(db, engine);
    expect((await control('suspend')).statusCode).toBe(200);
    expect(await suspended()).toBe(true);
    expect(await entriesOf(db, 'agent.suspended', { agent })).toBe(1);
    await verifies();
  });

  it('a resume is not made: the agent stays stopped, and is resumed once when tried again', async () => {
    await failAuditKind(db, engine, 'agent.resumed');
    expectRefused(await control('resume'));
    expect(await suspended()).toBe(true);
    expect((await lookup('c-21')).decision).toBe('deny');
    await clearAuditFault(db, engine);
    expect((await control('resume')).statusCode).toBe(200);
    expect(await suspended()).toBe(false);
    // A second resume changes nothing, and records nothing.
    expect((await control('resume')).statusCode).toBe(200);
    expect(await entriesOf(db, 'agent.resumed', { agent })).toBe(1);
    expect((await lookup('c-21')).decision).toBe('allow');
    await verifies();
  });

  it('a suspension whose revocation of an open approval cannot be recorded revokes nothing and stops nothing', async () => {
    const asked = await refund(900);
    expect(asked.decision).toBe('approval_required');
    const id = asked.approvalId as string;
    await failAuditKind(db, engine, 'approval.revoked');
    expectRefused(await control('suspend'));
    expect(await suspended()).toBe(false);
    expect(await approvalStatus(id)).toBe('pending');
    await clearAuditFault(db, engine);
    expect((await control('suspend')).statusCode).toBe(200);
    expect(await approvalStatus(id)).toBe('revoked');
    expect(await entriesOf(db, 'approval.revoked', { approvalId: id })).toBe(1);
    expect((await control('resume')).statusCode).toBe(200);
    await verifies();
  });
});
