// The plan does not stop an initiative in production on a handful of tasks: a measured attainment on
// fewer than minTasksToScale finished tasks is too thin to scale on, and too thin to stop on — on every engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ENGINES } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { sendTasks } from './tasks.js';

const NOW = Date.now();
const day = (offset: number) => new Date(NOW + offset * 86_400_000).toISOString().slice(0, 10);
const doc = (kind: string, name: string, spec: object) => ({ apiVersion: 'fulcrum/v1', kind, metadata: { name }, spec });

function registry(): string {
  const initiative = (name: string) => [
    doc('Initiative', name, {
      title: name,
      type: 'agent',
      riskTier: 'low',
      stage: 'production',
      stageSince: day(-60),
      owner: 'ann',
      businessUnit: 'bu',
      outcomes: [
        {
          name: 'resolution',
          source: 'resolution_rate',
          unit: 'ratio',
          direction: 'increase',
          baseline: { value: 0.4, period: '2026-Q1' },
          target: 0.6,
          valuePerUnit: 100,
        },
      ],
    }),
    doc('Agent', `a-${name}`, { initiative: name, extraTools: [], owner: 'ann', framework: 'fw', status: 'active' }),
  ];
  return [
    doc('BusinessUnit', 'bu', { title: 'BU' }),
    doc('Person', 'ann', { displayName: 'Ann', roles: ['owner', 'platform'], businessUnit: 'bu' }),
    ...initiative('quiet'),
    ...initiative('failing'),
  ]
    .map((d) => YAML.stringify(d))
    .join('---\n');
}

describe.each(ENGINES)('stopping on thin evidence on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    const applied = await t.request({
      method: 'POST',
      url: '/v1/apply',
      payload: { files: [{ path: 'r.yaml', content: registry() }] },
    });
    expect(applied.statusCode, applied.body).toBe(200);
    // Three tasks this month, all escalated: resolution 0 against a 0.4 baseline.
    await sendTasks(t, 'quiet', { n: 3, resolved: 0, cost: 1 }, NOW);
    // Thirty, all escalated: enough to judge.
    await sendTasks(t, 'failing', { n: 30, resolved: 0, cost: 1 }, NOW);
  });
  afterAll(async () => t?.close());

  it('keeps going on three tasks, and stops on thirty', async () => {
    const plan = (await t.request({ method: 'GET', url: '/v1/plan' })).json();
    const of = (name: string) => plan.initiatives.find((i: { name: string }) => i.name === name);
    expect(of('failing').recommendation).toBe('stop');
    // It said "stop: no improvement over its baselines" on three tasks.
    expect(of('quiet').recommendation).toBe('continue');
    expect(of('quiet').reason).toMatch(/3 finished tasks/);
    expect(of('quiet').blockers.map((b: { gap: string }) => b.gap)).toContain('thin-evidence');
  });
});
