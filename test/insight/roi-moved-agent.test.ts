// An agent moved from one initiative to another: what it did before the move is its old initiative's
// cost and outcome, what it does from the day of the move on is the new one's. Found by review: the
// outcomes and the ROI read an initiative's agents as the registry places them now, so a moved agent
// took its whole past with it (the old initiative's cost and results were the new one's, and the old
// one read as having neither) — on every engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { agentOf, applyWorld, DAY, dayOf, initiative, resolution } from './world.js';

const NOW = Date.now();

describe.each(ENGINES)('outcomes and ROI of an agent moved between initiatives (%s)', (engine) => {
  let t: TestServer;
  let key: string;
  const send = async (prefix: string, n: number, resolved: number, cost: number, atMs: number) => {
    const events = Array.from({ length: n }, (_, k) => ({
      type: 'task.completed',
      taskId: `${prefix}-${k}`,
      outcome: k < resolved ? 'resolved' : 'escalated',
      durationMs: 60_000,
      endedAt: new Date(atMs).toISOString(),
      costUsd: cost / n,
    }));
    const res = await t.request({ method: 'POST', url: '/v1/events', token: key, payload: { events } });
    expect(res.statusCode, res.body).toBeLessThan(300);
    expect(res.json().rejected).toEqual([]);
  };
  const roi = async (name: string) => {
    const r = await t.request({ method: 'GET', url: `/v1/initiatives/${name}/roi` });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };

  beforeAll(async () => {
    t = await startTestServer(engine);
    const production = { stage: 'production', stageSince: dayOf(NOW, -90), outcomes: [resolution({ valuePerUnit: 100 })] };
    await applyWorld(t, [initiative('claims', production), initiative('refunds', production), agentOf('claims')]);
    key = (await t.request({ method: 'POST', url: '/v1/agents/a-claims/keys' })).json().key as string;
    // Ten days ago, under claims: 8 of 10 resolved, USD 20.
    await send('before', 10, 8, 20, NOW - 10 * DAY);
    const moved = await t.request({
      method: 'PUT',
      url: '/v1/agents/a-claims',
      payload: { spec: { initiative: 'refunds', extraTools: [], owner: 'ann', framework: 'fw', status: 'active' } },
    });
    expect(moved.statusCode, moved.body).toBeLessThan(300);
    // Today, under refunds: 2 of 10 resolved, USD 5.
    await send('after', 10, 2, 5, NOW);
  });
  afterAll(async () => t?.close());

  it('keeps the cost and the outcomes of before the move on the initiative it left', async () => {
    const claims = await roi('claims');
    // Resolution 0.8 against a 0.4 baseline: 0.4 × 100 = 40, for USD 20.
    expect(claims.value.total).toBe(40);
    expect(claims.cost.total).toBe(20);
    expect(claims.roi).toBe(1);
    const outcomes = (await t.request({ method: 'GET', url: '/v1/initiatives/claims/outcomes' })).json();
    expect(outcomes.metrics[0].current).toBe(0.8);
  });

  it('gives the initiative it joined only what the agent did from the day of the move on', async () => {
    const refunds = await roi('refunds');
    // Resolution 0.2 against 0.4: −0.2 × 100 = −20, for USD 5.
    expect(refunds.value.total).toBe(-20);
    expect(refunds.cost.total).toBe(5);
    expect(refunds.roi).toBe(-5);
  });

  it('gives the plan the volume and the cost of the initiative the agent worked for', async () => {
    const plan = (await t.request({ method: 'GET', url: '/v1/plan' })).json();
    const entry = plan.roadmap.find((e: { initiative: string }) => e.initiative === 'claims');
    expect(entry?.volume.now, JSON.stringify(plan.roadmap)).toBe(10);
    expect(plan.roadmap.some((e: { initiative: string }) => e.initiative === 'refunds')).toBe(false);
    const claims = plan.initiatives.find((i: { name: string }) => i.name === 'claims');
    expect(claims.roi).toBe(1);
  });

  it('keeps a deleted agent’s cost and outcomes on the initiatives it worked for', async () => {
    // Last but one: the budget test below reads refunds without outcomes.
    const deleted = await t.request({ method: 'DELETE', url: '/v1/agents/a-claims' });
    expect(deleted.statusCode, deleted.body).toBeLessThan(300);
    expect((await roi('claims')).cost.total).toBe(20);
    const refunds = await roi('refunds');
    expect(refunds.cost.total).toBe(5);
    expect(refunds.value.total).toBe(-20);
  });

  it('counts the spend of each in the budget view where it was spent', async () => {
    const budget = await t.request({
      method: 'PUT',
      url: '/v1/budgets/fy',
      payload: {
        spec: {
          period: { from: dayOf(NOW, -60), to: dayOf(NOW, 30) },
          currency: 'USD',
          allocations: [{ category: 'model-licences', amount: 1000 }],
        },
      },
    });
    expect(budget.statusCode, budget.body).toBeLessThan(300);
    // Neither initiative is without outcomes: make refunds so, and its spend alone is counted as such.
    const refunds = (await t.request({ method: 'GET', url: '/v1/initiatives/refunds' })).json();
    const put = await t.request({
      method: 'PUT',
      url: '/v1/initiatives/refunds',
      payload: { spec: { ...refunds.spec, outcomes: [] } },
    });
    expect(put.statusCode, put.body).toBeLessThan(300);
    const a = (await t.request({ method: 'GET', url: '/v1/budgets/fy/alignment' })).json();
    expect(a.spendWithoutOutcomes.initiatives).toEqual([{ initiative: 'refunds', amount: 5 }]);
  });
});
