// PostgreSQL losing its connections under real server processes: PostgreSQL ending every backend
// under load, a group commit whose answer is lost after PostgreSQL committed it, and a database that
// stops answering. The nodes must stay up, refuse with 503 while the database is away (not hang),
// and serve again without a restart.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startPgProxy } from '../support/pg-proxy.js';
import { adminPool } from '../support/postgres.js';
import { call, cli, type Served, serve, stop } from '../support/process.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const ADMIN = 'fat_connection-loss-admin';
const lookup = { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c-1' }, dataDomains: ['customer-records'] };

/** A request that gives up after `ms`: status 0 when it did. */
async function timed(url: string, token: string, p: string, body?: unknown, ms = 20_000) {
  const started = Date.now();
  try {
    const res = await fetch(url + p, {
      method: body === undefined ? 'GET' : 'POST',
      signal: AbortSignal.timeout(ms),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json(), ms: Date.now() - started };
  } catch {
    return { status: 0, json: undefined, ms: Date.now() - started };
  }
}

function environment(db: TestDatabase, url: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    FULCRUM_DATA_DIR: db.dir,
    FULCRUM_ADMIN_TOKEN: ADMIN,
    FULCRUM_LOG_LEVEL: 'fatal',
    FULCRUM_DATABASE_URL: url,
  };
}

async function agentKey(env: NodeJS.ProcessEnv, node: Served): Promise<string> {
  const applied = await cli({ ...env, FULCRUM_URL: node.url, FULCRUM_TOKEN: ADMIN }, 'apply', '-f', MINI);
  expect(applied.code, applied.stderr).toBe(0);
  return (await call(node.url, ADMIN, 'POST', '/v1/agents/support-bot-eu/keys')).json.key as string;
}

describe.skipIf(!process.env.FULCRUM_TEST_DATABASE_URL)('PostgreSQL connections lost', () => {
  let db: TestDatabase;
  const nodes: Served[] = [];
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    for (const n of nodes) await stop(n, 'SIGKILL');
    await db?.drop();
  });

  it('keeps both nodes up when PostgreSQL ends their connections under load: 503 meanwhile, then served', async () => {
    const env = environment(db, db.url as string);
    const a = await serve(env);
    const b = await serve(env);
    nodes.push(a, b);
    const key = await agentKey(env, a);
    const acknowledged: string[] = [];
    const answers = new Map<string, number>();
    let cut = false;
    const servedAfterCut = new Set<string>();
    let running = true;
    const worker = async (url: string) => {
      while (running) {
        const res = await call(url, key, 'POST', '/v1/decisions', lookup).catch((err: Error) => ({
          status: 0,
          json: { error: { code: err.message } },
        }));
        const what = res.status === 200 ? `200 ${res.json.decision}` : `${res.status} ${res.json?.error?.code}`;
        answers.set(what, (answers.get(what) ?? 0) + 1);
        if (res.status === 200) {
          acknowledged.push(res.json.decisionId);
          if (cut) servedAfterCut.add(url);
        }
        if (res.status === 0) return; // the node is gone: reported below
      }
    };
    const workers = [a, b, a, b, a, b].map((n) => worker(n.url));
    await vi.waitFor(() => expect(acknowledged.length).toBeGreaterThan(50), { timeout: 30_000, interval: 20 });
    const admin = adminPool(process.env.FULCRUM_TEST_DATABASE_URL as string);
    const name = new URL(db.url as string).pathname.slice(1);
    const ended = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
    await admin.end();
    expect(ended.rowCount).toBeGreaterThan(1);
    cut = true;
    await vi
      .waitFor(() => expect(servedAfterCut.size).toBe(2), { timeout: 20_000, interval: 50 })
      .finally(() => {
        running = false;
      });
    await Promise.all(workers);

    // Before, a connection ended while its node held it between two queries crashed the node
    // (pg's unhandled 'error' event), and a lost database was answered 500 internal.
    expect([a.proc.exitCode, b.proc.exitCode], a.stderr + b.stderr).toEqual([null, null]);
    expect(
      [...answers.keys()].filter((k) => k !== '200 allow' && k !== '503 unavailable'),
      JSON.stringify([...answers]),
    ).toEqual([]);
    const handle = db.open();
    const found = new Set((await handle.db.selectFrom('audit_entries').select('id').execute()).map((r) => r.id));
    await handle.destroy();
    expect(acknowledged.filter((id) => !found.has(id))).toEqual([]);
    const verified = await cli(env, 'audit', 'verify');
    expect(verified.code, verified.stderr).toBe(0);
  }, 120_000);

  it('goes on deciding after a group commit whose answer was lost once PostgreSQL had committed it', async () => {
    const proxy = await startPgProxy(db.url as string);
    try {
      const env = environment(db, proxy.url(db.url as string));
      const node = await serve(env);
      nodes.push(node);
      const key = await agentKey(env, node);
      expect((await call(node.url, key, 'POST', '/v1/decisions', lookup)).status).toBe(200);

      const lost = proxy.loseNextAuditCommitAnswer();
      const unknown = await call(node.url, key, 'POST', '/v1/decisions', lookup);
      await lost;
      expect(unknown.status).toBe(503);
      expect(unknown.json.error.code).toBe('unavailable');
      // The commit happened: the chain's head moved past what the node last knew. Before, its next
      // batch reused that sequence number and every decision after was refused (500) until a restart.
      const next = await Promise.all(Array.from({ length: 3 }, () => call(node.url, key, 'POST', '/v1/decisions', lookup)));
      expect(next.map((r) => r.status)).toEqual([200, 200, 200]);
      await stop(node);
      const verified = await cli(environment(db, db.url as string), 'audit', 'verify');
      expect(verified.code, verified.stderr).toBe(0);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it('answers 503 within its database timeout while PostgreSQL does not answer at all, and serves once it does', async () => {
    const proxy = await startPgProxy(db.url as string);
    try {
      const env = { ...environment(db, proxy.url(db.url as string)), FULCRUM_DATABASE_TIMEOUT_SECONDS: '2' };
      const node = await serve(env);
      nodes.push(node);
      const key = await agentKey(env, node);
      expect((await call(node.url, key, 'POST', '/v1/decisions', lookup)).status).toBe(200);

      proxy.freeze();
      // More requests than the node has connections (10), so some wait for one as well.
      const during = await Promise.all([
        timed(node.url, key, '/healthz'),
        ...Array.from({ length: 12 }, () => timed(node.url, key, '/v1/decisions', lookup)),
      ]);
      // Before, every one of them (/healthz too) was still waiting when the client gave up at 20 s.
      expect(during.map((r) => r.status)).toEqual(during.map(() => 503));
      expect(Math.max(...during.map((r) => r.ms))).toBeLessThan(15_000);
      expect(during.slice(1).map((r) => r.json.error.code)).toEqual(during.slice(1).map(() => 'unavailable'));

      proxy.thaw();
      await vi.waitFor(async () => expect((await timed(node.url, key, '/v1/decisions', lookup)).status).toBe(200), {
        timeout: 20_000,
        interval: 100,
      });
      expect(node.proc.exitCode).toBeNull();
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
