// Found by review: retention holds the agents of an open incident's initiatives as the registry lists
// them at purge, so moving an agent to another initiative released its data: a registry writer could
// move it, purge the incident's evidence, and move it back. An agent leaving an initiative is now
// linked to that initiative's open incidents, in the registry write's transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { MINI, readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ADMIN, days, decideTimes, decisionsOf } from './retention-fixture.js';

const agentIn = (initiative: string) => ({
  spec: { initiative, archetype: 'support-agent', owner: 'dana.lee', framework: 'openai-agents-sdk' },
});

describe.each(ENGINES)('an agent leaving an initiative with an open incident on %s', (engine) => {
  let t: TestServer;
  let incident: string;
  const decisions = () => decisionsOf(t, 'faq-bot');

  beforeAll(async () => {
    t = await startTestServer(engine);
    await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    for (const name of ['faq', 'other'])
      await t.request({
        method: 'PUT',
        url: `/v1/initiatives/${name}`,
        payload: {
          spec: { title: name, type: 'chatbot', riskTier: 'low', stage: 'production', owner: 'dana.lee', businessUnit: 'cx' },
        },
      });
    expect((await t.request({ method: 'PUT', url: '/v1/agents/faq-bot', payload: agentIn('faq') })).statusCode).toBe(201);
    await decideTimes(t, (await t.request({ method: 'POST', url: '/v1/agents/faq-bot/keys' })).json().key, 3);
    const inc = await t.request({
      method: 'POST',
      url: '/v1/incidents',
      payload: { title: 'faq leaks', severity: 'sev2', initiatives: ['faq'] },
    });
    expect(inc.statusCode).toBe(201);
    incident = inc.json().id;
    expect((await t.request({ method: 'PUT', url: '/v1/retention', payload: { decisions: 30 } })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('keeps its data held until the incident closes, and the timeline says why', async () => {
    expect((await t.app.retention.purge(ADMIN, days(45))).decisions).toBe(0);
    expect((await t.request({ method: 'PUT', url: '/v1/agents/faq-bot', payload: agentIn('other') })).statusCode).toBe(200);
    const moved = await t.app.retention.purge(ADMIN, days(45));
    expect(moved.held.incident).toContain('faq-bot');
    expect(await decisions()).toBe(3);
    const full = (await t.request({ method: 'GET', url: `/v1/incidents/${incident}` })).json();
    expect(full.agents).toEqual(['faq-bot']);
    expect(full.timeline.at(-1)).toMatchObject({
      kind: 'linked',
      actor: 'admin',
      note: 'agent faq-bot left faq (moved to initiative other): linked, so its data stays held',
    });
    // Moving back and away again links it once.
    await t.request({ method: 'PUT', url: '/v1/agents/faq-bot', payload: agentIn('faq') });
    await t.request({ method: 'PUT', url: '/v1/agents/faq-bot', payload: agentIn('other') });
    const again = (await t.request({ method: 'GET', url: `/v1/incidents/${incident}` })).json();
    expect(again.agents).toEqual(['faq-bot']);
    expect(again.timeline.filter((e: { kind: string }) => e.kind === 'linked')).toHaveLength(1);
    // Closed: the hold ends.
    expect(
      (await t.request({ method: 'POST', url: `/v1/incidents/${incident}/transitions`, payload: { to: 'closed' } })).statusCode,
    ).toBe(200);
    expect((await t.app.retention.purge(ADMIN, days(45))).decisions).toBe(3);
  });
});
