// Monitor → incident → suspend: a breach opens one incident (deduplicated while open) and a sev1
// monitor with suspendOnBreach trips the kill switch.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { Principal } from '../../src/auth/principal.js';
import { ENGINES } from '../support/databases.js';
import { miniBudgetEnd, readBundle } from '../support/files.js';
import { startMini, startTestServer, type TestServer } from '../support/server.js';

const SYSTEM: Principal = { type: 'system', id: 'test' };

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.each(ENGINES)('monitors on %s', (engine) => {
  let t: TestServer;
  let key: string;
  const decide = (tool: string, args: object) =>
    t.request({ method: 'POST', url: '/v1/decisions', token: key, payload: { action: 'tool.call', tool, arguments: args } });
  const monitor = (name: string, spec: object) => t.request({ method: 'PUT', url: `/v1/monitors/${name}`, payload: { spec } });
  const evaluate = () => t.request({ method: 'POST', url: '/v1/monitors/evaluate' });
  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
  });
  afterAll(async () => t?.close());

  it('validates monitor descriptors', async () => {
    const bad = await monitor('bad', {
      metric: 'deny_rate',
      threshold: 5,
      severity: 'sev2',
      suspendOnBreach: true,
      agent: 'support-bot-eu',
      initiative: 'support-deflection',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details.map((p: { message: string }) => p.message)).toEqual([
      'scope a monitor to an agent or an initiative, not both',
      'only a sev1 monitor may suspend agents',
      'deny_rate is a fraction from 0 to 1',
    ]);
  });

  it('refuses a window over a year, and a fleet-wide monitor that would suspend (it has no agents in scope)', async () => {
    // 200 million days is before the first valid Date: evaluating it threw, and stopped every monitor.
    const long = await monitor('forever', { metric: 'shadow_agents', window: '200000000d', threshold: 1000, severity: 'sev4' });
    expect(long.statusCode).toBe(422);
    expect(long.json().error.details).toEqual([
      expect.objectContaining({ path: '/spec/window', message: 'a window of at most 366d (200000000d is longer)' }),
    ]);
    expect(
      (await monitor('year', { metric: 'shadow_agents', window: '366d', threshold: 1000, severity: 'sev4' })).statusCode,
    ).toBe(201);
    expect((await t.request({ method: 'DELETE', url: '/v1/monitors/year' })).statusCode).toBe(204);
    const fleet = await monitor('fleet-kill', { metric: 'deny_rate', threshold: 0.1, severity: 'sev1', suspendOnBreach: true });
    expect(fleet.statusCode).toBe(422);
    expect(fleet.json().error.details[0]).toMatchObject({
      path: '/spec/suspendOnBreach',
      message: expect.stringContaining('a fleet-wide monitor (no agent, no initiative) may not suspend'),
    });
  });

  it('counts what happened inside its window only: evidence dated later is not in every window for ever', async () => {
    // Ingest refuses evidence from the future now (test/evidence/ingest.test.ts); rows stored before may hold it.
    const future = new Date(Date.now() + 365 * 86_400_000).toISOString();
    await t.app.database.db
      .insertInto('task_events')
      .values(
        Array.from({ length: 20 }, (_, i) => ({
          agent: 'support-bot-eu',
          task_id: `future-${i}`,
          type: 'task.completed',
          workflow: null,
          outcome: 'failed',
          duration_ms: 1,
          started_at: null,
          ended_at: future,
          day: future.slice(0, 10),
          cost_usd: 1000,
          source: 'api',
          registered: 1,
          attributes: '{}',
          received_at: new Date().toISOString(),
          claimed_agent: null,
          sent_by: 'agent:support-bot-eu',
        })),
      )
      .execute();
    try {
      expect(
        (
          await monitor('errors-15m', {
            metric: 'error_rate',
            window: '15m',
            threshold: 0.5,
            minSamples: 20,
            severity: 'sev3',
            agent: 'support-bot-eu',
          })
        ).statusCode,
      ).toBe(201);
      expect(
        (
          await monitor('cost-15m', {
            metric: 'cost_per_day',
            window: '15m',
            threshold: 100,
            severity: 'sev4',
            agent: 'support-bot-eu',
          })
        ).statusCode,
      ).toBe(201);
      const items = (await evaluate()).json().items as Array<{ monitor: string; breached: boolean; samples: number }>;
      expect(items.find((i) => i.monitor === 'errors-15m')).toMatchObject({ samples: 0, breached: false });
      expect(items.find((i) => i.monitor === 'cost-15m')).toMatchObject({ breached: false });
    } finally {
      await t.request({ method: 'DELETE', url: '/v1/monitors/errors-15m' });
      await t.request({ method: 'DELETE', url: '/v1/monitors/cost-15m' });
      await t.app.database.db.deleteFrom('task_events').where('task_id', 'like', 'future-%').execute();
    }
  });

  it('stays quiet under the threshold and below the minimum samples', async () => {
    expect(
      (
        await monitor('deny-spike', {
          metric: 'deny_rate',
          window: '1h',
          threshold: 0.5,
          minSamples: 10,
          severity: 'sev1',
          suspendOnBreach: true,
          agent: 'support-bot-eu',
        })
      ).statusCode,
    ).toBe(201);
    for (let i = 0; i < 4; i++) await decide('crm.refund', { amount: 'lots' }); // invalid arguments: deny
    const [r] = (await evaluate()).json().items;
    expect(r).toMatchObject({ monitor: 'deny-spike', value: 1, samples: 4, breached: false });
  });

  it('opens one incident on a breach, suspends the agent at sev1, and does not open a second while it is open', async () => {
    for (let i = 0; i < 8; i++) await decide('crm.refund', { amount: 'lots' });
    await decide('crm.lookup', { customerId: 'c' });
    const [r] = (await evaluate()).json().items;
    expect(r).toMatchObject({
      monitor: 'deny-spike',
      breached: true,
      samples: 13,
      incident: expect.stringMatching(/^inc_/),
      suspended: ['support-bot-eu'],
    });
    expect(r.value).toBeCloseTo(12 / 13, 4);
    const incident = (await t.request({ method: 'GET', url: `/v1/incidents/${r.incident}` })).json();
    expect(incident).toMatchObject({
      severity: 'sev1',
      source: 'monitor:deny-spike',
      agents: ['support-bot-eu'],
      initiatives: ['support-deflection'],
      owner: 'dana.lee',
    });
    expect((await decide('crm.lookup', { customerId: 'c' })).json()).toMatchObject({
      decision: 'deny',
      reasons: [{ policy: 'builtin/agent-status' }],
    });
    const agent = (await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu' })).json();
    expect(agent.status.suspension.reason).toBe(`monitor deny-spike breached (${r.incident})`);

    const [again] = (await evaluate()).json().items;
    expect(again).toMatchObject({ breached: true, incident: r.incident, deduplicated: true });
    expect((await t.request({ method: 'GET', url: '/v1/incidents' })).json().items).toHaveLength(1);
    expect((await t.request({ method: 'GET', url: '/v1/monitors/status' })).json().items[0]).toMatchObject({
      monitor: 'deny-spike',
      deduplicated: true,
    });

    // Once it is resolved, a new breach opens a new incident.
    await t.request({ method: 'POST', url: `/v1/incidents/${r.incident}/transitions`, payload: { to: 'resolved' } });
    const [next] = (await evaluate()).json().items;
    expect(next.incident).not.toBe(r.incident);
  });

  it('measures the other metrics', async () => {
    await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/resume', payload: { reason: 'test' } });
    await t.request({
      method: 'POST',
      url: '/v1/events',
      token: key,
      payload: {
        events: [
          {
            type: 'task.completed',
            taskId: 'm1',
            outcome: 'escalated',
            durationMs: 1,
            endedAt: new Date().toISOString(),
            costUsd: 3,
          },
          {
            type: 'task.completed',
            taskId: 'm2',
            outcome: 'resolved',
            durationMs: 1,
            endedAt: new Date().toISOString(),
            costUsd: 1,
          },
        ],
      },
    });
    await monitor('escalations', {
      metric: 'escalation_rate',
      window: '1h',
      threshold: 0.4,
      minSamples: 2,
      severity: 'sev3',
      initiative: 'support-deflection',
    });
    await monitor('spend', { metric: 'cost_per_day', window: '1d', threshold: 100, severity: 'sev4' });
    await monitor('shadows', { metric: 'shadow_agents', window: '1d', threshold: 0, severity: 'sev3' });
    // fy2026 allocates 150,000 over 365 days: ~411/day; 4 USD a day is ~1% of plan. (From 2027 on,
    // readMini has it run to the end of this year: over more days.)
    const fyDays = (Date.parse(miniBudgetEnd()) - Date.parse('2026-01-01')) / 86_400_000 + 1;
    await monitor('spend-vs-budget', {
      metric: 'cost_per_day',
      window: '1d',
      threshold: 1.2,
      severity: 'sev3',
      budget: 'fy2026',
    });
    await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: 'fk_unknown-key',
      payload: { action: 'tool.call', tool: 'crm.lookup' },
    });
    const items = (await evaluate()).json().items as Array<{ monitor: string; value: number; breached: boolean }>;
    const by = Object.fromEntries(items.map((i) => [i.monitor, i]));
    expect(by.escalations).toMatchObject({ value: 0.5, breached: true });
    expect(by.spend).toMatchObject({ value: 4, breached: false });
    expect(by.shadows).toMatchObject({ value: 1, breached: true });
    expect(by['spend-vs-budget']?.value).toBeCloseTo(4 / (150_000 / fyDays), 3);
    expect(by['spend-vs-budget']).toMatchObject({ breached: false });
  });

  it('the database refuses a second open incident for a monitor, whoever tries', async () => {
    const system = { type: 'system', id: 'test' } as const;
    const first = await t.app.incidents.open(system, { title: 'first', severity: 'sev3', source: 'monitor:solo' });
    const before = (await t.request({ method: 'GET', url: '/v1/incidents' })).json().items.length;
    await expect(t.app.incidents.open(system, { title: 'dup', severity: 'sev3', source: 'monitor:solo' })).rejects.toThrow();
    expect((await t.request({ method: 'GET', url: '/v1/incidents' })).json().items).toHaveLength(before);
    // Manual incidents are not limited; a resolved monitor incident makes room for the next.
    await t.app.incidents.open(system, { title: 'manual 1', severity: 'sev4' });
    await t.app.incidents.open(system, { title: 'manual 2', severity: 'sev4' });
    await t.app.incidents.transition(system, first.id, 'resolved');
    await t.app.incidents.open(system, { title: 'next', severity: 'sev3', source: 'monitor:solo' });
  });

  // Several nodes share PostgreSQL; SQLite is one node (two apps in one thread would wait on each
  // other's file lock, which no deployment does).
  it.runIf(engine === 'postgres')('two nodes evaluating the same breach at once open one incident between them', async () => {
    await monitor('burst', {
      metric: 'deny_rate',
      window: '1h',
      threshold: 0.1,
      minSamples: 1,
      severity: 'sev3',
      agent: 'support-bot-eu',
    });
    for (let i = 0; i < 3; i++) await decide('crm.refund', { amount: 'lots' });
    const second = await createApp(t.app.config, t.database.open());
    try {
      for (let round = 0; round < 5; round++) {
        const [a, b] = await Promise.all([t.app.monitors.evaluateAll(SYSTEM), second.monitors.evaluateAll(SYSTEM)]);
        const mine = [a, b].map((results) => results.find((r) => r.monitor === 'burst'));
        expect(mine[0]?.incident).toBeDefined();
        expect(mine[1]?.incident).toBe(mine[0]?.incident);
        expect(mine.filter((r) => !r?.deduplicated).length).toBeLessThanOrEqual(1);
        const open = (await t.request({ method: 'GET', url: '/v1/incidents?status=open' })).json().items;
        expect(open.filter((i: { source: string }) => i.source === 'monitor:burst')).toHaveLength(1);
        // Resolve it so the next round races for a new one.
        await t.request({ method: 'POST', url: `/v1/incidents/${mine[0]?.incident}/transitions`, payload: { to: 'resolved' } });
      }
    } finally {
      await second.close();
    }
  });
});

describe.each(ENGINES)('rates counted by the database on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
  });
  afterAll(async () => t?.close());

  it('measures approval rate, error rate and monitor-mode hits over the window', async () => {
    const watch = await t.request({
      method: 'PUT',
      url: '/v1/policies/watch-refunds',
      payload: {
        spec: {
          mode: 'monitor',
          cedar: 'forbid (principal, action == Action::"crm.refund", resource) when { context.arguments.amount > 100 };',
        },
      },
    });
    expect(watch.statusCode).toBeLessThan(300);
    const key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
    // The archetype is supervised, so every refund (a financial tool) waits for a person; the
    // monitor-mode policy would have denied the two over 100.
    const decisions = [
      { tool: 'crm.refund', arguments: { amount: 900, orderId: 'o1' } },
      { tool: 'crm.refund', arguments: { amount: 200, orderId: 'o2' } },
      { tool: 'crm.refund', arguments: { amount: 50, orderId: 'o3' } },
      { tool: 'crm.lookup', arguments: { customerId: 'c1' } },
    ];
    for (const d of decisions)
      expect(
        (await t.request({ method: 'POST', url: '/v1/decisions', token: key, payload: { action: 'tool.call', ...d } }))
          .statusCode,
      ).toBe(200);
    const endedAt = new Date().toISOString();
    await t.request({
      method: 'POST',
      url: '/v1/events',
      token: key,
      payload: {
        events: ['failed', 'resolved', 'resolved'].map((outcome, i) => ({
          type: 'task.completed',
          taskId: `e${i}`,
          outcome,
          durationMs: 1,
          endedAt,
        })),
      },
    });
    const common = { window: '1h', severity: 'sev4', agent: 'support-bot-eu' };
    for (const [name, spec] of [
      ['approvals', { metric: 'approval_rate', threshold: 0.8, minSamples: 4 }],
      ['errors', { metric: 'error_rate', threshold: 0.5, minSamples: 3 }],
      ['watch-hits', { metric: 'monitor_policy_hits', threshold: 1 }],
    ] as const)
      expect(
        (await t.request({ method: 'PUT', url: `/v1/monitors/${name}`, payload: { spec: { ...common, ...spec } } })).statusCode,
      ).toBeLessThan(300);
    const items = (await t.request({ method: 'POST', url: '/v1/monitors/evaluate' })).json().items as Array<{ monitor: string }>;
    const by = Object.fromEntries(items.map((i) => [i.monitor, i]));
    expect(by.approvals).toMatchObject({ value: 0.75, samples: 4, breached: false });
    expect(by.errors).toMatchObject({ value: 0.3333, samples: 3, breached: false });
    expect(by['watch-hits']).toMatchObject({ value: 2, samples: 4, breached: true });
  });
});
