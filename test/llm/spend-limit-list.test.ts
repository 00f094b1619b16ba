// Every SpendLimit with its status in one request (GET /v1/spend-limit-status, a page at a time),
// and `fulcrum spend-limits` reading it: the CLI sent one status request per limit, all at once.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { cli } from '../support/process.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/server.js';
import { applyAndKey, bindSecret, llmBundle } from './fixture.js';

const UPSTREAM = 'http://127.0.0.1:9'; // never called: the limits are what is read

const COUNT = 130; // past one page of the default size
const names = Array.from({ length: COUNT }, (_, i) => `limit-${String(i).padStart(3, '0')}`);
const LIMITS = names
  .map(
    (n, i) => `---
apiVersion: fulcrum/v1
kind: SpendLimit
metadata: { name: ${n} }
spec:
  scope: { agent: llm-bot }
  period: ${['day', 'week', 'month'][i % 3]}
  amountUsd: ${i + 1}
${i % 2 ? '  enforce: alert\n' : ''}`,
  )
  .join('');

describe.each(ENGINES)('GET /v1/spend-limit-status (%s)', (engine) => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    bindSecret(UPSTREAM);
    t = await startTestServer(engine, { outboundAllowHosts: [{ host: '127.0.0.1' }] });
    key = await applyAndKey(t.server, llmBundle(UPSTREAM, LIMITS));
  }, 60_000);
  afterAll(async () => t?.close());

  const page = async (query: string) => {
    const r = await t.request({ method: 'GET', url: `/v1/spend-limit-status${query}` });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { items: Array<{ name: string; limitUsd: number; burnDown: unknown[] }>; nextCursor?: string };
  };

  it('pages through every limit by name, each as GET /v1/spend-limits/{name}/status answers it', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const p = await page(`?limit=50${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      seen.push(...p.items.map((i) => i.name));
      after = p.nextCursor;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(names);
    const one = await t.request({ method: 'GET', url: '/v1/spend-limits/limit-007/status' });
    const listed = (await page('?after=limit-006&limit=1')).items[0];
    expect(listed).toEqual(one.json());
  });

  it('answers a page of 100 by default, and none after the last', async () => {
    const first = await page('');
    expect(first.items).toHaveLength(100);
    expect(first.nextCursor).toBe('limit-099');
    const last = await page(`?after=${first.nextCursor}`);
    expect(last.items.map((i) => i.name)).toEqual(names.slice(100));
    expect(last.nextCursor).toBeUndefined();
  });

  it('refuses a page size out of bounds, naming the field', async () => {
    for (const limit of ['0', '101', 'x']) {
      const r = await t.request({ method: 'GET', url: `/v1/spend-limit-status?limit=${limit}` });
      expect(r.statusCode).toBe(400);
      expect(r.body).toContain('limit');
    }
  });

  it('is refused to an agent key, as one limit status is', async () => {
    const r = await t.request({ method: 'GET', url: '/v1/spend-limit-status', token: key });
    const one = await t.request({ method: 'GET', url: '/v1/spend-limits/limit-000/status', token: key });
    expect(r.statusCode).toBe(one.statusCode);
    expect(r.statusCode).toBeGreaterThanOrEqual(400);
  });
});

describe('fulcrum spend-limits', () => {
  let t: TestServer;
  let url: string;
  const requests: string[] = [];
  beforeAll(async () => {
    bindSecret(UPSTREAM);
    t = await startTestServer('sqlite', { outboundAllowHosts: [{ host: '127.0.0.1' }] });
    await applyAndKey(t.server, llmBundle(UPSTREAM, LIMITS));
    url = await t.server.listen({ host: '127.0.0.1', port: 0 });
    t.server.server.on('request', (req) => requests.push(req.url ?? ''));
  }, 60_000);
  afterAll(async () => t?.close());

  it('lists every limit in a request per page, not one per limit', async () => {
    const env = { PATH: process.env.PATH, FULCRUM_URL: url, FULCRUM_TOKEN: ADMIN_TOKEN };
    const out = await cli(env, 'spend-limits', '--json');
    expect(out.code, out.stderr).toBe(0);
    expect((JSON.parse(out.stdout) as Array<{ name: string }>).map((s) => s.name)).toEqual(names);
    expect(requests.filter((r) => r.startsWith('/v1/'))).toHaveLength(2);
    requests.length = 0;
    const text = await cli(env, 'spend-limits');
    expect(text.stdout.trim().split('\n')).toHaveLength(COUNT);
    expect(requests.filter((r) => r.startsWith('/v1/'))).toHaveLength(2);
  });

  it('shows an enforce mode a newer Fulcrum adds as it came, not as blocking', async () => {
    // This server's answers, each `alert` turned into a word this CLI does not know. Before, such a
    // limit was listed as one that blocks (nothing after it).
    const newer = http.createServer(async (req, res) => {
      const answer = await fetch(url + (req.url ?? '/'), { headers: { authorization: req.headers.authorization ?? '' } });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end((await answer.text()).replaceAll('"enforce":"alert"', '"enforce":"throttle"'));
    });
    await new Promise<void>((r) => newer.listen(0, '127.0.0.1', r));
    try {
      const env = {
        PATH: process.env.PATH,
        FULCRUM_URL: `http://127.0.0.1:${(newer.address() as AddressInfo).port}`,
        FULCRUM_TOKEN: ADMIN_TOKEN,
      };
      const text = await cli(env, 'spend-limits');
      expect(text.code, text.stderr).toBe(0);
      const lines = text.stdout.trim().split('\n');
      expect(lines.filter((l) => l.endsWith(' [throttle]'))).toHaveLength(COUNT / 2);
      expect(lines.filter((l) => l.endsWith('%)'))).toHaveLength(COUNT / 2); // the blocking ones, as before
    } finally {
      await new Promise((r) => newer.close(r));
    }
  });
});
