// /metrics renders once per FULCRUM_METRICS_CACHE_MS (1 s by default), and scrapes while a render
// runs share it (found by review: each scrape cost ~10-17 ms of the node's event loop and database,
// and /metrics is public by default, so anyone could make the node render it in a loop).

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const sample = (text: string, series: string) =>
  Number(
    text
      .split('\n')
      .find((l) => l.startsWith(`${series} `))
      ?.split(' ')[1] ?? Number.NaN,
  );
const DECISIONS = 'fulcrum_decisions_total{action="tool.call",decision="allow",entry="api"}';

describe('the /metrics render cache', () => {
  let t: TestServer;
  let key = '';
  let renders = 0;
  beforeAll(async () => {
    t = await startTestServer('sqlite', { metricsCacheMs: 60_000 });
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
    const { register } = t.app.observability;
    const render = register.metrics.bind(register);
    register.metrics = () => {
      renders++;
      return render();
    };
  });
  afterAll(async () => t?.close());

  const scrape = async () => (await t.request({ method: 'GET', url: '/metrics', token: null })).body;
  const decide = () =>
    t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c-1' } },
    });

  it('serves a render again within its window, and renders once for scrapes at once', async () => {
    expect((await decide()).json().decision).toBe('allow');
    const first = await scrape();
    expect(sample(first, DECISIONS)).toBe(1);
    expect((await decide()).json().decision).toBe('allow');
    // Within the window: the same text, the decision since then not in it yet.
    expect(await scrape()).toBe(first);
    const before = renders;
    await Promise.all(Array.from({ length: 10 }, scrape));
    expect(renders - before).toBe(0);
  });
});

describe('without the render cache (FULCRUM_METRICS_CACHE_MS=0)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('sqlite', { metricsCacheMs: 0 });
  });
  afterAll(async () => t?.close());

  it('renders each scrape', async () => {
    const scrape = async () => (await t.request({ method: 'GET', url: '/metrics', token: null })).body;
    await scrape(); // its own request is counted once answered
    const a = sample(await scrape(), 'fulcrum_http_requests_total{method="GET",route="/metrics",status="200"}');
    const b = sample(await scrape(), 'fulcrum_http_requests_total{method="GET",route="/metrics",status="200"}');
    expect(b).toBe(a + 1);
  });
});

describe('a render slower than its window', () => {
  let t: TestServer;
  let renders = 0;
  let release: () => void = () => {};
  beforeAll(async () => {
    t = await startTestServer('sqlite', { metricsCacheMs: 1 });
    const { register } = t.app.observability;
    const render = register.metrics.bind(register);
    register.metrics = async () => {
      renders++;
      await new Promise<void>((r) => {
        release = r;
      });
      return render();
    };
  });
  afterAll(async () => t?.close());

  it('is shared by the scrapes that come while it runs, however long it takes (found by review)', async () => {
    const scrape = () => t.request({ method: 'GET', url: '/metrics', token: null });
    const first = scrape();
    await until(() => renders === 1, 'the first render to start');
    const started = performance.now();
    await until(() => performance.now() - started > 5, 'the window to pass while the render runs');
    const more = Array.from({ length: 5 }, scrape);
    release();
    const answers = await Promise.all([first, ...more]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(renders).toBe(1);
  });
});
