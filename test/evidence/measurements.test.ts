// GET /v1/initiatives/<name>/measurements on every engine: each self-reported value with who recorded
// it and when, newest first, a correction too; the limit bounded; who may read it; the CLI's view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';

describe.each(ENGINES)('an initiative’s measurements (%s)', (engine) => {
  let t: TestServer;
  let owner: string;
  const url = '/v1/initiatives/support-deflection/measurements';

  beforeAll(async () => {
    ({ t } = await startMini(engine));
    const initiative = (await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection' })).json();
    initiative.spec.outcomes.push({
      name: 'csat',
      source: 'manual',
      unit: 'points',
      direction: 'increase',
      baseline: { value: 4.1, period: '2025' },
      target: 4.5,
    });
    expect((await t.request({ method: 'PUT', url: '/v1/initiatives/support-deflection', payload: initiative })).statusCode).toBe(
      200,
    );
    const ownerName = initiative.spec.owner as string;
    owner = (await t.request({ method: 'POST', url: `/v1/people/${ownerName}/tokens` })).json().token;
  });
  afterAll(() => t.close());

  const person = async (name: string, roles: string[]) => {
    const put = await t.request({ method: 'PUT', url: `/v1/people/${name}`, payload: { spec: { displayName: name, roles } } });
    expect(put.statusCode, put.body).toBeLessThan(300);
    return (await t.request({ method: 'POST', url: `/v1/people/${name}/tokens` })).json().token as string;
  };

  it('lists every value recorded, newest first, with who recorded it; the outcomes keep the latest per period', async () => {
    expect((await t.request({ method: 'GET', url })).json()).toEqual({ items: [] });
    const record = (value: number, period: string, token?: string) =>
      t.request({ method: 'POST', url, payload: { metric: 'csat', value, period }, ...(token ? { token } : {}) });
    expect((await record(4.2, '2026-10')).statusCode).toBe(201);
    expect((await record(4.3, '2026-11', owner)).statusCode).toBe(201);
    // A correction of October, by the owner: both stay listed; the outcomes take it.
    expect((await record(4.25, '2026-10', owner)).statusCode).toBe(201);

    const res = await t.request({ method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as Array<Record<string, unknown>>;
    expect(items.map((m) => [m.period, m.value])).toEqual([
      ['2026-10', 4.25],
      ['2026-11', 4.3],
      ['2026-10', 4.2],
    ]);
    expect(items[0]).toMatchObject({ initiative: 'support-deflection', metric: 'csat', provenance: 'self-reported' });
    expect(items[0]?.recordedBy).toMatch(/^person:/);
    expect(items[2]?.recordedBy).toBe('admin');
    expect(Date.parse(String(items[0]?.recordedAt))).toBeGreaterThanOrEqual(Date.parse(String(items[2]?.recordedAt)));
    const csat = (await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection/outcomes' }))
      .json()
      .metrics.find((m: { name: string }) => m.name === 'csat');
    expect(csat.series).toEqual([
      { period: '2026-10', value: 4.25 },
      { period: '2026-11', value: 4.3 },
    ]);

    expect((await t.request({ method: 'GET', url: `${url}?limit=1` })).json().items).toHaveLength(1);
  });

  it('bounds the limit and says where it is wrong; an unknown initiative is a 404', async () => {
    for (const limit of ['0', '1001', 'ten']) {
      const res = await t.request({ method: 'GET', url: `${url}?limit=${limit}` });
      expect(res.statusCode, limit).toBe(400);
      expect(res.json().error.message).toMatch(/limit/);
    }
    const missing = await t.request({ method: 'GET', url: '/v1/initiatives/no-such/measurements' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toContain('no-such');
  });

  it('answers anyone who may read the registry, refuses a person with no role and an agent key', async () => {
    expect((await t.request({ method: 'GET', url, token: await person('vic.viewer', ['viewer']) })).statusCode).toBe(200);
    const refused = await t.request({ method: 'GET', url, token: await person('nora.none', []) });
    expect(refused.statusCode).toBe(403);
    const key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
    expect([401, 403]).toContain((await t.request({ method: 'GET', url, token: key })).statusCode);
    expect((await t.request({ method: 'GET', url, token: null })).statusCode).toBe(401);
  });
});
