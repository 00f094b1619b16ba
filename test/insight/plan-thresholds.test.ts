// Found by review: GET /v1/plan took minTrendDays above trendDays (a trend needing more days with tasks
// than the period it is fitted on: never fitted, silently), and `fulcrum plan` offered no thresholds at
// all. Thresholds that bound each other are checked against each other, the defaults included, and
// the answer names the field (the CLI's, the flag).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINI } from '../support/files.js';
import { cli as runCli, type ServedBundle, serveBundle } from '../support/process.js';
import { startMini, type TestServer } from '../support/server.js';

describe('plan thresholds that contradict each other', () => {
  let t: TestServer;
  beforeAll(async () => {
    ({ t } = await startMini('sqlite'));
  });
  afterAll(async () => t?.close());

  const get = (query: string) => t.request({ method: 'GET', url: `/v1/plan?${query}` });

  it('answers 400 naming minTrendDays when it is above trendDays', async () => {
    const res = await get('trendDays=30&minTrendDays=31');
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.message).toMatch(/minTrendDays \(31\) must be at most trendDays \(30\)/);
    expect(res.json().error.details).toEqual([{ path: 'minTrendDays', message: expect.stringContaining('trendDays') }]);
  });

  it('checks against the default of the one not given, naming the one given', async () => {
    const short = await get('trendDays=14');
    expect(short.statusCode, short.body).toBe(400);
    expect(short.json().error.details[0].path).toBe('trendDays');
    expect(short.json().error.message).toContain('the default');
    const long = await get('minTrendDays=91');
    expect(long.statusCode).toBe(400);
    expect(long.json().error.details[0].path).toBe('minTrendDays');
  });

  it('takes thresholds that agree, equal included', async () => {
    expect((await get('trendDays=30&minTrendDays=30')).statusCode).toBe(200);
    expect((await get('trendDays=28')).statusCode).toBe(200);
  });
});

describe('fulcrum plan threshold flags', () => {
  let served: ServedBundle;
  beforeAll(async () => {
    served = await serveBundle(MINI);
  });
  afterAll(async () => served?.close());

  it('passes each threshold, and refuses flags that contradict each other naming the flag', async () => {
    const ok = await runCli(served.env, 'plan', '--json', '--trend-days', '30', '--min-trend-days', '30');
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).thresholds).toMatchObject({ trendDays: 30, minTrendDays: 30 });
    const bad = await runCli(served.env, 'plan', '--trend-days', '30', '--min-trend-days', '31');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--min-trend-days (31) must be at most --trend-days (30)');
    const nan = await runCli(served.env, 'plan', '--confidence', 'high');
    expect(nan.code).toBe(2);
    expect(nan.stderr).toContain('--confidence must be a number');
    const range = await runCli(served.env, 'plan', '--confidence', '2');
    expect(range.code).not.toBe(0);
    expect(range.stderr).toContain('confidence');
  });
});
