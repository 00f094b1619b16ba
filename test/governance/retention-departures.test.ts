// Found by review: retention bound three parameters per departed agent (agent_departures), so with
// some 11,000 departures the purge passed SQLite's 32,766 bound variables (PostgreSQL's 65,535 a few
// thousand later) and failed every run. The hold is now one correlated NOT EXISTS, whatever the count;
// and a departure row goes once the high-risk floor has passed its leaving (nothing it holds is left).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELD_LISTED } from '../../src/governance/retention.js';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';
import { ADMIN, agentIn, days, decideTimes, decisionsOf, initiative } from './retention-fixture.js';

/** More departures than either engine's bound-variable limit at three a departure (65,535 / 3). */
const DEPARTURES = 22_000;

describe.each(ENGINES)('retention with many departed agents on %s', (engine) => {
  let t: TestServer;
  const departures = async () =>
    Number(
      (
        await t.app.database.db
          .selectFrom('agent_departures')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

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
    await decideTimes(t, key, 3);
    const put = await t.request({ method: 'PUT', url: '/v1/retention', payload: { decisions: 30 } });
    expect(put.statusCode).toBe(200);
    expect((await t.request({ method: 'PUT', url: '/v1/agents/hr-bot', payload: agentIn('faq') })).statusCode).toBe(200);
    // Agents gone from high-risk initiatives over the last months (rows as the registry writes them).
    const { db } = t.app.database;
    const rows = Array.from({ length: DEPARTURES }, (_, i) => ({
      agent: `gone-${i}`,
      initiative: 'hiring',
      tier: 'high',
      left_at: new Date(Date.now() - (i % 150) * 86_400_000).toISOString(),
    }));
    for (let i = 0; i < rows.length; i += 2000)
      await db
        .insertInto('agent_departures')
        .values(rows.slice(i, i + 2000))
        .execute();
    expect(await departures()).toBe(DEPARTURES + 1);
  }, 120_000);
  afterAll(async () => t?.close());

  it('purges, holding a departed agent to the floor, and drops departures the floor has passed', async () => {
    const soon = await t.app.retention.purge(ADMIN, days(100));
    // Thousands held: the answer names the first HELD_LISTED (gone-…, before hr-bot) and counts them all.
    expect(soon.held.highRisk).toHaveLength(HELD_LISTED);
    expect(soon.held.highRiskCount).toBeGreaterThan(HELD_LISTED);
    expect(await decisionsOf(t, 'hr-bot')).toBe(3);
    // At +100 days the floor (183 days back) is 83 days ago: departures from 84 to 149 days ago are past it.
    const kept = await departures();
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(DEPARTURES + 1);
    const stillHeld = await t.app.database.db
      .selectFrom('agent_departures')
      .select('left_at')
      .where('left_at', '<', days(100 - 183).toISOString())
      .execute();
    expect(stillHeld).toEqual([]);

    const late = await t.app.retention.purge(ADMIN, days(200));
    expect(late.held.highRisk).not.toContain('hr-bot');
    expect(await decisionsOf(t, 'hr-bot')).toBe(0);
    expect(await departures()).toBe(0);
  }, 120_000);
});
