// Stage promotions: every path per tier, the sign-offs each needs, rejects, and the refusals.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_OFFS } from '../../src/governance/review-rules.js';
import { QUESTIONS } from '../../src/governance/risk.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const REVIEWERS = ['risk', 'legal', 'security', 'data'];
const NO = Object.fromEntries(Object.keys(QUESTIONS).map((q) => [q, false]));

describe.each(ENGINES)('stage promotions on %s', (engine) => {
  let t: TestServer;
  const tokens: Record<string, string> = {};
  const as = (role: string) => (role === 'owner' ? tokens['dana.lee'] : tokens[role]) as string;
  const initiative = (name: string, riskTier: string | undefined, stage = 'proposed', extra: object = {}) =>
    t.request({
      method: 'PUT',
      url: `/v1/initiatives/${name}`,
      payload: {
        spec: {
          title: name,
          type: 'agent',
          stage,
          owner: 'dana.lee',
          businessUnit: 'cx',
          ...(riskTier ? { riskTier } : {}),
          ...extra,
        },
      },
    });
  const promote = (name: string, to: string, token?: string) =>
    t.request({ method: 'POST', url: `/v1/initiatives/${name}/promotions`, payload: { to }, ...(token ? { token } : {}) });
  const sign = (id: string, role: string, decision = 'approve', token = as(role)) =>
    t.request({ method: 'POST', url: `/v1/reviews/${id}/sign-offs`, token, payload: { role, decision, comment: `${role} ok` } });
  const stageOf = async (name: string) => (await t.request({ method: 'GET', url: `/v1/initiatives/${name}` })).json().spec.stage;
  const assess = (name: string, answers: object) =>
    t.request({
      method: 'POST',
      url: `/v1/initiatives/${name}/risk-assessment`,
      token: as('reviewer:risk'),
      payload: { answers: { ...NO, prohibitedPractices: [], ...answers } },
    });
  const review = async (id: string) => (await t.request({ method: 'GET', url: `/v1/reviews/${id}` })).json();

  beforeAll(async () => {
    t = await startTestServer(engine);
    await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    tokens['dana.lee'] = (await t.request({ method: 'POST', url: '/v1/people/dana.lee/tokens' })).json().token;
    // dana.lee owns the initiatives and holds platform: separation of duties has another person sign as platform.
    await t.request({
      method: 'PUT',
      url: '/v1/people/pat.platform',
      payload: { spec: { displayName: 'Pat', roles: ['platform'] } },
    });
    tokens.platform = (await t.request({ method: 'POST', url: '/v1/people/pat.platform/tokens' })).json().token;
    for (const r of REVIEWERS) {
      await t.request({
        method: 'PUT',
        url: `/v1/people/${r}.reviewer`,
        payload: { spec: { displayName: r, roles: [`reviewer:${r}`] } },
      });
      tokens[`reviewer:${r}`] = (await t.request({ method: 'POST', url: `/v1/people/${r}.reviewer/tokens` })).json().token;
    }
  });
  afterAll(async () => t?.close());

  for (const tier of ['minimal', 'low', 'medium', 'high'] as const) {
    it(`promotes a ${tier}-tier initiative through every stage with ${SIGN_OFFS[tier]?.join(', ')}`, async () => {
      const name = `promo-${tier}`;
      expect(
        (await initiative(name, tier, 'proposed', { oversightOwner: 'dana.lee', incidentOwner: 'dana.lee' })).statusCode,
      ).toBe(201);
      let asked = '';
      for (const to of ['pilot', 'production', 'scaled', 'retired']) {
        asked = new Date().toISOString().slice(0, 10);
        const opened = await promote(name, to);
        expect(opened.statusCode, opened.body).toBe(201);
        expect(opened.json()).toMatchObject({ status: 'open', tier, required: SIGN_OFFS[tier], pending: SIGN_OFFS[tier] });
        const required = SIGN_OFFS[tier] as string[];
        for (const [n, role] of required.entries()) {
          expect(await stageOf(name)).not.toBe(to); // nothing moves before the last approval
          const r = await sign(opened.json().id, role);
          expect(r.statusCode, r.body).toBe(200);
          expect(r.json().status).toBe(n === required.length - 1 ? 'approved' : 'open');
        }
        expect(await stageOf(name)).toBe(to);
      }
      const stamped = (await t.request({ method: 'GET', url: `/v1/initiatives/${name}` })).json().spec.stageSince;
      // The day of the last sign-off: between the day it was asked on and today (a run across UTC midnight).
      expect([asked, new Date().toISOString().slice(0, 10)]).toContain(stamped);
    });
  }

  it('closes a review on one reject and leaves the stage', async () => {
    await initiative('promo-reject', 'low');
    const { id } = (await promote('promo-reject', 'pilot')).json();
    expect((await sign(id, 'owner')).json().status).toBe('open');
    const rejected = await sign(id, 'platform', 'reject');
    expect(rejected.json()).toMatchObject({
      status: 'rejected',
      signOffs: [{ role: 'owner' }, { role: 'platform', decision: 'reject' }],
    });
    expect(await stageOf('promo-reject')).toBe('proposed');
    expect((await sign(id, 'owner')).statusCode).toBe(409);
    expect(
      (await t.request({ method: 'GET', url: '/v1/reviews?status=rejected' })).json().items.map((r: { id: string }) => r.id),
    ).toContain(id);
  });

  it('refuses what governance does not allow', async () => {
    await initiative('promo-refuse', 'medium', 'production');
    expect((await promote('promo-refuse', 'production')).statusCode).toBe(409);
    expect((await promote('promo-refuse', 'pilot')).json().error.message).toMatch(/cannot go back from production to pilot/);
    const { id } = (await promote('promo-refuse', 'scaled')).json();
    expect((await promote('promo-refuse', 'retired')).json().error.message).toMatch(/already has an open review/);
    expect((await sign(id, 'reviewer:risk')).statusCode).toBe(409); // not needed at medium
    expect((await sign(id, 'reviewer:security', 'approve', tokens['reviewer:data'] as string)).statusCode).toBe(403);
    expect((await sign(id, 'reviewer:security')).statusCode).toBe(200);
    expect((await sign(id, 'reviewer:security')).json().error.message).toMatch(/already has a reviewer:security sign-off/);

    await initiative('promo-untiered', undefined);
    expect((await promote('promo-untiered', 'pilot')).json().error.message).toMatch(/has no risk tier: assess it first/);
    await initiative('promo-prohibited', 'prohibited');
    expect((await promote('promo-prohibited', 'pilot')).json().error.message).toMatch(/prohibited practice/);
    expect((await promote('promo-prohibited', 'retired')).statusCode).toBe(201);
    await initiative('promo-high-alone', 'high');
    expect((await promote('promo-high-alone', 'pilot')).json().error.message).toMatch(
      /name a human-oversight owner and an incident owner/,
    );
    expect((await promote('promo-refuse', 'retired', tokens['reviewer:risk'])).statusCode).toBe(403);
  });

  it('holds an open review to a stricter tier assessed meanwhile: its sign-offs join the required ones', async () => {
    const owners = { oversightOwner: 'dana.lee', incidentOwner: 'dana.lee' };
    expect((await initiative('stale-high', 'minimal', 'proposed', owners)).statusCode).toBe(201);
    const opened = (await promote('stale-high', 'pilot')).json();
    expect(opened.required).toEqual(['owner']);
    expect((await assess('stale-high', { employment: true })).json().tier).toBe('high');
    const signed = await sign(opened.id, 'owner');
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({ status: 'open', tier: 'high', required: SIGN_OFFS.high });
    expect(signed.json().pending).toEqual((SIGN_OFFS.high as string[]).filter((r) => r !== 'owner'));
    expect(await stageOf('stale-high')).toBe('proposed');
    for (const role of (SIGN_OFFS.high as string[]).slice(1)) expect((await sign(opened.id, role)).statusCode).toBe(200);
    expect((await review(opened.id)).status).toBe('approved');
    expect(await stageOf('stale-high')).toBe('pilot');
  });

  it('does not move the stage of one found high-risk without named oversight and incident owners', async () => {
    expect((await initiative('stale-unowned', 'low')).statusCode).toBe(201);
    const opened = (await promote('stale-unowned', 'pilot')).json();
    expect((await assess('stale-unowned', { education: true })).json().tier).toBe('high');
    const roles = SIGN_OFFS.high as string[];
    for (const role of roles.slice(0, -1)) expect((await sign(opened.id, role)).statusCode).toBe(200);
    const last = await sign(opened.id, roles.at(-1) as string);
    expect(last.statusCode).toBe(409);
    expect(last.json().error.message).toMatch(/is high-risk: name a human-oversight owner and an incident owner/);
    expect(await review(opened.id)).toMatchObject({ status: 'open', pending: [roles.at(-1)] });
    expect(await stageOf('stale-unowned')).toBe('proposed');
    await initiative('stale-unowned', 'low', 'proposed', { oversightOwner: 'dana.lee', incidentOwner: 'dana.lee' });
    expect((await sign(opened.id, roles.at(-1) as string)).json().status).toBe('approved');
    expect(await stageOf('stale-unowned')).toBe('pilot');
  });

  it('closes a review of an initiative found prohibited meanwhile: it can only be retired', async () => {
    expect((await initiative('stale-prohibited', 'minimal')).statusCode).toBe(201);
    const opened = (await promote('stale-prohibited', 'pilot')).json();
    expect((await assess('stale-prohibited', { prohibitedPractices: ['social-scoring'] })).json().tier).toBe('prohibited');
    const signed = await sign(opened.id, 'owner');
    expect(signed.statusCode).toBe(409);
    expect(signed.json().error.message).toMatch(/prohibited practice .* it can only be retired\. It is closed/);
    expect(await review(opened.id)).toMatchObject({ status: 'rejected', signOffs: [] });
    expect(await stageOf('stale-prohibited')).toBe('proposed');
    expect((await promote('stale-prohibited', 'retired')).statusCode).toBe(201);
  });

  it('never moves a stage the initiative has left meanwhile (never backward)', async () => {
    expect((await initiative('stale-stage', 'low')).statusCode).toBe(201);
    const opened = (await promote('stale-stage', 'pilot')).json();
    expect((await sign(opened.id, 'owner')).statusCode).toBe(200);
    // The registry moves on while the review is open (an admin's edit, an apply).
    expect((await initiative('stale-stage', 'low', 'scaled')).statusCode).toBe(200);
    const last = await sign(opened.id, 'platform');
    expect(last.statusCode).toBe(409);
    expect(last.json().error.message).toMatch(/stale-stage is scaled now, not proposed as when the review opened/);
    expect((await review(opened.id)).status).toBe('rejected');
    expect(await stageOf('stale-stage')).toBe('scaled');
    const closed = (await t.request({ method: 'GET', url: '/v1/audit?kind=review.rejected&limit=100' })).json().items;
    expect(closed.find((e: { detail: { review: string } }) => e.detail.review === opened.id).detail.reason).toMatch(/scaled now/);
  });

  it('records every step in the audit log', async () => {
    const kinds = (await t.request({ method: 'GET', url: '/v1/audit?limit=1000' }))
      .json()
      .items.map((e: { kind: string }) => e.kind);
    for (const k of ['review.opened', 'review.signed', 'review.approved', 'review.rejected']) expect(kinds).toContain(k);
    expect((await t.request({ method: 'GET', url: '/v1/audit/verify' })).json().ok).toBe(true);
  });
});
