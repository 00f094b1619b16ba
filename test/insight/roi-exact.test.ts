// ROI and progress are taken over an outcome as measured, not as rounded for display (docs/insight.md
// says so). Found by review: the current value was rounded to four places first, so 2 of 3 tasks
// resolved (0.666…) against a baseline of 0.4 at 1,000,000 a unit was valued at 266,700 instead of
// 266,666.67, and against a target of 0.66667, just out of reach, it read "target met".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';

describe.each(ENGINES)('ROI and progress over an outcome as measured, on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    const started = await startMini(engine);
    t = started.t;
    const initiative = (await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection' })).json();
    const put = await t.request({
      method: 'PUT',
      url: '/v1/initiatives/support-deflection',
      payload: {
        spec: {
          ...initiative.spec,
          outcomes: [
            {
              name: 'resolution',
              source: 'resolution_rate',
              unit: 'fraction',
              direction: 'increase',
              baseline: { value: 0.4, period: '2025-Q4' },
              target: 0.66667,
              valuePerUnit: 1_000_000,
            },
          ],
        },
      },
    });
    expect(put.statusCode, put.body).toBeLessThan(300);
    const endedAt = new Date().toISOString();
    const events = ['resolved', 'resolved', 'escalated'].map((outcome, i) => ({
      type: 'task.completed',
      taskId: `t${i}`,
      outcome,
      durationMs: 1000,
      endedAt,
    }));
    const sent = await t.request({ method: 'POST', url: '/v1/events', token: started.key, payload: { events } });
    expect(sent.statusCode, sent.body).toBeLessThan(300);
  });
  afterAll(async () => t?.close());

  it('values the improvement as measured: (2/3 − 0.4) × 1,000,000 = 266,666.67, not 266,700', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection/roi' });
    expect(res.statusCode, res.body).toBe(200);
    const item = res.json().value.items[0];
    expect(item).toMatchObject({ metric: 'resolution', improvement: 0.2667, value: 266_666.67 });
  });

  it('reads 2/3 as short of a target of 0.66667, shown rounded as 0.6667 but not met', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection/outcomes' });
    expect(res.statusCode, res.body).toBe(200);
    const metric = res.json().metrics[0];
    expect(metric.current).toBe(0.6667);
    expect(metric.progress).toBeLessThan(1);
    const md = (await t.request({ method: 'GET', url: '/v1/report?format=md' })).body;
    expect(md).not.toContain('target met');
    expect(md).toContain('99% of the way');
  });
});
