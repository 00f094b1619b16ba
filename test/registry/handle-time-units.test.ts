// An avg_handle_time metric's unit is one Fulcrum knows, or the descriptor is refused naming the
// field and the accepted spellings: an unknown unit read as minutes skewed the metric (and ROI) 60×.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.each(ENGINES)('handle-time units on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
  });
  afterAll(async () => t?.close());

  const initiative = (name: string, unit: string) =>
    t.request({
      method: 'PUT',
      url: `/v1/initiatives/${name}`,
      payload: {
        spec: {
          title: name,
          type: 'agent',
          stage: 'pilot',
          owner: 'dana.lee',
          businessUnit: 'cx',
          outcomes: [
            {
              name: 'handle time',
              source: 'avg_handle_time',
              unit,
              direction: 'decrease',
              baseline: { value: 600, period: '2025-Q4' },
              target: 60,
            },
          ],
        },
      },
    });

  it('refuses a unit it does not know, naming the field and the spellings it accepts', async () => {
    for (const unit of ['seconds per ticket', 'fortnights', 'minutes/']) {
      const res = await initiative('unknown-unit', unit);
      expect(res.statusCode, res.body).toBe(422);
      const details = res.json().error.details as Array<{ path: string; message: string; kind?: string; name?: string }>;
      expect(details).toEqual([
        expect.objectContaining({
          kind: 'Initiative',
          name: 'unknown-unit',
          path: '/spec/outcomes/0/unit',
          message: expect.stringMatching(/avg_handle_time unit ".*" is not one Fulcrum reads.*seconds.*minutes.*hours/),
        }),
      ]);
    }
  });

  it.each([
    ['second', 90],
    ['Seconds/ticket', 90],
    ['hrs', 0.025],
    ['hour', 0.025],
    ['min', 1.5],
  ])('reads %s as that unit', async (unit, expected) => {
    const name = `unit-${unit.toLowerCase().replace(/[^a-z]/g, '')}`;
    const put = await initiative(name, unit);
    expect(put.statusCode, put.body).toBe(201);
    const agent = await t.request({
      method: 'PUT',
      url: `/v1/agents/${name}-bot`,
      payload: { spec: { initiative: name, owner: 'omar.owner' } },
    });
    expect(agent.statusCode, agent.body).toBe(201);
    const key = (await t.request({ method: 'POST', url: `/v1/agents/${name}-bot/keys` })).json().key;
    const sent = await t.request({
      method: 'POST',
      url: '/v1/events',
      token: key,
      payload: {
        events: [
          {
            type: 'task.completed',
            taskId: 'T-1',
            outcome: 'resolved',
            durationMs: 90_000,
            endedAt: new Date(Date.now() - 60_000).toISOString(),
          },
        ],
      },
    });
    expect(sent.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const outcomes = await t.request({ method: 'GET', url: `/v1/initiatives/${name}/outcomes` });
    expect(outcomes.statusCode, outcomes.body).toBe(200);
    expect(outcomes.json().metrics[0].current).toBeCloseTo(expected, 6);
  });
});
