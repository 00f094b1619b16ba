// Retention with more agents than SQLite's 32,766 bound variables, on each side of a hold: the
// high-risk and open-incident holds bound a parameter per agent, so a fleet that large failed every
// purge (as departures did: retention-departures.test.ts); and the answer listed every held agent.
// The holds are now one parameter each whatever the count, and the answer lists the first
// HELD_LISTED of each, saying how many there are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELD_LISTED } from '../../src/governance/retention.js';
import { ENGINES } from '../support/databases.js';
import { readMini } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ADMIN, agentIn, days, decideTimes, decisionsOf, initiative } from './retention-fixture.js';

/** Agents in each hold, past SQLite's 32,766 bound variables. */
const FLEET = 33_000;

describe.each(ENGINES)('retention with a fleet of agents on %s', (engine) => {
  let t: TestServer;

  beforeAll(async () => {
    // The mini enterprise without startMini's key for support-bot-eu: that key's entry (credential.issued)
    // would start the chain, held with the high-risk agent's logs, and with it everything after it.
    t = await startTestServer(engine);
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readMini() } });
    expect(applied.statusCode, applied.body).toBe(200);
    for (const [name, tier] of [
      ['hiring', 'high'],
      ['faq', 'low'],
      ['misc', 'low'],
    ] as const)
      expect(
        (await t.request({ method: 'PUT', url: `/v1/initiatives/${name}`, payload: initiative(name, tier) })).statusCode,
      ).toBe(201);
    // One chain: free-bot's decisions first (they may go), then the held agents'.
    for (const [agent, init] of [
      ['free-bot', 'misc'],
      ['hr-bot', 'hiring'],
      ['faq-bot', 'faq'],
    ] as const) {
      expect((await t.request({ method: 'PUT', url: `/v1/agents/${agent}`, payload: agentIn(init) })).statusCode).toBe(201);
      await decideTimes(t, (await t.request({ method: 'POST', url: `/v1/agents/${agent}/keys` })).json().key, 3);
    }
    const inc = await t.request({
      method: 'POST',
      url: '/v1/incidents',
      payload: { title: 'wrong answers', severity: 'sev3', initiatives: ['faq'] },
    });
    expect(inc.statusCode, inc.body).toBe(201);
    const periods = { decisions: 30, events: 30, spans: 30, arguments: 30 };
    expect((await t.request({ method: 'PUT', url: '/v1/retention', payload: periods })).statusCode).toBe(200);
    // The rest of the fleet, as the registry stores it (applying 66,000 descriptors through the API takes minutes).
    const at = new Date().toISOString();
    const rows = ['hiring', 'faq'].flatMap((init) =>
      Array.from({ length: FLEET }, (_, i) => ({
        kind: 'Agent',
        name: `${init}-${String(i).padStart(5, '0')}`,
        labels: '{}',
        spec: JSON.stringify(agentIn(init).spec),
        generation: 1,
        created_at: at,
        updated_at: at,
      })),
    );
    const { db } = t.app.database;
    for (let i = 0; i < rows.length; i += 2000)
      await db
        .insertInto('registry_objects')
        .values(rows.slice(i, i + 2000))
        .execute();
  }, 180_000);
  afterAll(async () => t?.close());

  it('holds high-risk and incident-linked agents, and lists the first of each with their count', async () => {
    const r = await t.app.retention.purge(ADMIN, days(100));
    expect(await decisionsOf(t, 'free-bot')).toBe(0);
    expect(await decisionsOf(t, 'hr-bot')).toBe(3);
    expect(await decisionsOf(t, 'faq-bot')).toBe(3);
    expect(r.decisions).toBe(3);
    // hr-bot and the mini enterprise's support-bot-eu beside the fleet; faq-bot beside it.
    expect(r.held.highRiskCount).toBe(FLEET + 2);
    expect(r.held.incidentCount).toBe(FLEET + 1);
    expect(r.held.highRisk).toHaveLength(HELD_LISTED);
    expect(r.held.incident).toHaveLength(HELD_LISTED);
    // In name order: the first names of each.
    expect(r.held.highRisk.slice(0, 2)).toEqual(['hiring-00000', 'hiring-00001']);
    expect(r.held.incident.slice(0, 2)).toEqual(['faq-00000', 'faq-00001']);
  }, 120_000);
});
