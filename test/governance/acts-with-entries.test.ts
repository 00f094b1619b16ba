// Governance's and insight's acts (an incident opened, moved or reported, a risk assessment, a spend
// import or withdrawal, a change of the retention periods) commit with their audit entries, or not at
// all. Made first and recorded after, an entry that failed (here: the database refusing that kind of
// entry) left the change standing with nothing in the log.
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { clearAuditFault, entriesOf, failAuditKind } from '../support/audit-fault.js';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';

const ANSWERS = {
  employment: false,
  creditOrEssentialServices: false,
  education: false,
  lawEnforcement: false,
  migration: false,
  justice: false,
  criticalInfrastructure: false,
  biometricIdentification: false,
  interactsWithPublic: true,
  generatesContent: false,
  actsAutonomouslyOnMoneyOrSystems: false,
  usesPersonalOrRestrictedData: false,
  prohibitedPractices: [],
};

describe.each(ENGINES)('a governance act whose audit entry cannot be written (%s)', (engine) => {
  let t: TestServer;
  let db: Kysely<Database>;

  type Answer = Awaited<ReturnType<TestServer['request']>>;
  const expectRefused = (r: Answer) => {
    expect(r.statusCode, r.body).toBeGreaterThanOrEqual(500);
    expect(r.json().error.code, r.body).toBeDefined();
  };
  const count = async (table: 'incidents' | 'risk_assessments' | 'spend_imports' | 'spend_lines') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const incident = async (id: string) => (await t.request({ method: 'GET', url: `/v1/incidents/${id}` })).json();
  const verifies = async () => {
    const v = (await t.request({ method: 'GET', url: '/v1/audit/verify' })).json();
    expect(v.ok, JSON.stringify(v)).toBe(true);
  };
  // Refused once while `kind` cannot be written, with nothing changed (`unchanged`), then made once.
  const onceAfterFault = async (kind: string, act: () => Promise<Answer>, unchanged: () => Promise<void>) => {
    await failAuditKind(db, engine, kind);
    expectRefused(await act());
    await unchanged();
    await clearAuditFault(db, engine);
    const made = await act();
    expect(made.statusCode, made.body).toBeLessThan(300);
    expect(await entriesOf(db, kind)).toBe(1);
    return made;
  };

  beforeAll(async () => {
    ({ t } = await startMini(engine));
    db = t.app.database.db;
  });
  afterEach(async () => clearAuditFault(db, engine));
  afterAll(async () => t?.close());

  it('an incident is not opened, moved or reported without its entry', async () => {
    const open = () =>
      t.request({
        method: 'POST',
        url: '/v1/incidents',
        payload: { title: 'Refund loop', severity: 'sev2', initiatives: ['support-deflection'], seriousIncident: true },
      });
    const opened = await onceAfterFault('incident.opened', open, async () => expect(await count('incidents')).toBe(0));
    const id = opened.json().id as string;
    await onceAfterFault(
      'incident.status',
      () => t.request({ method: 'POST', url: `/v1/incidents/${id}/transitions`, payload: { to: 'mitigated' } }),
      async () => expect((await incident(id)).status).toBe('open'),
    );
    await onceAfterFault(
      'incident.reported',
      () => t.request({ method: 'POST', url: `/v1/incidents/${id}/report`, payload: { reference: 'MSA-1' } }),
      async () => expect((await incident(id)).reportedAt ?? null).toBeNull(),
    );
    expect((await incident(id)).timeline.map((e: { kind: string }) => e.kind)).toEqual(['opened', 'status', 'reported']);
    await verifies();
  });

  it('a risk assessment is not recorded without its entry', async () => {
    await onceAfterFault(
      'risk.assessed',
      () =>
        t.request({ method: 'POST', url: '/v1/initiatives/support-deflection/risk-assessment', payload: { answers: ANSWERS } }),
      async () => expect(await count('risk_assessments')).toBe(0),
    );
    expect(await count('risk_assessments')).toBe(1);
    await verifies();
  });

  it('a spend import is not booked, nor withdrawn, without its entry', async () => {
    const lines = { lines: [{ date: '2026-03-01', category: 'data-integration', amount: 1000 }] };
    const imported = await onceAfterFault(
      'spend.imported',
      () => t.request({ method: 'POST', url: '/v1/budgets/fy2026/spend', payload: lines }),
      async () => expect([await count('spend_imports'), await count('spend_lines')]).toEqual([0, 0]),
    );
    const importId = imported.json().importId as string;
    await onceAfterFault(
      'spend.withdrawn',
      () => t.request({ method: 'DELETE', url: `/v1/budgets/fy2026/spend/${importId}` }),
      async () => expect([await count('spend_imports'), await count('spend_lines')]).toEqual([1, 1]),
    );
    expect([await count('spend_imports'), await count('spend_lines')]).toEqual([0, 0]);
    await verifies();
  });

  it('a review is not opened, signed or closed without its entry', async () => {
    const reviews = async () =>
      Number(
        (
          await db
            .selectFrom('reviews')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const opened = await onceAfterFault(
      'review.opened',
      () => t.request({ method: 'POST', url: '/v1/initiatives/support-deflection/promotions', payload: { to: 'scaled' } }),
      async () => expect(await reviews()).toBe(0),
    );
    const id = opened.json().id as string;
    const review = async () => (await t.request({ method: 'GET', url: `/v1/reviews/${id}` })).json();
    const reject = () =>
      t.request({ method: 'POST', url: `/v1/reviews/${id}/sign-offs`, payload: { role: 'owner', decision: 'reject' } });
    await failAuditKind(db, engine, 'review.signed');
    expectRefused(await reject());
    expect((await review()).signOffs).toEqual([]);
    // The sign-off and its entry commit, the closing fails: the review stays open with the sign-off,
    // and the same sign-off again closes it (once).
    await onceAfterFault('review.rejected', reject, async () => expect((await review()).status).toBe('open'));
    expect(await review()).toMatchObject({ status: 'rejected', signOffs: [{ role: 'owner', decision: 'reject' }] });
    expect(await entriesOf(db, 'review.signed')).toBe(1);
    await verifies();
  });

  it("a review's last sign-off moves no stage without its review.approved entry", async () => {
    // Recorded after the registry write that moved the stage and closed the review, a failed entry left
    // the initiative promoted and the review approved with no review.approved in the log.
    const stage = async () => (await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection' })).json().spec.stage;
    const before = await stage();
    const opened = await t.request({
      method: 'POST',
      url: '/v1/initiatives/support-deflection/promotions',
      payload: { to: 'scaled' },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const id = opened.json().id as string;
    const review = async () => (await t.request({ method: 'GET', url: `/v1/reviews/${id}` })).json();
    const sign = (role: string) =>
      t.request({ method: 'POST', url: `/v1/reviews/${id}/sign-offs`, payload: { role, decision: 'approve' } });
    const required = (await review()).required as string[];
    for (const role of required.slice(0, -1)) expect((await sign(role)).statusCode).toBe(200);
    const last = required.at(-1) as string;
    await onceAfterFault(
      'review.approved',
      () => sign(last),
      async () => {
        expect(await stage()).toBe(before);
        expect((await review()).status).toBe('open');
      },
    );
    expect((await review()).status).toBe('approved');
    expect(await stage()).toBe('scaled');
    await verifies();
  });

  it('the retention periods are not changed without their entry', async () => {
    const periods = async () => (await t.request({ method: 'GET', url: '/v1/retention' })).json().periods;
    const before = (await periods()).decisions as number;
    await onceAfterFault(
      'retention.changed',
      () => t.request({ method: 'PUT', url: '/v1/retention', payload: { decisions: before + 30 } }),
      async () => expect((await periods()).decisions).toBe(before),
    );
    expect((await periods()).decisions).toBe(before + 30);
    await verifies();
  });
});
