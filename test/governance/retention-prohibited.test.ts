// A high-risk initiative later found to be a prohibited practice (EU AI Act Art. 5) is held to the
// six-month floor as it was when high-risk: raising its tier must not release what its agents did
// (found by review: the floor took tier `high` only, so an assessment to `prohibited`, and a move out
// of a prohibited initiative, let its decisions go at the ordinary period).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';
import { ADMIN, agentIn, days, decideTimes, decisionsOf, initiative } from './retention-fixture.js';

const ANSWERS = {
  employment: false,
  creditOrEssentialServices: false,
  education: false,
  lawEnforcement: false,
  migration: false,
  justice: false,
  criticalInfrastructure: false,
  biometricIdentification: false,
  interactsWithPublic: false,
  generatesContent: false,
  actsAutonomouslyOnMoneyOrSystems: false,
  usesPersonalOrRestrictedData: false,
};

describe.each(ENGINES)('retention of a prohibited initiative on %s', (engine) => {
  let t: TestServer;

  beforeAll(async () => {
    ({ t } = await startMini(engine));
    // hiring (high risk) with two agents, and faq (low risk) for one of them to move to.
    for (const [name, tier] of [
      ['hiring', 'high'],
      ['faq', 'low'],
    ] as const)
      expect(
        (await t.request({ method: 'PUT', url: `/v1/initiatives/${name}`, payload: initiative(name, tier) })).statusCode,
      ).toBe(201);
    for (const agent of ['hr-bot', 'hr-mover']) {
      expect((await t.request({ method: 'PUT', url: `/v1/agents/${agent}`, payload: agentIn('hiring') })).statusCode).toBe(201);
      await decideTimes(t, (await t.request({ method: 'POST', url: `/v1/agents/${agent}/keys` })).json().key, 3);
    }
    const periods = await t.request({ method: 'PUT', url: '/v1/retention', payload: { decisions: 30 } });
    expect(periods.statusCode, periods.body).toBe(200);
  });
  afterAll(async () => t?.close());

  it('holds its agents to the floor while high-risk, and still once assessed prohibited', async () => {
    const high = await t.app.retention.purge(ADMIN, days(45));
    expect(high.held.highRisk).toEqual(expect.arrayContaining(['hr-bot', 'hr-mover']));
    expect(await decisionsOf(t, 'hr-bot')).toBe(3);

    const assessed = await t.request({
      method: 'POST',
      url: '/v1/initiatives/hiring/risk-assessment',
      payload: { answers: { ...ANSWERS, prohibitedPractices: ['emotion-recognition-work-education'] } },
    });
    expect(assessed.statusCode, assessed.body).toBe(201);
    expect(assessed.json().tier).toBe('prohibited');
    // One agent leaves the prohibited initiative (the tier in force is recorded with the move).
    const moved = await t.request({ method: 'PUT', url: '/v1/agents/hr-mover', payload: agentIn('faq') });
    expect(moved.statusCode, moved.body).toBe(200);

    const prohibited = await t.app.retention.purge(ADMIN, days(45));
    // Both went at the 30-day period: 0 decisions left, three weeks after they would have gone as high-risk.
    expect(await decisionsOf(t, 'hr-bot')).toBe(3);
    expect(await decisionsOf(t, 'hr-mover')).toBe(3);
    expect(prohibited.held.highRisk).toEqual(expect.arrayContaining(['hr-bot', 'hr-mover']));
    // The floor still ends: past six months they go.
    await t.app.retention.purge(ADMIN, days(200));
    expect(await decisionsOf(t, 'hr-bot')).toBe(0);
    expect(await decisionsOf(t, 'hr-mover')).toBe(0);
  });
});
