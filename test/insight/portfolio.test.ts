// GET /v1/portfolio: each initiative's stage group and risk tier in force (the latest assessment's,
// else the declared one), the stage × tier counts, and who may read it; on every engine.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answers, QUESTIONS } from '../../src/governance/risk.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const none = (): Answers => ({
  ...(Object.fromEntries(Object.keys(QUESTIONS).map((q) => [q, false])) as Record<keyof typeof QUESTIONS, boolean>),
  prohibitedPractices: [],
});
const zero = { proposed: 0, pilot: 0, production: 0, scaled: 0, retired: 0 };

describe.each(ENGINES)('the portfolio on %s', (engine) => {
  let t: TestServer;
  const put = (name: string, stage: string, riskTier?: string, extra: object = {}) =>
    t.request({
      method: 'PUT',
      url: `/v1/initiatives/${name}`,
      payload: {
        spec: {
          title: `The ${name}`,
          type: 'copilot',
          stage,
          owner: 'dana.lee',
          businessUnit: 'cx',
          ...(riskTier ? { riskTier } : {}),
          ...extra,
        },
      },
    });
  // Through the risk service (the route is tested in test/governance/risk.test.ts): what matters here is
  // what the portfolio reads back from the database.
  const assess = (name: string, answers: Partial<Answers>) =>
    t.app.risk.assess({ type: 'admin', id: 'admin' }, name, { answers: { ...none(), ...answers } });
  const portfolio = async (token?: string | null) => {
    const res = await t.request({ method: 'GET', url: '/v1/portfolio', ...(token === undefined ? {} : { token }) });
    return res;
  };

  beforeAll(async () => {
    t = await startTestServer(engine);
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
    // support-deflection (MINI) is in production, declared high.
    for (const [name, stage, tier] of [
      ['idea-bot', 'proposed', 'low'],
      ['pilot-a', 'pilot', 'minimal'],
      ['pilot-b', 'pilot', undefined],
      ['scaled-c', 'scaled', 'medium'],
      ['old-bot', 'retired', undefined],
    ] as const)
      expect((await put(name, stage, tier, name === 'pilot-a' ? { stageSince: '2025-01-15' } : {})).statusCode).toBeLessThan(300);
  }, 120_000);
  afterAll(async () => t?.close());

  it('answers declared tiers before any assessment, most mature initiatives first, with stage groups', async () => {
    const res = await portfolio();
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.initiatives.map((i: { name: string }) => i.name)).toEqual([
      'scaled-c',
      'support-deflection',
      'pilot-a',
      'pilot-b',
      'idea-bot',
      'old-bot',
    ]);
    const byName = Object.fromEntries(body.initiatives.map((i: { name: string }) => [i.name, i]));
    expect(byName['support-deflection']).toEqual({
      name: 'support-deflection',
      title: 'Deflect tier-1 support tickets',
      type: 'agent',
      stage: 'production',
      stageSince: '2026-03-01',
      stageGroup: 'active',
      active: true,
      owner: 'dana.lee',
      businessUnit: 'cx',
      outcomes: expect.any(Number),
      tier: { tier: 'high', source: 'declared', assessedAt: null, declared: 'high' },
    });
    expect(byName['support-deflection'].outcomes).toBeGreaterThan(0);
    expect(byName['idea-bot']).toMatchObject({ stageGroup: 'planned', active: false, stageSince: null, outcomes: 0 });
    expect(byName['old-bot']).toMatchObject({
      stageGroup: 'retired',
      active: false,
      tier: { tier: null, source: 'none', assessedAt: null, declared: null },
    });
    expect(byName['pilot-a']).toMatchObject({ stageGroup: 'active', active: true, stageSince: '2025-01-15' });
    expect(body.counts.total).toBe(6);
    expect(body.counts.byStage).toEqual({ proposed: 1, pilot: 2, production: 1, scaled: 1, retired: 1 });
    expect(body.counts.byStageGroup).toEqual({ planned: 1, active: 4, retired: 1 });
    expect(body.counts.byTier.map((r: { tier: string }) => r.tier)).toEqual([
      'minimal',
      'low',
      'medium',
      'high',
      'prohibited',
      'untiered',
    ]);
    const row = (tier: string) => body.counts.byTier.find((r: { tier: string }) => r.tier === tier);
    expect(row('high')).toEqual({ tier: 'high', total: 1, byStage: { ...zero, production: 1 } });
    expect(row('untiered')).toEqual({ tier: 'untiered', total: 2, byStage: { ...zero, pilot: 1, retired: 1 } });
    expect(row('prohibited')).toEqual({ tier: 'prohibited', total: 0, byStage: zero });
  });

  it('takes the tier in force from the latest assessment, over the declared tier', async () => {
    await assess('support-deflection', { actsAutonomouslyOnMoneyOrSystems: true }); // v1: medium
    const latest = await assess('support-deflection', { interactsWithPublic: true }); // v2: low
    expect(latest).toMatchObject({ version: 2, tier: 'low' });
    const untiered = await assess('pilot-b', { employment: true }); // high, where nothing was declared
    const body = (await portfolio()).json();
    const byName = Object.fromEntries(body.initiatives.map((i: { name: string }) => [i.name, i]));
    expect(byName['support-deflection'].tier).toEqual({
      tier: 'low',
      source: 'assessment',
      assessedAt: latest.assessedAt,
      declared: 'high',
    });
    expect(byName['pilot-b'].tier).toEqual({
      tier: 'high',
      source: 'assessment',
      assessedAt: untiered.assessedAt,
      declared: null,
    });
    // Initiatives nobody assessed keep their declared tier.
    expect(byName['scaled-c'].tier).toEqual({ tier: 'medium', source: 'declared', assessedAt: null, declared: 'medium' });
    const row = (tier: string) => body.counts.byTier.find((r: { tier: string }) => r.tier === tier);
    expect(row('low')).toEqual({ tier: 'low', total: 2, byStage: { ...zero, proposed: 1, production: 1 } });
    expect(row('high')).toEqual({ tier: 'high', total: 1, byStage: { ...zero, pilot: 1 } });
    expect(row('untiered')).toEqual({ tier: 'untiered', total: 1, byStage: { ...zero, retired: 1 } });
    expect(body.counts.byTier.reduce((n: number, r: { total: number }) => n + r.total, 0)).toBe(6);
  });

  it('follows a stage change into the stage group and the counts', async () => {
    expect((await put('idea-bot', 'pilot', 'low', { stageSince: '2026-06-01' })).statusCode).toBe(200);
    const body = (await portfolio()).json();
    const idea = body.initiatives.find((i: { name: string }) => i.name === 'idea-bot');
    expect(idea).toMatchObject({ stage: 'pilot', stageGroup: 'active', active: true });
    expect(body.counts.byStageGroup).toEqual({ planned: 0, active: 5, retired: 1 });
    await put('idea-bot', 'proposed', 'low');
  });

  it('is read by every role, and refused to agents and to callers without a credential', async () => {
    const viewer = (await t.request({ method: 'POST', url: '/v1/people/vic.viewer/tokens' })).json().token as string;
    const res = await portfolio(viewer);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().counts.total).toBe(6);
    const key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key as string;
    const agent = await portfolio(key);
    expect(agent.statusCode).toBe(403);
    expect(agent.json().error.code).toBe('forbidden');
    expect((await portfolio(null)).statusCode).toBe(401);
  });

  it('is in the OpenAPI document with its named schema', async () => {
    const doc = (await t.request({ method: 'GET', url: '/openapi.json' })).json();
    const op = doc.paths['/v1/portfolio'].get;
    expect(op.operationId).toBe('getPortfolio');
    expect(op.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Portfolio' });
    expect(doc.components.schemas.Portfolio.properties.counts).toBeDefined();
  });
});
