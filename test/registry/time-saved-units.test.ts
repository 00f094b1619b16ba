// A time_saved_hours metric is read in its own unit of time, as avg_handle_time is: the formula gave
// hours, and a metric declared in minutes (baseline and target in minutes) read those hours as minutes,
// 60 times too few (its progress and its value). A unit that names no unit of time stays hours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendTasks } from '../insight/tasks.js';
import { agentOf, applyWorld, initiative } from '../insight/world.js';
import { ENGINES } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

const outcomes = (unit: string) => [
  {
    name: 'handle time',
    source: 'avg_handle_time',
    unit: 'minutes',
    direction: 'decrease',
    baseline: { value: 10, period: '2025-Q4' },
    target: 5,
  },
  {
    name: 'saved',
    source: 'time_saved_hours',
    unit,
    direction: 'increase',
    baseline: { value: 0, period: '2025-Q4' },
    target: 1000,
  },
];

describe.each(ENGINES)('time-saved units on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await applyWorld(t, []);
  });
  afterAll(async () => t?.close());

  const put = (name: string, unit: string) =>
    t.request({
      method: 'PUT',
      url: `/v1/initiatives/${name}`,
      payload: { spec: initiative(name, { stage: 'proposed', outcomes: outcomes(unit) }).spec },
    });

  // 30 resolved tasks of 1 minute against a 10-minute baseline: 9 minutes saved each, 270 minutes.
  it.each([
    ['hours/month', 4.5],
    ['minutes/month', 270],
    ['h', 4.5],
    // Not a unit of time Fulcrum reads: hours, as the source's name says (and as it always read).
    ['hours saved', 4.5],
  ])('reads %s as that unit', async (unit, expected) => {
    const name = `saved-${unit.replace(/[^a-z]/g, '')}`;
    const res = await put(name, unit);
    expect(res.statusCode, res.body).toBe(201);
    await applyWorld(t, [agentOf(name)]);
    await sendTasks(t, name, { n: 30, resolved: 30, cost: 0 }, Date.now() - 60_000);
    const got = await t.request({ method: 'GET', url: `/v1/initiatives/${name}/outcomes` });
    expect(got.statusCode, got.body).toBe(200);
    expect(got.json().metrics[1].current).toBeCloseTo(expected, 6);
  });
});
