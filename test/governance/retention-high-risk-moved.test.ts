// Found by review: the six-month floor of high-risk logs (EU AI Act Art. 19, 26(6)) followed the
// agent's initiative at purge, so moving an agent out of a high-risk initiative released what it did
// there at once: its decisions, stored arguments and task events went at the shorter period. A move
// out of an initiative is now recorded in the registry write, and what the agent did before it is
// held to the floor while that initiative is (or, when it left, was) high-risk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';
import { ADMIN, agentIn, days, initiative } from './retention-fixture.js';

describe.each(ENGINES)('an agent moved out of a high-risk initiative on %s', (engine) => {
  let t: TestServer;
  const left = async () => {
    const { db } = t.app.database;
    const count = async (q: Promise<Array<unknown>>) => (await q).length;
    return {
      decisions: await count(
        db.selectFrom('audit_entries').select('id').where('agent', '=', 'hr-bot').where('kind', '=', 'decision').execute(),
      ),
      arguments: await count(
        db.selectFrom('audit_entries').select('id').where('agent', '=', 'hr-bot').where('arguments', 'is not', null).execute(),
      ),
      events: await count(db.selectFrom('task_events').select('task_id').where('agent', '=', 'hr-bot').execute()),
    };
  };

  beforeAll(async () => {
    ({ t } = await startMini(engine));
    for (const [name, tier] of [
      ['hiring', 'high'],
      ['faq', 'low'],
    ] as const)
      expect(
        (await t.request({ method: 'PUT', url: `/v1/initiatives/${name}`, payload: initiative(name, tier) })).statusCode,
      ).toBe(201);
    expect((await t.request({ method: 'PUT', url: '/v1/agents/hr-bot', payload: agentIn('hiring') })).statusCode).toBe(201);
    const key = (await t.request({ method: 'POST', url: '/v1/agents/hr-bot/keys' })).json().key;
    for (let i = 0; i < 3; i++) {
      const d = await t.request({
        method: 'POST',
        url: '/v1/decisions',
        token: key,
        payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { i } },
      });
      expect(d.statusCode, d.body).toBe(200);
    }
    const { db } = t.app.database;
    await db
      .updateTable('audit_entries')
      .set({ arguments: '{"i":0}' })
      .where('agent', '=', 'hr-bot')
      .where('kind', '=', 'decision')
      .execute();
    const at = new Date().toISOString();
    await db
      .insertInto('task_events')
      .values({
        agent: 'hr-bot',
        task_id: 'task-1',
        type: 'task.completed',
        outcome: 'resolved',
        ended_at: at,
        day: at.slice(0, 10),
        source: 'api',
        registered: 1,
        attributes: '{}',
        received_at: at,
      })
      .execute();
    const put = await t.request({ method: 'PUT', url: '/v1/retention', payload: { decisions: 30, events: 30, arguments: 30 } });
    expect(put.statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('keeps what it did there for the high-risk floor, then lets it go', async () => {
    expect((await t.app.retention.purge(ADMIN, days(100))).held.highRisk).toContain('hr-bot');
    expect(await left()).toEqual({ decisions: 3, arguments: 3, events: 1 });

    expect((await t.request({ method: 'PUT', url: '/v1/agents/hr-bot', payload: agentIn('faq') })).statusCode).toBe(200);
    const moved = await t.app.retention.purge(ADMIN, days(100));
    expect(moved.held.highRisk).toContain('hr-bot');
    expect(await left()).toEqual({ decisions: 3, arguments: 3, events: 1 });

    // Lowering the initiative's tier afterwards does not release what was done under the high one.
    expect(
      (await t.request({ method: 'PUT', url: '/v1/initiatives/hiring', payload: initiative('hiring', 'low') })).statusCode,
    ).toBe(200);
    await t.app.retention.purge(ADMIN, days(100));
    expect(await left()).toEqual({ decisions: 3, arguments: 3, events: 1 });

    // Past the floor it goes.
    await t.app.retention.purge(ADMIN, days(200));
    expect(await left()).toEqual({ decisions: 0, arguments: 0, events: 0 });
  });
});
