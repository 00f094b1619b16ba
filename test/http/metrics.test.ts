// /metrics as an operator runs on it: the guard's decisions, audit commits and approvals, background
// jobs' runs and failures, every name accepted by Prometheus' own checker (promtool).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { spansExport } from '../support/otlp.js';
import { sample } from '../support/prometheus.js';
import { ADMIN_TOKEN, startNode, startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const DEPLOY = path.resolve(import.meta.dirname, '../../deploy');

/** promtool: FULCRUM_PROMTOOL (.ci/run sets it from scripts/promtool.sh), else on the PATH. */
function promtool(): string {
  const configured = process.env.FULCRUM_PROMTOOL;
  if (configured && fs.existsSync(configured)) return configured;
  const onPath = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  throw new Error(
    'promtool not found: run `export FULCRUM_PROMTOOL="$(bash scripts/promtool.sh)"` (it unpacks Debian\'s prometheus package; .ci/run does)',
  );
}

describe('metrics', () => {
  let t: TestServer;
  let key: string;
  const metrics = async () => (await t.request({ method: 'GET', url: '/metrics', token: null })).body;

  beforeAll(async () => {
    // Each scrape rendered afresh: the tests compare scrapes before and after (metrics-cache.test.ts).
    t = await startTestServer('sqlite', { metricsCacheMs: 0 });
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
  });
  afterAll(async () => t?.close());

  const decide = (body: object) => t.request({ method: 'POST', url: '/v1/decisions', token: key, payload: body });
  const refund = (amount: number) =>
    decide({ action: 'tool.call', tool: 'crm.refund', arguments: { amount, orderId: 'o-9' }, dataDomains: ['customer-records'] });

  it('counts decisions, audit commits and approval events as they commit', async () => {
    const before = await metrics();
    const allowed = (series: string) => sample(before, series) ?? 0;
    const allow0 = allowed('fulcrum_decisions_total{action="tool.call",decision="allow",entry="api"}');
    const ask0 = allowed('fulcrum_decisions_total{action="tool.call",decision="approval_required",entry="api"}');
    const entries0 = allowed('fulcrum_audit_entries_total');

    expect((await decide({ action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c-1' } })).json().decision).toBe(
      'allow',
    );
    const opened = (await refund(900)).json();
    expect(opened.decision).toBe('approval_required');
    expect((await refund(900)).json().approvalId).toBe(opened.approvalId);
    const approved = await t.request({ method: 'POST', url: `/v1/approvals/${opened.approvalId}/approve`, payload: {} });
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await refund(900)).json().decision).toBe('allow');

    const after = await metrics();
    expect(sample(after, 'fulcrum_decisions_total{action="tool.call",decision="allow",entry="api"}')).toBe(allow0 + 2);
    expect(sample(after, 'fulcrum_decisions_total{action="tool.call",decision="approval_required",entry="api"}')).toBe(ask0 + 2);
    for (const event of ['opened', 'joined', 'approved', 'used'])
      expect(sample(after, `fulcrum_approvals_total{event="${event}"}`), event).toBeGreaterThanOrEqual(1);
    // Four decisions and the approval (a human act): five entries, in at least one commit.
    expect(sample(after, 'fulcrum_audit_entries_total')).toBe(entries0 + 5);
    expect(sample(after, 'fulcrum_audit_commit_seconds_count{result="ok"}')).toBeGreaterThanOrEqual(1);
    // A SQLite file: each commit's sync to disk timed (docs/storage.md), a real duration, not NaN.
    expect(sample(after, 'fulcrum_sqlite_sync_seconds')).toBeGreaterThan(0);
    expect(sample(after, 'fulcrum_sqlite_sync_seconds')).toBeLessThan(10);
  });

  it('counts spans accepted and rejected on /otlp, and the model calls it could not price, by reason', async () => {
    const before = await metrics();
    const count = (text: string, series: string) => sample(text, series) ?? 0;
    const attrs = (o: Record<string, string | number>) =>
      Object.entries(o).map(([k, v]) => ({ key: k, value: typeof v === 'number' ? { intValue: v } : { stringValue: v } }));
    const span = (spanId: string, model: string, usage: boolean) => ({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId,
      name: `chat ${model}`,
      startTimeUnixNano: String(BigInt(Date.now() - 60_000) * 1_000_000n),
      endTimeUnixNano: String(BigInt(Date.now() - 59_000) * 1_000_000n),
      attributes: attrs({
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': model,
        ...(usage ? { 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 100 } : {}),
      }),
    });
    const res = await t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      payload: spansExport([
        span('00000000000000b1', 'gpt-4o-mini', true),
        span('00000000000000b2', 'a-model-nobody-declared', true),
        span('00000000000000b3', 'gpt-4o-mini', false),
        { ...span('00000000000000b4', 'gpt-4o-mini', true), traceId: 'not-hex' },
      ]),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().partialSuccess.rejectedSpans).toBe('1');
    const after = await metrics();
    const delta = (series: string) => count(after, series) - count(before, series);
    expect(delta('fulcrum_otlp_spans_total{result="accepted"}')).toBe(3);
    expect(delta('fulcrum_otlp_spans_total{result="rejected"}')).toBe(1);
    expect(delta('fulcrum_unpriced_model_calls_total{reason="unknown_model"}')).toBe(1);
    expect(delta('fulcrum_unpriced_model_calls_total{reason="no_usage"}')).toBe(1);
  });

  it('shows each spend limit against its current period', async () => {
    const put = await t.request({
      method: 'PUT',
      url: '/v1/spend-limits/support-eu-monthly',
      payload: { spec: { scope: { agent: 'support-bot-eu' }, period: 'month', amountUsd: 250 } },
    });
    expect(put.statusCode, put.body).toBe(201);
    const text = await metrics();
    expect(sample(text, 'fulcrum_spend_limit_amount_usd{limit="support-eu-monthly",enforce="block"}')).toBe(250);
    expect(sample(text, 'fulcrum_spend_limit_spent_usd{limit="support-eu-monthly",enforce="block"}')).toBe(0);
    expect(sample(text, 'fulcrum_spend_limit_held_usd{limit="support-eu-monthly",enforce="block"}')).toBe(0);
  });

  it('counts background jobs run by the node, and their last success', async () => {
    // The registry poll runs every 250 ms on every node.
    const text = await metrics();
    expect(sample(text, 'fulcrum_background_job_runs_total{task="registry_poll",result="ok"}')).toBeGreaterThan(0);
    expect(sample(text, 'fulcrum_background_job_last_success_timestamp_seconds{task="registry_poll"}')).toBeGreaterThan(
      Date.now() / 1000 - 60,
    );
  });

  it('logs and counts a background job that fails, instead of swallowing it', async () => {
    const logged: string[] = [];
    t.app.observability.logTo((message, err) => logged.push(`${message}: ${(err as Error).message}`));
    await t.app.observability.job('retention', async () => {
      throw new Error('disk full');
    });
    expect(logged).toEqual(['background job retention failed: disk full']);
    expect(sample(await metrics(), 'fulcrum_background_job_runs_total{task="retention",result="error"}')).toBe(1);
  });

  it('passes promtool check metrics', async () => {
    const text = await metrics();
    const out = spawnSync(promtool(), ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${out.stdout}${out.stderr}`.trim()).toBe('');
    expect(out.status).toBe(0);
    expect(text).toContain('fulcrum_nodejs_active_handles ');
    expect(text).not.toMatch(/^fulcrum_nodejs_active_handles_total/m);
    // promtool is a real checker: a gauge named like a counter fails it.
    const bad = spawnSync(promtool(), ['check', 'metrics'], {
      input: '# HELP x_total a gauge\n# TYPE x_total gauge\nx_total 1\n',
      encoding: 'utf8',
    });
    expect(bad.status).not.toBe(0);
    execFileSync(promtool(), ['--version']);
  });

  it('ships alerting rules promtool accepts, each unit-tested to fire when it should and not before', () => {
    const check = spawnSync(promtool(), ['check', 'rules', path.join(DEPLOY, 'prometheus/alerts.yml')], { encoding: 'utf8' });
    expect(check.status, `${check.stdout}${check.stderr}`).toBe(0);
    const unit = spawnSync(promtool(), ['test', 'rules', 'alerts.test.yml'], {
      cwd: path.join(DEPLOY, 'prometheus'),
      encoding: 'utf8',
    });
    expect(unit.status, `${unit.stdout}${unit.stderr}`).toBe(0);
    // Every alert has a unit test.
    const rules = fs.readFileSync(path.join(DEPLOY, 'prometheus/alerts.yml'), 'utf8');
    const tests = fs.readFileSync(path.join(DEPLOY, 'prometheus/alerts.test.yml'), 'utf8');
    const alerts = [...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1] as string);
    expect(alerts.length).toBeGreaterThanOrEqual(7);
    for (const a of alerts.filter((a) => a !== 'FulcrumAuditCommitSlow')) expect(tests, a).toContain(`alertname: ${a}`);
  });

  it('ships a Grafana dashboard that queries only metrics Fulcrum exports', async () => {
    const dashboard = JSON.parse(fs.readFileSync(path.join(DEPLOY, 'grafana/fulcrum.json'), 'utf8')) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    const exported = new Set(
      (await metrics())
        .split('\n')
        .filter((l) => l.startsWith('# TYPE '))
        .map((l) => l.split(' ')[2] as string),
    );
    const queried = new Set<string>();
    for (const panel of dashboard.panels)
      for (const target of panel.targets)
        for (const m of target.expr.matchAll(/\b(fulcrum_[a-z_]+?)(?:_bucket|_count|_sum)?\b(?=[{[\s)]|$)/g))
          queried.add(m[1] as string);
    expect(queried.size).toBeGreaterThan(10);
    for (const name of queried) expect(exported, `${name} is queried by the dashboard`).toContain(name);
  });

  it('still answers, every counter in it, while the database fails: what it could not read is NaN or absent', async () => {
    const database = await createTestDatabase('sqlite');
    let down = false;
    const failing: KyselyPlugin = {
      transformQuery: ({ node }) => {
        if (down) throw new Error('connect ECONNREFUSED db.internal:5432');
        return node;
      },
      transformResult: async ({ result }) => result,
    };
    const { app, server } = await startNode(database, { metricsCacheMs: 0 }, failing);
    try {
      const logged: string[] = [];
      app.observability.logTo((message) => logged.push(message));
      const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
      await server.inject({ method: 'POST', url: '/v1/apply', headers: admin, payload: { files: readBundle(MINI) } });
      const put = await server.inject({
        method: 'PUT',
        url: '/v1/spend-limits/eu-monthly',
        headers: admin,
        payload: { spec: { scope: { agent: 'support-bot-eu' }, period: 'month', amountUsd: 250 } },
      });
      expect(put.statusCode, put.body).toBe(201);
      expect(sample((await server.inject({ url: '/metrics' })).body, 'fulcrum_approvals_pending')).toBe(0);
      down = true;
      const res = await server.inject({ url: '/metrics' });
      expect(res.statusCode, res.body).toBe(200);
      const text = res.body;
      // Unmeasured is said so: NaN for a single value, no series for a family; never a zero.
      expect(sample(text, 'fulcrum_approvals_pending')).toBeNaN();
      expect(sample(text, 'fulcrum_registry_revision')).toBeNaN();
      expect(text).not.toContain('fulcrum_spend_limit_amount_usd{');
      // Counted as the scrape is read, so shown from the next one.
      const next = (await server.inject({ url: '/metrics' })).body;
      expect(sample(next, 'fulcrum_metrics_read_failures_total{metric="fulcrum_approvals_pending"}')).toBe(1);
      expect(sample(next, 'fulcrum_metrics_read_failures_total{metric="fulcrum_spend_limit_amount_usd"}')).toBe(1);
      expect(logged).toContain('reading fulcrum_approvals_pending for /metrics failed');
      // What the node counts in memory is all there.
      expect(text).toContain('fulcrum_http_requests_total{method="PUT",route="/v1/spend-limits/:name",status="201"} 1');
      const check = spawnSync(promtool(), ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(`${check.stdout}${check.stderr}`.trim()).toBe('');
    } finally {
      down = false;
      await server.close();
      await app.close();
      await database.drop();
    }
  });

  it('counts a request method no route takes as "other": any caller grew the scrape with each method Node parses', async () => {
    // Node's parser takes 35 methods (WebDAV's, M-SEARCH, SOURCE, ...); each sent once to a path with no
    // route, unauthenticated, was a new series of the counter and of the histogram's twelve: 175 such
    // requests took the scrape from 22 KB to 78 KB for the life of the process.
    const open = await startTestServer('sqlite', { metricsCacheMs: 0 });
    try {
      await open.server.listen({ port: 0, host: '127.0.0.1' });
      const { port } = open.server.server.address() as net.AddressInfo;
      const send = (method: string, target: string) =>
        new Promise<void>((resolve) => {
          const socket = net.connect(port, '127.0.0.1', () =>
            socket.end(`${method} ${target} HTTP/1.1\r\nHost: a\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`),
          );
          socket.on('data', () => {});
          socket.on('close', () => resolve());
          socket.on('error', () => resolve());
        });
      for (const method of http.METHODS) for (const target of ['/nope', '/v1/decisions', '/healthz']) await send(method, target);
      const text = (await open.request({ method: 'GET', url: '/metrics', token: null })).body;
      const methods = new Set([...text.matchAll(/^fulcrum_http_request\w+\{method="([^"]+)"/gm)].map((m) => m[1]));
      expect([...methods].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'other']);
      expect(text).toMatch(/^fulcrum_http_requests_total\{method="other",route="unmatched",status="404"\} \d+$/m);
      const check = spawnSync(promtool(), ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(`${check.stdout}${check.stderr}`.trim()).toBe('');
    } finally {
      await open.close();
    }
  });

  it('answers /metrics only to the scraper token when FULCRUM_METRICS_TOKEN is set', async () => {
    const token = 'scrape-0123456789abcdef';
    const locked = await startTestServer('sqlite', { metricsToken: token });
    try {
      const get = (authorization?: string) =>
        locked.request({ method: 'GET', url: '/metrics', token: null, headers: authorization ? { authorization } : {} });
      expect((await get()).statusCode).toBe(401);
      expect((await get(`Bearer ${token}x`)).statusCode).toBe(401);
      // Fulcrum's own admin credential opens nothing here: the scraper has a token of its own.
      expect((await locked.request({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
      const ok = await get(`Bearer ${token}`);
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('fulcrum_decisions_total');
    } finally {
      await locked.close();
    }
  });
});
