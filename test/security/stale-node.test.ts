// A node acts on the registry as committed, not on its cached view of it. Node 1 below polls the
// registry once a minute, so for the whole test it has not seen what is written through node 0: a
// write or a check it makes must still see that (an initiative just created, an agent just
// registered, handed over or suspended), or a person keeps powers already taken from them until
// the node next polls.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { ADMIN_TOKEN, startCluster, type TestCluster } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.skipIf(!ENGINES.includes('postgres'))('a node that has not polled yet (postgres)', () => {
  let c: TestCluster;
  const tokens: Record<string, string> = {};

  const request = (node: number, method: 'GET' | 'PUT' | 'POST', url: string, token: string, payload?: object) =>
    c.request(node, { method, url, token, ...(payload ? { payload } : {}) });
  const agent = (owner: string) => ({
    initiative: 'support-deflection',
    archetype: 'support-agent',
    owner,
    framework: 'openai-agents-sdk',
  });

  beforeAll(async () => {
    c = await startCluster('postgres', [{}, { registryPollMs: 60_000 }]);
    expect((await request(0, 'POST', '/v1/apply', ADMIN_TOKEN, { files: readBundle(MINI) })).statusCode).toBe(200);
    const ada = await request(0, 'PUT', '/v1/people/ada.admin', ADMIN_TOKEN, {
      spec: { displayName: 'Ada', roles: ['admin'], email: 'ada@acme.example' },
    });
    expect(ada.statusCode, ada.body).toBe(201);
    for (const name of ['ada.admin', 'omar.owner', 'dana.lee']) {
      const made = await request(0, 'POST', `/v1/people/${name}/tokens`, ADMIN_TOKEN, { description: 'stale node' });
      expect(made.statusCode, made.body).toBe(201);
      tokens[name] = made.json().token;
    }
  });
  afterAll(async () => c?.close());

  it('assesses an initiative just created through the other node', async () => {
    const { questions } = (await request(0, 'GET', '/v1/risk-questionnaire', ADMIN_TOKEN)).json();
    const answers = { ...Object.fromEntries(Object.keys(questions).map((q) => [q, false])), prohibitedPractices: [] };
    const spec = {
      title: 'Fresh',
      type: 'agent',
      stage: 'pilot',
      stageSince: '2026-06-01',
      owner: 'dana.lee',
      businessUnit: 'cx',
    };
    expect((await request(0, 'PUT', '/v1/initiatives/fresh', ADMIN_TOKEN, { spec })).statusCode).toBe(201);
    const assessed = await request(1, 'POST', '/v1/initiatives/fresh/risk-assessment', tokens['ada.admin'] as string, {
      answers,
    });
    expect(assessed.statusCode, assessed.body).toBe(201);
    expect(assessed.json()).toMatchObject({ initiative: 'fresh', version: 1, tier: 'minimal', assessedBy: 'person:ada.admin' });
  });

  it('suspends, and simulates a decision for, an agent just registered through the other node', async () => {
    expect((await request(0, 'PUT', '/v1/agents/new-bot', ADMIN_TOKEN, { spec: agent('omar.owner') })).statusCode).toBe(201);
    const sim = await request(1, 'POST', '/v1/decisions/simulate', ADMIN_TOKEN, {
      agent: 'new-bot',
      request: { action: 'tool.call', tool: 'crm.refund', arguments: { amount: 600, orderId: 'x' } },
    });
    expect(sim.statusCode, sim.body).toBe(200);
    expect(sim.json()).toMatchObject({ decision: 'approval_required' });
    const suspended = await request(1, 'POST', '/v1/agents/new-bot/suspend', tokens['omar.owner'] as string, {
      reason: 'its owner stops it',
    });
    expect(suspended.statusCode, suspended.body).toBe(200);
    expect(suspended.json()).toMatchObject({ agent: 'new-bot', status: 'suspended', actor: 'person:omar.owner' });
  });

  it("keeps a platform suspension made through the other node when the agent's owner tries to lift it", async () => {
    expect((await request(0, 'PUT', '/v1/agents/held-bot', ADMIN_TOKEN, { spec: agent('omar.owner') })).statusCode).toBe(201);
    // Node 1 learns of the agent (and is up to date) through an owner's suspension and resumption.
    for (const verb of ['suspend', 'resume'])
      expect(
        (await request(1, 'POST', `/v1/agents/held-bot/${verb}`, tokens['omar.owner'] as string, { reason: 'drill' })).statusCode,
      ).toBe(200);
    const held = await request(0, 'POST', '/v1/agents/held-bot/suspend', tokens['dana.lee'] as string, {
      reason: 'under investigation',
    });
    expect(held.statusCode, held.body).toBe(200);
    const lifted = await request(1, 'POST', '/v1/agents/held-bot/resume', tokens['omar.owner'] as string, { reason: 'mine' });
    expect(lifted.statusCode, lifted.body).toBe(403);
    expect(lifted.json().error.message).toBe('held-bot was suspended by person:dana.lee: only platform or admin may resume it');
    const sim = await request(0, 'POST', '/v1/decisions/simulate', ADMIN_TOKEN, {
      agent: 'held-bot',
      request: { action: 'tool.call', tool: 'crm.lookup', arguments: { orderId: 'x' } },
    });
    expect(sim.json()).toMatchObject({ decision: 'deny' });
  });

  it('refuses a former owner the kill switch as soon as the agent is handed over through the other node', async () => {
    expect((await request(0, 'PUT', '/v1/agents/moved-bot', ADMIN_TOKEN, { spec: agent('omar.owner') })).statusCode).toBe(201);
    for (const verb of ['suspend', 'resume'])
      expect(
        (await request(1, 'POST', `/v1/agents/moved-bot/${verb}`, tokens['omar.owner'] as string, { reason: 'drill' }))
          .statusCode,
      ).toBe(200);
    expect((await request(0, 'PUT', '/v1/agents/moved-bot', ADMIN_TOKEN, { spec: agent('dana.lee') })).statusCode).toBe(200);
    const refused = await request(1, 'POST', '/v1/agents/moved-bot/suspend', tokens['omar.owner'] as string, {
      reason: 'not mine',
    });
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().error.message).toBe('person "omar.owner" may not suspend or resume agent "moved-bot"');
  });

  it('refuses a new owner the approvals of an agent handed to them through the other node a moment ago', async () => {
    expect((await request(0, 'PUT', '/v1/agents/handed-bot', ADMIN_TOKEN, { spec: agent('omar.owner') })).statusCode).toBe(201);
    const key = (await request(0, 'POST', '/v1/agents/handed-bot/keys', ADMIN_TOKEN)).json().key;
    const asked = await request(0, 'POST', '/v1/decisions', key, {
      action: 'tool.call',
      tool: 'crm.refund',
      arguments: { amount: 600, orderId: 'o-1' },
    });
    expect(asked.json(), asked.body).toMatchObject({ decision: 'approval_required' });
    expect((await request(0, 'PUT', '/v1/agents/handed-bot', ADMIN_TOKEN, { spec: agent('ada.admin') })).statusCode).toBe(200);
    const approved = await request(
      1,
      'POST',
      `/v1/approvals/${asked.json().approvalId}/approve`,
      tokens['ada.admin'] as string,
      {},
    );
    expect(approved.statusCode, approved.body).toBe(403);
    expect(approved.json().error.message).toMatch(/^separation of duties: ada\.admin owns agent handed-bot, /);
  });

  it('refuses a measurement from a former owner once the initiative is handed over through the other node', async () => {
    const spec = (owner: string) => ({
      title: 'Measured',
      type: 'agent',
      stage: 'pilot',
      stageSince: '2026-06-01',
      owner,
      businessUnit: 'cx',
      outcomes: [
        {
          name: 'csat',
          source: 'manual',
          unit: 'points',
          direction: 'increase',
          baseline: { value: 4.1, period: '2025' },
          target: 4.5,
        },
      ],
    });
    expect((await request(0, 'PUT', '/v1/initiatives/measured', ADMIN_TOKEN, { spec: spec('omar.owner') })).statusCode).toBe(201);
    const measure = () =>
      request(1, 'POST', '/v1/initiatives/measured/measurements', tokens['omar.owner'] as string, {
        metric: 'csat',
        value: 4.3,
        period: '2026-11',
      });
    const first = await measure();
    expect(first.statusCode, first.body).toBe(201);
    expect((await request(0, 'PUT', '/v1/initiatives/measured', ADMIN_TOKEN, { spec: spec('dana.lee') })).statusCode).toBe(200);
    const refused = await measure();
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().error.message).toBe(
      "only the initiative's owner, platform or admin may record measurements for measured",
    );
  });

  it('opens an incident about an agent just registered through the other node', async () => {
    expect((await request(0, 'PUT', '/v1/agents/rogue-bot', ADMIN_TOKEN, { spec: agent('omar.owner') })).statusCode).toBe(201);
    const opened = await request(1, 'POST', '/v1/incidents', ADMIN_TOKEN, {
      title: 'A new bot misbehaves',
      severity: 'sev2',
      agents: ['rogue-bot'],
    });
    expect(opened.statusCode, opened.body).toBe(201);
    expect(opened.json()).toMatchObject({ agents: ['rogue-bot'], initiatives: ['support-deflection'], owner: 'dana.lee' });
  });
});
