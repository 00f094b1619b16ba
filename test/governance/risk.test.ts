// Risk tiering: the tier rules (EU AI Act classes), versioned assessments, the tier in force feeding
// the guard (a prohibited initiative's agents are denied) and the diagnostic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answers, classify, QUESTIONS } from '../../src/governance/risk.js';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';

const none = (): Answers => ({
  ...(Object.fromEntries(Object.keys(QUESTIONS).map((q) => [q, false])) as Record<keyof typeof QUESTIONS, boolean>),
  prohibitedPractices: [],
});

describe('the tier rules', () => {
  it('put prohibited practices above everything, then Annex III areas, then autonomy and transparency', () => {
    expect(classify(none())).toMatchObject({ tier: 'minimal' });
    expect(classify({ ...none(), interactsWithPublic: true }).tier).toBe('low');
    expect(classify({ ...none(), usesPersonalOrRestrictedData: true }).tier).toBe('low');
    expect(classify({ ...none(), generatesContent: true, usesPersonalOrRestrictedData: true }).tier).toBe('medium');
    expect(classify({ ...none(), actsAutonomouslyOnMoneyOrSystems: true }).tier).toBe('medium');
    for (const area of [
      'employment',
      'creditOrEssentialServices',
      'education',
      'lawEnforcement',
      'migration',
      'justice',
      'criticalInfrastructure',
      'biometricIdentification',
    ] as const) {
      const r = classify({ ...none(), interactsWithPublic: true, [area]: true });
      expect(r.tier, area).toBe('high');
      expect(r.reasons.join()).toMatch(/Annex III point \d/);
    }
    const banned = classify({ ...none(), employment: true, prohibitedPractices: ['emotion-recognition-work-education'] });
    expect(banned).toEqual({
      tier: 'prohibited',
      reasons: ['prohibited practice: Art. 5(1)(f) emotion recognition in the workplace or education'],
    });
  });
});

describe.each(ENGINES)('risk assessments on %s', (engine) => {
  let t: TestServer;
  let key: string;
  const assess = (answers: object, name = 'support-deflection') =>
    t.request({ method: 'POST', url: `/v1/initiatives/${name}/risk-assessment`, payload: { answers } });
  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
  });
  afterAll(async () => t?.close());

  it('refuses an incomplete questionnaire, listing every missing answer', async () => {
    const res = await assess({ employment: false, prohibitedPractices: ['mind-reading'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe('the questionnaire is incomplete: 11 unanswered, 1 unknown practice(s)');
    expect(res.json().error.details).toHaveLength(12);
    expect(res.json().error.details[0]).toMatchObject({ path: '/answers/creditOrEssentialServices' });
    expect((await assess(none(), 'nope')).statusCode).toBe(404);
  });

  it('keeps every version; the latest is the tier in force, for the guard and the diagnostic', async () => {
    const first = await assess({
      ...none(),
      interactsWithPublic: true,
      usesPersonalOrRestrictedData: true,
      actsAutonomouslyOnMoneyOrSystems: true,
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ version: 1, tier: 'medium', assessedBy: 'admin' });
    const lookup = () =>
      t.request({
        method: 'POST',
        url: '/v1/decisions',
        token: key,
        payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c' } },
      });
    expect((await lookup()).json().decision).toBe('allow');

    const second = await assess({ ...none(), interactsWithPublic: true, prohibitedPractices: ['subliminal-manipulation'] });
    expect(second.json()).toMatchObject({
      version: 2,
      tier: 'prohibited',
      warning: 'prohibited: the guard now denies every call of support-bot-eu',
    });
    expect((await lookup()).json()).toMatchObject({ decision: 'deny', reasons: [{ policy: 'builtin/prohibited-initiative' }] });
    const history = (await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection/risk-assessments' })).json().items;
    expect(history.map((a: { version: number; tier: string }) => `${a.version}:${a.tier}`)).toEqual(['2:prohibited', '1:medium']);

    await assess({ ...none(), employment: true });
    expect((await lookup()).json().decision).toBe('allow');
    const ops = (await t.request({ method: 'GET', url: '/v1/diagnostic' }))
      .json()
      .areas.find((a: { area: string }) => a.area === 'operating-model');
    // The tier in force is high (the descriptor says high too): every high-tier sign-off role is needed.
    expect(ops.evidence).toContainEqual({
      label: 'sign-off roles the active tiers need',
      value: 'platform, reviewer:data, reviewer:legal, reviewer:risk, reviewer:security',
    });
    const acts = (await t.request({ method: 'GET', url: '/v1/audit?kind=risk.assessed' })).json().items;
    expect(acts).toHaveLength(3);
  });

  it('refuses a prohibited practice that is not one of the eight, even one named like an object member', async () => {
    const history = async () =>
      (await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection/risk-assessments' })).json().items;
    const before = await history();
    for (const practice of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 42]) {
      const res = await assess({ ...none(), prohibitedPractices: [practice] });
      expect(res.statusCode, `${practice}: ${res.body.slice(0, 300)}`).toBe(400);
      expect(res.json().error.details).toEqual([
        expect.objectContaining({ path: '/answers/prohibitedPractices', message: expect.stringMatching(/^unknown practice/) }),
      ]);
    }
    // Nothing recorded: a "prohibited" tier in force would have the guard deny every agent of it.
    expect(await history()).toEqual(before);
  });

  // The console offers its risk form by what GET /v1/whoami lists (docs/console.md: pages decide from
  // the server's permissions, not from role names): risk.assess is listed exactly for who may assess.
  it('lists risk.assess in whoami for exactly the roles the assessment lets through', async () => {
    const cases = [
      ['pia.platform', ['platform'], true],
      ['rick.risk', ['reviewer:risk'], true],
      ['lea.legal', ['reviewer:legal'], false],
      ['oli.owner', ['owner'], false],
      ['abby.approver', ['approver'], false],
      ['vik.viewer', ['viewer'], false],
    ] as const;
    for (const [name, roles, may] of cases) {
      const put = await t.request({
        method: 'PUT',
        url: `/v1/people/${name}`,
        payload: { spec: { displayName: name, roles: [...roles], businessUnit: 'cx' } },
      });
      expect(put.statusCode, put.body).toBe(201);
      const token = (await t.request({ method: 'POST', url: `/v1/people/${name}/tokens` })).json().token as string;
      const listed = (await t.request({ method: 'GET', url: '/v1/whoami', token })).json().permissions as string[];
      const res = await t.request({
        method: 'POST',
        url: '/v1/initiatives/support-deflection/risk-assessment',
        token,
        payload: { answers: none() },
      });
      expect(listed.includes('risk.assess'), name).toBe(may);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(may ? 201 : 403);
    }
  });
});
