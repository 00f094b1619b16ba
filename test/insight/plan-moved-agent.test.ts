// An incident belongs to the initiatives it was opened under (those it names: given, and those of its
// agents then). Found by review: the plan counted an open incident against whatever initiative its
// agents belong to now, so an agent moved to another initiative blocked the new one's scaling with an
// incident from its old one (and so did an agent that only left the old initiative while the incident
// was open: the move links it to that initiative's open incidents, to keep its data held).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/insight/plan.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const agent = (initiative: string) => ({
  spec: { initiative, archetype: 'support-agent', owner: 'omar.owner', framework: 'openai-agents-sdk' },
});

describe.each(ENGINES)('the plan and an agent moved to another initiative (%s)', (engine) => {
  let t: TestServer;
  const incidentBlockers = async (initiative: string) => {
    const r = await t.request({ method: 'GET', url: '/v1/plan' });
    expect(r.statusCode, r.body).toBe(200);
    const i = (r.json() as Plan).initiatives.find((x) => x.name === initiative);
    expect(i, `${initiative} in the plan`).toBeDefined();
    return (i?.blockers ?? []).filter((b) => b.gap === 'open-incident').map((b) => b.detail);
  };
  const open = async (title: string, agents: string[]) => {
    const r = await t.request({ method: 'POST', url: '/v1/incidents', payload: { title, severity: 'sev2', agents } });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const move = async (name: string, initiative: string) => {
    const r = await t.request({ method: 'PUT', url: `/v1/agents/${name}`, payload: agent(initiative) });
    expect(r.statusCode, r.body).toBeLessThan(300);
  };

  beforeAll(async () => {
    t = await startTestServer(engine);
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    const initiative = (await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection' })).json();
    const second = await t.request({
      method: 'PUT',
      url: '/v1/initiatives/support-two',
      payload: { spec: { ...initiative.spec, title: 'A second support initiative' } },
    });
    expect(second.statusCode, second.body).toBe(201);
    await move('bystander', 'support-deflection');
  });
  afterAll(async () => t?.close());

  it('keeps an incident on the initiative it was opened under, not on the one its agent moved to', async () => {
    const id = await open('refunds paid twice', ['support-bot-eu']);
    await move('support-bot-eu', 'support-two');
    // An agent that was not named, leaving while the incident is open, is linked to it (retention).
    await move('bystander', 'support-two');
    const linked = (await t.request({ method: 'GET', url: `/v1/incidents/${id}` })).json();
    expect(linked.agents).toEqual(['support-bot-eu', 'bystander']);
    expect(linked.initiatives).toEqual(['support-deflection']);

    expect(await incidentBlockers('support-deflection')).toEqual([expect.stringContaining(id)]);
    expect(await incidentBlockers('support-two')).toEqual([]);
  });

  it('an incident opened after the move is the new initiative’s', async () => {
    const id = await open('wrong refund amount', ['support-bot-eu']);
    expect(await incidentBlockers('support-two')).toEqual([expect.stringContaining(id)]);
    expect((await incidentBlockers('support-deflection')).some((d) => d.includes(id))).toBe(false);
  });
});
