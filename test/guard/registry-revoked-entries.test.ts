// The approvals a registry write revokes (an Agent retired, suspended or deleted through the registry,
// its initiative set to proposed or retired, a Tool deleted or taken from its tools) are audit entries committed with the write, as the kill
// switch's are. Before, they were appended after the write had committed, in a transaction of their
// own: an entry that failed there (a database error, the process ending between the two) left the
// agent stopped and its approvals revoked with no approval.revoked in the log (found by review).
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { clearAuditFault, entriesOf, failAuditKind } from '../support/audit-fault.js';
import { ENGINES } from '../support/databases.js';
import { supportBotSpec } from '../support/files.js';
import { startMini, type TestServer } from '../support/server.js';

const AGENT = 'support-bot-eu';

describe.each(ENGINES)('approvals a registry write revokes, recorded with the write (%s)', (engine) => {
  let t: TestServer;
  let db: Kysely<Database>;
  let key: string;

  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
    db = t.app.database.db;
  });
  afterEach(async () => clearAuditFault(db, engine));
  afterAll(async () => t?.close());

  /** A refund that needs a person's approval: the id of the approval it opened. */
  async function pending(orderId: string): Promise<string> {
    const r = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'tool.call', tool: 'crm.refund', arguments: { amount: 900, orderId } },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().decision).toBe('approval_required');
    return r.json().approvalId as string;
  }
  const status = async (id: string) =>
    (await db.selectFrom('approvals').select('status').where('id', '=', id).executeTakeFirst())?.status;
  const agentStatus = async () => (await t.request({ method: 'GET', url: `/v1/agents/${AGENT}` })).json().spec.status;
  async function verified() {
    const v = (await t.request({ method: 'GET', url: '/v1/audit/verify' })).json();
    expect(v.ok, JSON.stringify(v)).toBe(true);
  }

  it('retires no agent whose revoked approvals cannot be recorded; asked again, retires it once, with one entry', async () => {
    const id = await pending('retire-1');
    await failAuditKind(db, engine, 'approval.revoked');
    const refused = await t.request({ method: 'PUT', url: `/v1/agents/${AGENT}`, payload: { spec: supportBotSpec('retired') } });
    expect(refused.statusCode, refused.body).toBeGreaterThanOrEqual(500);
    // Nothing changed: the agent is active, its approval open, and no entry says otherwise.
    expect(await agentStatus()).toBe('active');
    expect(await status(id)).toBe('pending');
    expect(await entriesOf(db, 'approval.revoked', { approvalId: id })).toBe(0);

    await clearAuditFault(db, engine);
    const put = await t.request({ method: 'PUT', url: `/v1/agents/${AGENT}`, payload: { spec: supportBotSpec('retired') } });
    expect(put.statusCode, put.body).toBe(200);
    expect(await agentStatus()).toBe('retired');
    expect(await status(id)).toBe('revoked');
    expect(await entriesOf(db, 'approval.revoked', { approvalId: id })).toBe(1);
    await verified();

    const back = await t.request({ method: 'PUT', url: `/v1/agents/${AGENT}`, payload: { spec: supportBotSpec('active') } });
    expect(back.statusCode, back.body).toBe(200);
  });

  it("stops no initiative whose agents' revoked approvals cannot be recorded (its stage set to proposed)", async () => {
    const id = await pending('proposed-1');
    const initiative = (await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection' })).json();
    const proposed = {
      method: 'PUT' as const,
      url: '/v1/initiatives/support-deflection',
      payload: { spec: { ...initiative.spec, stage: 'proposed' } },
    };
    await failAuditKind(db, engine, 'approval.revoked');
    const refused = await t.request(proposed);
    expect(refused.statusCode, refused.body).toBeGreaterThanOrEqual(500);
    expect((await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection' })).json().spec.stage).toBe(
      initiative.spec.stage,
    );
    expect(await status(id)).toBe('pending');

    await clearAuditFault(db, engine);
    const put = await t.request(proposed);
    expect(put.statusCode, put.body).toBe(200);
    expect(await status(id)).toBe('revoked');
    expect(await entriesOf(db, 'approval.revoked', { approvalId: id })).toBe(1);
    await verified();
    const back = await t.request({ ...proposed, payload: { spec: initiative.spec } });
    expect(back.statusCode, back.body).toBe(200);
  });

  it("takes no Tool from an archetype whose agents' revoked approvals cannot be recorded", async () => {
    const id = await pending('tool-1');
    const archetype = (await t.request({ method: 'GET', url: '/v1/archetypes/support-agent' })).json();
    const withdraw = {
      method: 'PUT' as const,
      url: '/v1/archetypes/support-agent',
      payload: { spec: { ...archetype.spec, tools: ['crm.lookup'] } },
    };
    await failAuditKind(db, engine, 'approval.revoked');
    const refused = await t.request(withdraw);
    expect(refused.statusCode, refused.body).toBeGreaterThanOrEqual(500);
    expect((await t.request({ method: 'GET', url: '/v1/archetypes/support-agent' })).json().spec.tools).toEqual(
      archetype.spec.tools,
    );
    expect(await status(id)).toBe('pending');

    await clearAuditFault(db, engine);
    const put = await t.request(withdraw);
    expect(put.statusCode, put.body).toBe(200);
    expect(await status(id)).toBe('revoked');
    expect(await entriesOf(db, 'approval.revoked', { approvalId: id })).toBe(1);
    await verified();
    const back = await t.request({ ...withdraw, payload: { spec: archetype.spec } });
    expect(back.statusCode, back.body).toBe(200);
  });

  it('deletes no agent whose revoked approvals cannot be recorded', async () => {
    const id = await pending('delete-1');
    await failAuditKind(db, engine, 'approval.revoked');
    const refused = await t.request({ method: 'DELETE', url: `/v1/agents/${AGENT}` });
    expect(refused.statusCode, refused.body).toBeGreaterThanOrEqual(500);
    expect((await t.request({ method: 'GET', url: `/v1/agents/${AGENT}` })).statusCode).toBe(200);
    expect(await status(id)).toBe('pending');

    await clearAuditFault(db, engine);
    expect((await t.request({ method: 'DELETE', url: `/v1/agents/${AGENT}` })).statusCode).toBe(204);
    expect(await status(id)).toBe('revoked');
    expect(await entriesOf(db, 'approval.revoked', { approvalId: id })).toBe(1);
    await verified();
  });
});
