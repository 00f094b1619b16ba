// An outcome metric's value is never answered as 0 when it is not 0 (found by review): values were
// rounded to four decimal places, so a cost per resolved task of $0.00004 (a few hundred tokens of a
// small model) read `current: 0`, a task that cost nothing. Below half of the fourth decimal, a value
// keeps four significant digits, as amounts under half a cent do elsewhere (docs/insight.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readMini } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const METRIC = `      valuePerUnit: 18
    - name: cost-per-resolution
      source: cost_per_resolved_task
      unit: USD
      direction: decrease
      baseline: { value: 0.5, period: 2025-Q4 }
      target: 0.2
`;

describe.each(ENGINES)('small outcome values on %s', (engine) => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    t = await startTestServer(engine);
    const files = readMini().map((f) => ({ ...f, content: f.content.replace('      valuePerUnit: 18\n', METRIC) }));
    expect(files.some((f) => f.content.includes('cost-per-resolution'))).toBe(true);
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files } });
    expect(applied.statusCode, applied.body).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
  });
  afterAll(async () => t?.close());

  it('answers a cost per resolved task of $0.00004 as that, not 0', async () => {
    const endedAt = new Date(Date.now() - 60_000).toISOString();
    const events = ['T-1', 'T-2', 'T-3', 'T-4'].map((taskId) => ({
      type: 'task.completed',
      taskId,
      outcome: 'resolved',
      durationMs: 1000,
      endedAt,
      costUsd: 0.00004,
    }));
    const posted = await t.request({ method: 'POST', url: '/v1/events', token: key, payload: { events } });
    expect(posted.json(), posted.body).toMatchObject({ accepted: 4, rejected: [] });
    const res = await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection/outcomes' });
    expect(res.statusCode, res.body).toBe(200);
    const metric = res.json().metrics.find((m: { name: string }) => m.name === 'cost-per-resolution');
    expect(metric).toMatchObject({ current: 0.00004, provenance: 'measured' });
    expect(metric.series.at(-1)).toEqual({ period: endedAt.slice(0, 7), value: 0.00004 });
  });
});
