// The plan does not stop an initiative in production on a handful of tasks: a measured attainment on
// fewer than minTasksToScale finished tasks is too thin to scale on, and too thin to stop on — on every engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { sendTasks } from './tasks.js';
import { agentOf, applyWorld, dayOf, initiative, resolution } from './world.js';

const NOW = Date.now();

function registry(): object[] {
  const production = (name: string) => [
    initiative(name, { stage: 'production', stageSince: dayOf(NOW, -60), outcomes: [resolution({ valuePerUnit: 100 })] }),
    agentOf(name),
  ];
  return [...production('quiet'), ...production('failing')];
}

describe.each(ENGINES)('stopping on thin evidence on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await applyWorld(t, registry());
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
